import type {
  RequestName,
  Requests,
  SentMessageRecord,
  ServerSettingsView,
} from '../messaging/protocol.ts';
import { isPlausibleAddress, normaliseAddress } from '../core/address.ts';
import type { MessageStatusResponse } from '../core/serverApi.ts';

export interface ServerPorts {
  request<K extends RequestName>(name: K, payload: Requests[K]['req']): Promise<Requests[K]['res']>;
  /** Asks Thunderbird for the host permission of this server (needs the user's click). */
  allowOrigin(serverUrl: string): Promise<boolean>;
  translate(key: string, substitutions?: readonly string[]): string;
  /**
   * The server, or who is signed in, changed: the settings section shows the server and the
   * organisation in force too, and reads them again.
   */
  changed?(): void;
}

/**
 * The options page's server section: the server address, signing in with a code mailed to the
 * sender, and the list of sent secure messages with read status and revocation.
 */
export class ServerStore {
  settings = $state<ServerSettingsView | null>(null);
  urlInput = $state('');
  /** Error or confirmation shown under the address field. */
  urlError = $state<string | null>(null);
  urlNotice = $state<string | null>(null);
  signInAddress = $state('');
  signInCode = $state('');
  /** Set once the server mailed a code. */
  challenge = $state<{ challengeId: string; address: string } | null>(null);
  signInError = $state<string | null>(null);
  busy = $state(false);
  sent = $state<SentMessageRecord[]>([]);
  statuses = $state<Record<string, MessageStatusResponse>>({});
  sentErrors = $state<Record<string, string>>({});

  readonly #ports: ServerPorts;

  constructor(ports: ServerPorts) {
    this.#ports = ports;
  }

  async load(): Promise<void> {
    try {
      this.#apply(await this.#ports.request('getServerSettings', {}));
      this.sent = (await this.#ports.request('listSentMessages', {})).messages;
    } catch (error) {
      this.urlError = errorText(error);
    }
  }

  async saveUrl(): Promise<void> {
    this.urlError = null;
    this.urlNotice = null;
    // The page shows no save control then; the background would refuse it anyway.
    if (this.urlSetByPolicy) return;
    const text = this.urlInput.trim();
    // Asked first, while the click still counts as the user's gesture.
    if (text !== '' && !(await this.#ports.allowOrigin(text))) {
      this.urlError = this.#ports.translate('serverPermissionDenied');
      return;
    }
    await this.#busy(async () => {
      const answer = await this.#ports.request('setServerUrl', { url: text === '' ? null : text });
      if (!answer.ok) {
        this.urlError = answer.message;
        return;
      }
      this.#apply(answer.value);
      this.urlNotice = this.#ports.translate('optionsServerUrlSaved');
    });
  }

  /** True when the organisation's policy sets the server: its address cannot be changed here. */
  get urlSetByPolicy(): boolean {
    return this.settings?.urlSource === 'policy';
  }

