import type { NotificationLanguage } from '../core/languages.ts';
import type { VerificationMethod } from '../core/methods.ts';
import type { RecipientSettings } from '../core/recipientSettings.ts';
import type { RequestName, Requests } from '../messaging/protocol.ts';
import type { RecipientChanges } from '../ui/recipientRow.ts';
import { RecipientSaver } from '../ui/recipientSaver.ts';

export interface OptionsPorts {
  request<K extends RequestName>(name: K, payload: Requests[K]['req']): Promise<Requests[K]['res']>;
}

/** The options page's state: the remembered recipients and the sender's edits to them. */
export class OptionsStore {
  recipients = $state<RecipientSettings[]>([]);
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  loadError = $state<string | null>(null);
  query = $state('');
  /** Edits not yet reflected in `recipients`; they win so a slow save cannot undo typing. */
  drafts = $state<Record<string, RecipientChanges>>({});
  pending = $state<Record<string, number>>({});
  saveErrors = $state<Record<string, string>>({});
  forgetErrors = $state<Record<string, string>>({});
  /** Short text for the live region, e.g. "bob@… forgotten." */
  announcement = $state('');

  readonly #ports: OptionsPorts;
  readonly #saver: RecipientSaver;

  constructor(ports: OptionsPorts) {
    this.#ports = ports;
    this.#saver = new RecipientSaver({
      save: async (address, changes) =>
        (await ports.request('saveRecipientSettings', { address, changes })).settings,
      onPendingChange: (address, count) => {
        if (count === 0) delete this.pending[address];
        else this.pending[address] = count;
      },
      onSaved: (settings) => {
        const index = this.recipients.findIndex((entry) => entry.address === settings.address);
        if (index >= 0) this.recipients[index] = settings;
      },
      onError: (address, error) => {
        this.saveErrors[address] = error.message;
      },
    });
  }

  async load(): Promise<void> {
    this.status = 'loading';
    try {
      const { recipients } = await this.#ports.request('listRecipients', {});
      this.recipients = recipients;
      this.status = 'ready';
      this.loadError = null;
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
      this.status = 'failed';
    }
  }

  /** Stored settings overlaid with this page's unsaved edits. */
  current(settings: RecipientSettings): RecipientSettings {
    return { ...settings, ...this.drafts[settings.address] };
  }

  isSaved(address: string): boolean {
    return (this.pending[address] ?? 0) === 0 && this.saveErrors[address] === undefined;
  }

  setMethod(address: string, method: VerificationMethod): void {
    this.#draft(address, { method });
    delete this.saveErrors[address];
    void this.#saver.save(address, { method });
  }

  editCode(address: string, code: string): void {
    this.#draft(address, { code });
    delete this.saveErrors[address];
    this.#saver.saveSoon(address, { code });
  }

  commitCode(address: string): void {
    void this.#saver.flush(address);
  }

  setLanguage(address: string, language: NotificationLanguage): void {
    this.#draft(address, { language });
    delete this.saveErrors[address];
    void this.#saver.save(address, { language });
  }

  async forget(address: string): Promise<boolean> {
    delete this.forgetErrors[address];
    try {
      // Anything still waiting would otherwise recreate the entry after it is forgotten.
      await this.#saver.flush(address);
      await this.#ports.request('forgetRecipient', { address });
      this.recipients = this.recipients.filter((entry) => entry.address !== address);
      delete this.drafts[address];
      return true;
    } catch (error) {
      this.forgetErrors[address] = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  /** Sends every waiting edit now (the page is closing). */
  flushAll(): void {
    void this.#saver.flushAll();
  }

  #draft(address: string, changes: RecipientChanges): void {
    this.drafts[address] = { ...this.drafts[address], ...changes };
  }
}
