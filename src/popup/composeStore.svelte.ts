import type { NotificationLanguage } from '../core/languages.ts';
import type { MenuEntryId } from '../core/methodMenu.ts';
import { parsePhone } from '../core/recipientDirectory.ts';
import type { RecipientSettings } from '../core/recipientSettings.ts';
import type {
  ComposeState,
  RecipientView,
  RequestName,
  Requests,
  SendProblem,
} from '../messaging/protocol.ts';
import {
  changesForEntry,
  draftAfterChoosing,
  problemKey,
  recipientRowModel,
  type RecipientDraft,
  type RecipientRowModel,
  type Translate,
} from '../ui/recipientRow.ts';
import { RecipientSaver } from '../ui/recipientSaver.ts';

/** What the popup needs from its surroundings; the real ones talk to Thunderbird. */
export interface ComposePorts {
  request<K extends RequestName>(name: K, payload: Requests[K]['req']): Promise<Requests[K]['res']>;
  /** Id of the compose tab this popup belongs to; rejects when there is none. */
  findComposeTab(): Promise<number>;
  translate: Translate;
  /** Opens Sealpost's options page (to sign in to the server) and closes the popup. */
  openOptions(): Promise<void>;
}

/**
 * There is no "recipients changed" event, so the popup asks again
 * about once a second while it is open.
 */
export const POLL_INTERVAL_MS = 1000;

/**
 * The popup's state: the compose tab's state as the background last reported it, overlaid with
 * the sender's own edits, and what is still being saved.
 */
export class ComposeStore {
  state = $state<ComposeState | null>(null);
  /** Why the popup could not load at all (no compose tab, background not answering). */
  loadError = $state<string | null>(null);
  drafts = $state<Record<string, RecipientDraft>>({});
  pending = $state<Record<string, number>>({});
  saveErrors = $state<Record<string, string>>({});
  secureSaving = $state(false);
  secureError = $state<string | null>(null);
  /** A Bcc recipient's sealed copy is being sent again from this window. */
  copySending = $state(false);
  dismissedProblem = $state<string | null>(null);

  readonly #ports: ComposePorts;
  readonly #saver: RecipientSaver;
  #tabId: number | null = null;
  #pollTimer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  /**
   * Bumped whenever the sender changes something. A poll answer that was asked for before
   * the latest change is dropped, so a second-old state cannot flip a toggle back.
   */
  #changeEpoch = 0;