  async startSignIn(): Promise<void> {
    this.signInError = null;
    // Checked here, so the sender reads what to type rather than the server's refusal of it.
    const typed = this.signInAddress.trim();
    if (typed === '') {
      this.signInError = this.#ports.translate('optionsSignInAddressEmpty');
      return;
    }
    if (!isPlausibleAddress(normaliseAddress(typed))) {
      this.signInError = this.#ports.translate('optionsSignInAddressInvalid', [typed]);
      return;
    }
    // Asked first, before any await, while the click still counts as the user's gesture: a
    // server set by the organisation's policy was never saved here, so the add-on may not have
    // its host permission yet (an already granted one answers true at once).
    const serverUrl = this.settings?.serverUrl;
    if (serverUrl && !(await this.#ports.allowOrigin(serverUrl))) {
      this.signInError = this.#ports.translate('serverPermissionDenied');
      return;
    }
    await this.#busy(async () => {
      const address = typed;
      const answer = await this.#ports.request('signInStart', { address });
      if (!answer.ok) {
        this.signInError = answer.message;
        return;
      }
      this.challenge = { challengeId: answer.value.challengeId, address };
      this.signInCode = '';
    });
  }

  async completeSignIn(): Promise<void> {
    if (!this.challenge) return;
    this.signInError = null;
    if (this.signInCode.trim() === '') {
      this.signInError = this.#ports.translate('optionsSignInCodeEmpty');
      return;
    }
    const { challengeId } = this.challenge;
    await this.#busy(async () => {
      const answer = await this.#ports.request('signInComplete', {
        challengeId,
        code: this.signInCode,
      });
      if (!answer.ok) {
        this.signInError = answer.message;
        return;
      }
      this.challenge = null;
      this.signInCode = '';
      this.#apply(answer.value);
    });
  }

  async signOut(): Promise<void> {
    await this.#busy(async () => {
      this.#apply(await this.#ports.request('signOut', {}));
    });
  }

  async loadStatus(messageId: string): Promise<void> {
    delete this.sentErrors[messageId];
    const answer = await this.#ports.request('getMessageStatus', { messageId });
    if (answer.ok) this.statuses[messageId] = answer.value;
    else this.sentErrors[messageId] = answer.message;
  }

  /** Opens a locked-out recipient's lock, then shows the status again. */
  async unlock(messageId: string, mailId: string, lockId: string): Promise<void> {
    delete this.sentErrors[messageId];
    const answer = await this.#ports.request('unlockRecipient', { messageId, mailId, lockId });
    if (!answer.ok) {
      this.sentErrors[messageId] = answer.message;
      return;
    }
    await this.loadStatus(messageId);
  }

  /**
   * Gives an SMS recipient a new number on the server; answers what to show under the form (the
   * masked number the next code goes to, or the server's error) and shows the status again.
   */
  async changePhone(
    messageId: string,
    mailId: string,
    lockId: string,
    phone: string,
  ): Promise<{ ok: boolean; text: string }> {
    const answer = await this.#ports.request('changeRecipientPhone', {
      messageId,
      mailId,
      lockId,
      phone: phone.trim(),
    });
    if (!answer.ok) {
      return { ok: false, text: answer.message };
    }
    await this.loadStatus(messageId);
    return {
      ok: true,
      text: this.#ports.translate('optionsSentNewNumberDone', [answer.value.sentTo]),
    };
  }

  /** Stops every browser this recipient had remembered; answers what to show beside the button. */
  async forgetDevices(messageId: string, address: string): Promise<string> {
    const answer = await this.#ports.request('forgetRecipientDevices', { messageId, address });
    if (!answer.ok) return answer.message;
    return this.#ports.translate('optionsSentDevicesForgotten', [String(answer.value.removed)]);
  }

  async revoke(messageId: string): Promise<void> {
    delete this.sentErrors[messageId];
    const answer = await this.#ports.request('revokeMessage', { messageId });
    if (!answer.ok) {
      this.sentErrors[messageId] = answer.message;
      return;
    }
    this.sent = this.sent.map((record) =>
      record.messageId === messageId ? { ...record, revokedAt: answer.value.revokedAt } : record,
    );
    const status = this.statuses[messageId];
    if (status) this.statuses[messageId] = { ...status, revokedAt: answer.value.revokedAt };
  }

  #apply(settings: ServerSettingsView): void {
    const before = this.settings;
    this.settings = settings;
    if (
      before !== null &&
      (before.serverUrl !== settings.serverUrl ||
        before.organisationName !== settings.organisationName ||
        before.signedIn?.address !== settings.signedIn?.address)
    ) {
      this.#ports.changed?.();
    }
    this.urlInput = settings.serverUrl ?? '';
    if (!this.signInAddress && settings.signedIn) this.signInAddress = settings.signedIn.address;
  }

  async #busy(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await work();
    } catch (error) {
      this.signInError = errorText(error);
    } finally {
      this.busy = false;
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
