import { editableKeys, type UserKey, type UserSettingsChanges } from '../core/policy.ts';
import type { RequestName, Requests, SettingsView } from '../messaging/protocol.ts';
import { changesFromDraft, draftFor, type SettingDraft } from './settingDrafts.ts';

export interface SettingsPorts {
  request<K extends RequestName>(name: K, payload: Requests[K]['req']): Promise<Requests[K]['res']>;
  translate(key: string, substitutions?: readonly string[]): string;
}

/**
 * The options page's settings section: every setting in force with its source, the
 * organisation's policy problems, and the sender's edits of the keys they may change. One key
 * is edited at a time; its error stays next to its control until the next try.
 */
export class SettingsStore {
  view = $state<SettingsView | null>(null);
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  loadError = $state<string | null>(null);
  /** The key whose control is open, or null. */
  editing = $state<UserKey | null>(null);
  draft = $state<SettingDraft>({ checked: false, choice: '', days: '', languages: [] });
  /** Why the last change of a key was not saved, shown next to its control. */
  errors = $state<Partial<Record<UserKey, string>>>({});
  saving = $state(false);
  /** Short text for the live region, e.g. "Saved." */
  announcement = $state('');

  readonly #ports: SettingsPorts;

  constructor(ports: SettingsPorts) {
    this.#ports = ports;
  }

  async load(): Promise<void> {
    this.status = 'loading';
    try {
      this.view = await this.#ports.request('getSettings', {});
      this.loadError = null;
      this.status = 'ready';
    } catch (error) {
      this.loadError = errorText(error);
      this.status = 'failed';
    }
  }

  /**
   * Reads the settings again without showing "Loading" (the server section changed the server
   * or who is signed in); a failure keeps what is shown.
   */
  async refresh(): Promise<void> {
    if (this.status !== 'ready') return this.load();
    try {
      this.view = await this.#ports.request('getSettings', {});
    } catch {
      // What is shown stays; the next load says what went wrong.
    }
  }

  /** Opens a key's control, starting from the value in force. */
  edit(key: UserKey): void {
    if (!this.view || !editableKeys(this.view.effective).includes(key)) return;
    this.editing = key;
    this.draft = draftFor(key, this.view);
    delete this.errors[key];
    this.announcement = '';
  }

  cancel(): void {
    if (this.editing) delete this.errors[this.editing];
    this.editing = null;
  }

  /** Saves the open control; true when saved (the control then closes). */
  async save(): Promise<boolean> {
    const key = this.editing;
    if (!key) return false;
    const parsed = changesFromDraft(key, this.draft);
    if (!parsed.ok) {
      this.errors[key] = this.#ports.translate(parsed.error.messageKey, parsed.error.substitutions);
      return false;
    }
    if (await this.#submit(key, parsed.changes)) {
      this.editing = null;
      return true;
    }
    return false;
  }

  /** Removes the sender's own value of a key: the organisation's or the built-in one applies. */
  async useDefault(key: UserKey): Promise<boolean> {
    const saved = await this.#submit(key, { [key]: null });
    if (saved && this.editing === key) this.editing = null;
    return saved;
  }

  async #submit(key: UserKey, changes: UserSettingsChanges): Promise<boolean> {
    delete this.errors[key];
    this.saving = true;
    try {
      this.view = await this.#ports.request('saveSettings', { changes });
      this.announcement = this.#ports.translate('optionsSettingSaved');
      return true;
    } catch (error) {
      // The background's refusal is a sentence ("Not saved: your organisation sets this now");
      // the page then shows the settings in force, the lock included.
      this.errors[key] = errorText(error);
      await this.refresh();
      return false;
    } finally {
      this.saving = false;
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