  constructor(ports: ComposePorts) {
    this.#ports = ports;
    this.#saver = new RecipientSaver({
      save: async (address, changes) => {
        // An organisation-wide code goes to the directory too, so colleagues see it.
        if (changes.method === 'org-code' && changes.code) {
          const answer = await ports.request('saveOrgCode', { address, code: changes.code });
          if (!answer.ok) throw new Error(answer.message);
          return answer.value.settings;
        }
        return (await ports.request('saveRecipientSettings', { address, changes })).settings;
      },
      onPendingChange: (address, count) => {
        this.#changeEpoch++;
        if (count === 0) {
          delete this.pending[address];
          // The menu's labels depend on what is stored ("Access code <code>"): ask again now,
          // after the epoch bump above so this answer is not dropped.
          void this.refresh();
        } else {
          this.pending[address] = count;
        }
      },
      onSaved: (settings) => this.#applySaved(settings),
      onError: (address, error) => {
        this.saveErrors[address] = error.message;
      },
    });
  }

  /** The problem to show: the stored one, unless the sender dismissed it here. */
  get problem(): SendProblem | null {
    const problem = this.state?.problem ?? null;
    if (!problem || problemKey(problem) === this.dismissedProblem) return null;
    return problem;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    try {
      this.#tabId = await this.#ports.findComposeTab();
    } catch (error) {
      this.loadError = errorText(error);
      return;
    }
    await this.refresh();
    this.#schedulePoll();
  }

  /** Stops polling and sends anything still waiting (the popup is closing). */
  stop(): void {
    this.#stopped = true;
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#pollTimer = null;
    // A number typed but not yet committed (the popup closed before blur) is saved now.
    for (const [address, draft] of Object.entries(this.drafts)) {
      if (draft.phone !== undefined && !draft.phoneErrorKey) this.commitPhone(address);
    }
    void this.#saver.flushAll();
  }

  async refresh(): Promise<void> {
    if (this.#tabId === null) return;
    const askedAt = this.#changeEpoch;
    try {
      const state = await this.#ports.request('getComposeState', { tabId: this.#tabId });
      if (askedAt !== this.#changeEpoch) return;
      this.state = state;
      this.loadError = null;
    } catch (error) {
      // Once loaded, a failed poll keeps the last state; the next poll tries again.
      if (!this.state) this.loadError = errorText(error);
    }
  }

  rowModel(view: RecipientView): RecipientRowModel {
    return recipientRowModel(view, this.drafts[view.address], this.#ports.translate, {
      languages: this.state?.languages ?? [],
      ...(this.state ? { minimumCodeStrength: this.state.minimumCodeStrength } : {}),
    });
  }

  /** Every change of this recipient has been acknowledged by the background. */
  isSaved(address: string): boolean {
    return (this.pending[address] ?? 0) === 0 && this.saveErrors[address] === undefined;
  }

  /** The sender's "Send by link" tick (only offered when size and domains do not decide). */
  async setLinkDelivery(byLink: boolean): Promise<void> {
    const delivery = this.state?.delivery;
    if (!delivery || this.#tabId === null) return;
    this.#changeEpoch++;
    delivery.byLink = byLink;
    delivery.reason = byLink ? 'chosen' : null;
    try {
      await this.#ports.request('setLinkDelivery', { tabId: this.#tabId, byLink });
    } finally {
      this.#changeEpoch++;
    }
  }

  /** The sender's "Use a neutral subject" tick for this message (not while it is enforced). */
  async setNeutralSubject(neutral: boolean): Promise<void> {
    const subject = this.state?.subject;
    if (!subject || subject.enforced || this.#tabId === null) return;
    this.#changeEpoch++;
    subject.neutral = neutral;
    try {
      const answer = await this.#ports.request('setNeutralSubject', {
        tabId: this.#tabId,
        neutral,
      });
      if (this.state?.subject) this.state.subject = answer;
    } finally {
      this.#changeEpoch++;
    }
  }

  async setSecure(secure: boolean): Promise<void> {
    if (!this.state || this.#tabId === null) return;
    this.#changeEpoch++;
    const before = this.state.secure;
    this.state.secure = secure;
    this.secureSaving = true;
    this.secureError = null;
    try {
      const answer = await this.#ports.request('setSecureMode', { tabId: this.#tabId, secure });
      if (this.state) {
        this.state.secure = answer.secure;
        // Refused because the policy requires it: the toggle shows why at once.
        if (answer.required) this.state.secureRequired = answer.required;
      }
    } catch (error) {
      if (this.state) this.state.secure = before;
      this.secureError = errorText(error);
    } finally {
      this.#changeEpoch++;
      this.secureSaving = false;
    }
  }

  chooseEntry(address: string, entryId: MenuEntryId): void {
    const view = this.#view(address);
    const entry = view?.menu.find((candidate) => candidate.id === entryId);
    if (!view || !entry || entry.disabledReasonKey) return;
    const storedCode = view.settings?.method === 'code' ? view.settings.code : undefined;
    this.drafts[address] = draftAfterChoosing(this.drafts[address], entry, storedCode);
    this.#save(address, changesForEntry(entry));
  }

  /** The sender compared the new key and takes it: the send may seal to it. */
  confirmKey(address: string): void {
    const fingerprint = this.#view(address)?.key?.fingerprint;
    if (!fingerprint) return;
    this.#save(address, { method: 'account', keyFingerprint: fingerprint });
  }

  /** Takes back the code that choosing "Access code" (new) replaced. */
  restoreCode(address: string): void {
    const code = this.drafts[address]?.replacedCode;
    if (!code) return;
    const { language } = this.drafts[address] ?? {};
    // Shown in the field until the next poll offers "Access code <code>" again.
    this.drafts[address] = { ...(language ? { language } : {}), entry: 'code-existing', code };
    this.#save(address, { method: 'code', code });
  }

  /** The sender typed in the code field: keep it, save after a short pause. */
  editCode(address: string, code: string): void {
    // Typing a code means "a new code": keep the field open even once the stored code makes
    // the menu offer "Access code <code>". Whose code it is follows the chosen entry.
    const draft = this.drafts[address];
    const organisation =
      draft?.entry === 'org-code-new' ||
      (draft?.entry === undefined && this.#view(address)?.settings?.method === 'org-code');
    const entry: MenuEntryId = organisation ? 'org-code-new' : 'code-new';
    this.drafts[address] = { ...draft, entry, code };
    delete this.saveErrors[address];
    this.#saver.saveSoon(address, { method: organisation ? 'org-code' : 'code', code });
  }

  /** The sender types a mobile number: kept as typed until committed. */
  editPhone(address: string, phone: string): void {
    const draft = { ...this.drafts[address], entry: 'sms-new' as const, phone };
    delete draft.phoneErrorKey;
    this.drafts[address] = draft;
  }

  /**
   * Change or blur of the phone field: a valid number is saved in E.164 (and shown so); an
   * invalid one stays in the field with the reason.
   */
  commitPhone(address: string): void {
    const draft = this.drafts[address];
    if (draft?.phone === undefined) return;
    const parsed = parsePhone(draft.phone, this.state?.defaultCountry ?? null);
    if (!parsed.ok) {
      if (parsed.reason === 'empty') return;
      this.drafts[address] = {
        ...draft,
        phoneErrorKey: parsed.reason === 'not-mobile-like' ? 'phoneFixedLine' : 'phoneInvalid',
      };
      return;
    }
    this.drafts[address] = { ...draft, phone: parsed.e164 };
    delete this.drafts[address].phoneErrorKey;
    this.#save(address, { method: 'sms', phone: parsed.e164 });
  }

  /** Change or blur of the code field: save a waiting code now. */
  commitCode(address: string): void {
    void this.#saver.flush(address);
  }

  setLanguage(address: string, language: NotificationLanguage): void {
    this.drafts[address] = { ...this.drafts[address], language };
    this.#save(address, { language });
  }

  /** The sender follows the panel's "sign in" note to the options page. */
  async openOptions(): Promise<void> {
    try {
      await this.#ports.openOptions();
    } catch (error) {
      this.loadError = errorText(error);
    }
  }

  /**
   * Sends again the sealed copy this window holds. Sent, the window closes (and the popup with
   * it); refused again, the refreshed state shows the new reason.
   */
  async sendSealedCopy(): Promise<void> {
    if (this.#tabId === null || this.copySending) return;
    this.copySending = true;
    try {
      await this.#ports.request('sendSealedCopy', { tabId: this.#tabId });
    } catch (error) {
      this.loadError = errorText(error);
    } finally {
      this.copySending = false;
    }
    await this.refresh();
  }

  async dismissProblem(): Promise<void> {
    const problem = this.state?.problem;
    if (!problem || this.#tabId === null) return;
    this.dismissedProblem = problemKey(problem);
    try {
      await this.#ports.request('dismissProblem', { tabId: this.#tabId });
    } catch {
      // Hidden here already; the background shows it again only if it still holds it.
    }
  }

  #view(address: string): RecipientView | undefined {
    return this.state?.recipients.find((view) => view.address === address);
  }

  #save(address: string, changes: Parameters<RecipientSaver['save']>[1]): void {
    delete this.saveErrors[address];
    void this.#saver.save(address, changes);
  }

  #applySaved(settings: RecipientSettings): void {
    for (const view of this.state?.recipients ?? []) {
      if (view.address === settings.address) view.settings = settings;
    }
  }

  #schedulePoll(): void {
    if (this.#stopped) return;
    this.#pollTimer = setTimeout(async () => {
      await this.refresh();
      this.#schedulePoll();
    }, POLL_INTERVAL_MS);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
