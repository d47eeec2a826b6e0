import { checkNewPassphrase } from '../core/senderKeyVault.ts';
import type {
  KeyProtectionView,
  PassphraseAnswer,
  RequestName,
  Requests,
} from '../messaging/protocol.ts';
import { passphraseProblemText } from '../ui/passphraseText.ts';

export interface KeyProtectionPorts {
  request<K extends RequestName>(name: K, payload: Requests[K]['req']): Promise<Requests[K]['res']>;
  translate(key: string, substitutions?: readonly string[]): string;
}

/** Which form of the section is open. */
export type KeyProtectionMode = 'idle' | 'set' | 'change' | 'remove';

const DONE_KEYS = {
  set: 'optionsPassphraseSaved',
  change: 'optionsPassphraseChanged',
  remove: 'optionsPassphraseRemoved',
} as const;

/**
 * The options page's section on the sender's key: set, change or remove the passphrase that
 * protects it, and lock it again for this session. The fields are emptied after every attempt,
 * so a passphrase stays in the page no longer than one request.
 */
export class KeyProtectionStore {
  view = $state<KeyProtectionView | null>(null);
  mode = $state<KeyProtectionMode>('idle');
  current = $state('');
  next = $state('');
  confirmation = $state('');
  busy = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);

  readonly #ports: KeyProtectionPorts;

  constructor(ports: KeyProtectionPorts) {
    this.#ports = ports;
  }

  async load(): Promise<void> {
    try {
      this.view = await this.#ports.request('getKeyProtection', {});
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  open(mode: Exclude<KeyProtectionMode, 'idle'>): void {
    this.#clearFields();
    this.error = null;
    this.notice = null;
    this.mode = mode;
  }

  cancel(): void {
    this.#clearFields();
    this.error = null;
    this.mode = 'idle';
  }

  async submit(): Promise<void> {
    const mode = this.mode;
    if (mode === 'idle' || this.busy) return;
    this.error = null;
    this.notice = null;
    if (mode !== 'remove') {
      const problem = checkNewPassphrase(this.next, this.confirmation);
      if (problem) {
        this.error = passphraseProblemText(problem, this.#ports.translate);
        return;
      }
    }
    const current = this.current;
    const next = this.next;
    this.#clearFields();
    this.busy = true;
    try {
      const answer = await this.#send(mode, current, next);
      if (!answer.ok) {
        this.error = passphraseProblemText(answer, this.#ports.translate);
        return;
      }
      this.view = answer.view;
      this.mode = 'idle';
      this.notice = this.#ports.translate(DONE_KEYS[mode]);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  async lockNow(): Promise<void> {
    this.error = null;
    this.view = await this.#ports.request('lockSenderKeys', {});
    this.notice = this.#ports.translate('optionsPassphraseLocked');
  }

  #send(
    mode: Exclude<KeyProtectionMode, 'idle'>,
    current: string,
    next: string,
  ): Promise<PassphraseAnswer> {
    if (mode === 'set') return this.#ports.request('setPassphrase', { passphrase: next });
    if (mode === 'change') {
      return this.#ports.request('changePassphrase', { passphrase: current, newPassphrase: next });
    }
    return this.#ports.request('removePassphrase', { passphrase: current });
  }

  #clearFields(): void {
    this.current = '';
    this.next = '';
    this.confirmation = '';
  }
}
