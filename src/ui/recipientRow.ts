import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../core/languages.ts';
import { shortReasonKey, type MenuEntry, type MenuEntryId } from '../core/methodMenu.ts';
import { takesAccessCode, type VerificationMethod } from '../core/methods.ts';
import type { RecipientSettings } from '../core/recipientSettings.ts';
import { MINIMUM_SERVER_CODE_LENGTH } from '../core/recipientDirectory.ts';
import type { RecipientField, RecipientView, SendProblem } from '../messaging/protocol.ts';

/** Looks up a `_locales` message; injected so this module stays free of browser APIs. */
export type Translate = (key: string, substitutions?: readonly string[]) => string;

/** What a recipient row may change in the remembered settings. */
export type RecipientChanges = Partial<Omit<RecipientSettings, 'address' | 'updatedAt'>>;

/**
 * What the sender did in this popup and has not been overtaken by: the entry they picked, the
 * code they are typing, the language they chose. It wins over the polled state, which may be a
 * second old and must not undo a choice made a moment ago.
 */
export interface RecipientDraft {
  entry?: MenuEntryId;
  code?: string;
  language?: NotificationLanguage;
  /**
   * The stored code that choosing "Access code" (new) cleared. Kept so the sender can take it
   * back: in Firefox, arrowing through a closed menu picks each entry on the way.
   */
  replacedCode?: string;
  /** The phone number as being typed (method `sms`, new number). */
  phone?: string;
  /** `_locales` key of why the typed number was not taken. */
  phoneErrorKey?: string;
}

/** One `<option>` of the method menu. */
export interface MethodOption {
  value: MenuEntryId;
  /** Visible text: the label, and the reason when the entry cannot be chosen. */
  text: string;
  label: string;
  disabled: boolean;
  disabledReason?: string;
}

/** Everything a recipient row renders, derived from the polled view and the local draft. */
export interface RecipientRowModel {
  address: string;
  /** Name as typed in the compose field, or the address when there is none. */
  displayName: string;
  field: RecipientField;
  list?: string;
  kind: 'internal' | 'external';
  /**
   * The row has a method menu. Internal colleagues need none once their account key is known;
   * until then (no directory yet) they choose a factor like anyone else, or could not open it.
   */
  needsVerification: boolean;
  /** Selected menu entry; '' while no method is set (the placeholder is shown). */
  selectedEntry: MenuEntryId | '';
  options: MethodOption[];
  /** Why the selected entry cannot be used, when it is a disabled one. */
  selectedDisabledReason?: string;
  /** Warning of the selected entry (email verification is not a real second factor). */
  warning?: string;
  /** The access code field is shown: a new code is being set, or the code method has none. */
  showCodeField: boolean;
  /** Whose code the field sets: this sender's own, or the organisation's (shared). */
  codeKind: 'personal' | 'organisation';
  code: string;
  /**
   * With a server, codes are server-protected: at least this many characters instead of the
   * offline strength rule. Absent without a server.
   */
  serverCodeMinimum?: number;
  /** The phone field is shown (SMS to a new number). */
  showPhoneField: boolean;
  phone: string;
  /** Why the typed number was not taken, translated. */
  phoneError?: string;
  /** The number in the field is the one stored (so the row can say where codes go). */
  phoneSaved: boolean;
  language: NotificationLanguage;
  /** Languages offered in the language menu (policy `languages`; the current one always). */
  languages: NotificationLanguage[];
  /** log10 of the guesses an offline access code must need (policy `minimumCodeStrength`). */
  minimumCodeStrength?: number;
  /** A code replaced in this popup that the sender can still keep instead. */
  replacedCode?: string;
  /** Method `account`: the key it seals to, fingerprint in groups of four, and where it came from. */
  key?: { fingerprint: string; source: string };
  /** The key differs from the one sealed to last time: shown, and the send waits for a confirmation. */
  keyChanged?: { previous: string; current: string };
  /** A key lookup is under way for this address. */
  lookingUpKey: boolean;
}

/** A fingerprint as people compare it: groups of four hex digits. */
export function groupedFingerprint(fingerprint: string): string {
  return fingerprint.replace(/(.{4})(?=.)/g, '$1 ');
}

const KEY_SOURCE_KEYS = {
  server: 'keySourceServer',
  wkd: 'keySourceWkd',
  manual: 'keySourceManual',
} as const;

/** What the whole panel knows that shapes every row: the policy's languages and code minimum. */
export interface RowContext {
  languages: readonly NotificationLanguage[];
  minimumCodeStrength?: number;
}

/** The menu entry that shows the remembered settings, or '' when no method is remembered. */
export function entryForSettings(
  settings: RecipientSettings | null,
  menu: readonly MenuEntry[],
): MenuEntryId | '' {
  const method = settings?.method;
  if (!method) return '';
  const candidates = menu.filter((entry) => entry.method === method);
  if (candidates.length === 0) return '';
  // "Existing" entries exist only when something is stored (a code, a number): prefer them,
  // except that a code method with no stored code is by definition a new code.
  const preferExisting = takesAccessCode(method) ? Boolean(settings.code) : true;
  const existing = candidates.find((entry) => isExistingEntry(entry.id));
  if (preferExisting && existing) return existing.id;
  return (candidates.find((entry) => !isExistingEntry(entry.id)) ?? candidates[0]!).id;
}

function isExistingEntry(id: MenuEntryId): boolean {
  return id === 'code-existing' || id === 'org-code-existing' || id === 'sms-known';
}

/** The options of the method menu, in the order the background built them. */
export function methodOptions(menu: readonly MenuEntry[], translate: Translate): MethodOption[] {
  return menu.map((entry) => {
    const label = translate(entry.labelKey, entry.labelParams);
    if (!entry.disabledReasonKey) return { value: entry.id, text: label, label, disabled: false };
    const disabledReason = translate(entry.disabledReasonKey);
    return {
      value: entry.id,
      text: `${label} (${translate(shortReasonKey(entry.disabledReasonKey))})`,
      label,
      disabled: true,
      disabledReason,
    };
  });
}

/** Builds the row model; the draft (this popup's own edits) wins over the polled view. */
export function recipientRowModel(
  view: RecipientView,
  draft: RecipientDraft | undefined,
  translate: Translate,
  context: RowContext = { languages: NOTIFICATION_LANGUAGES },
): RecipientRowModel {
  const language = draft?.language ?? view.language;
  const base = {
    address: view.address,
    displayName: view.name.trim() || view.address,
    field: view.field,
    ...(view.list ? { list: view.list } : {}),
    language,
    // The language in use stays selectable, so the menu never shows a value it does not have.
    languages: NOTIFICATION_LANGUAGES.filter(
      (candidate) => context.languages.includes(candidate) || candidate === language,
    ),
    ...(context.minimumCodeStrength === undefined
      ? {}
      : { minimumCodeStrength: context.minimumCodeStrength }),
  };
  if (view.internal && view.menu.length === 0) {
    return {
      ...base,
      kind: 'internal',
      needsVerification: false,
      selectedEntry: '',
      options: [],
      showCodeField: false,
      codeKind: 'personal',
      code: '',
      showPhoneField: false,
      phone: '',
      phoneSaved: false,
      lookingUpKey: view.lookingUpKey === true,
    };
  }
  const draftEntryOffered = draft?.entry && view.menu.some((entry) => entry.id === draft.entry);
  const selectedEntry =
    draftEntryOffered && draft.entry ? draft.entry : entryForSettings(view.settings, view.menu);
  const selected = view.menu.find((entry) => entry.id === selectedEntry);
  const code = draft?.code ?? view.settings?.code ?? '';
  const model: RecipientRowModel = {
    ...base,
    kind: view.internal ? 'internal' : 'external',
    needsVerification: true,
    selectedEntry,
    options: methodOptions(view.menu, translate),
    showCodeField:
      selectedEntry === 'code-new' ||
      selectedEntry === 'org-code-new' ||
      (selected !== undefined && takesAccessCode(selected.method) && code.trim() === ''),
    codeKind: selected?.method === 'org-code' ? 'organisation' : 'personal',
    code,
    showPhoneField: selectedEntry === 'sms-new',
    phone: draft?.phone ?? '',
    phoneSaved: Boolean(draft?.phone) && draft?.phone === view.settings?.phone,
    lookingUpKey: view.lookingUpKey === true,
  };
  if (selected?.method === 'account' && view.key) {
    if (view.previousFingerprint) {
      model.keyChanged = {
        previous: groupedFingerprint(view.previousFingerprint),
        current: groupedFingerprint(view.key.fingerprint),
      };
    } else {
      model.key = {
        fingerprint: groupedFingerprint(view.key.fingerprint),
        source: translate(KEY_SOURCE_KEYS[view.key.source]),
      };
    }
  }
  if (serverConfigured(view)) model.serverCodeMinimum = MINIMUM_SERVER_CODE_LENGTH;
  if (draft?.phoneErrorKey) model.phoneError = translate(draft.phoneErrorKey);
  if (selected?.disabledReasonKey) {
    model.selectedDisabledReason = translate(selected.disabledReasonKey);
  }
  if (selected?.warningKey) model.warning = translate(selected.warningKey);
  if (model.showCodeField && draft?.replacedCode && draft.replacedCode !== code) {
    model.replacedCode = draft.replacedCode;
  }
  return model;
}

/**
 * What choosing a menu entry saves. "Access code <code>" keeps the stored code; "Access code"
 * clears it, so the sender types or generates a new one (an empty code cancels a send, so an
 * abandoned choice can never seal with a stale code the sender meant to replace).
 */
export function changesForEntry(entry: MenuEntry): RecipientChanges {
  switch (entry.id) {
    case 'code-new':
      return { method: 'code', code: '' };
    case 'org-code-new':
      return { method: 'org-code', code: '' };
    case 'sms-new':
      return { method: 'sms', phone: '' };
    case 'org-code-existing':
      return entry.stores?.code
        ? { method: 'org-code', code: entry.stores.code }
        : { method: 'org-code' };
    case 'sms-known':
      return entry.stores?.phone ? { method: 'sms', phone: entry.stores.phone } : { method: 'sms' };
    default:
      return { method: entry.method satisfies VerificationMethod };
  }
}

/**
 * The draft after choosing an entry: a new code starts empty (remembering the stored code it
 * replaces), any other entry drops typed edits.
 */
export function draftAfterChoosing(
  draft: RecipientDraft | undefined,
  entry: MenuEntry,
  storedCode: string | undefined,
): RecipientDraft {
  const next: RecipientDraft = { ...draft, entry: entry.id };
  delete next.code;
  delete next.replacedCode;
  delete next.phone;
  delete next.phoneErrorKey;
  if (entry.id === 'org-code-new') next.code = '';
  if (entry.id === 'code-new') {
    next.code = '';
    const replaced = draft?.replacedCode ?? storedCode;
    if (replaced) next.replacedCode = replaced;
  }
  return next;
}

/** Which control of a row a send problem is about, so the popup can focus it. */
export function problemControl(problem: SendProblem): 'method' | 'code' | 'phone' | null {
  switch (problem.reason) {
    case 'no-method':
    case 'method-unavailable':
    case 'method-not-allowed':
    case 'not-signed-in':
    case 'no-key':
    case 'key-changed':
      return 'method';
    case 'no-phone':
      return 'phone';
    case 'empty-code':
    case 'weak-code':
      return 'code';
    default:
      return null;
  }
}

/** Identifies one occurrence of a problem, so focusing it happens once, not on every poll. */
export function problemKey(problem: SendProblem): string {
  return JSON.stringify([problem.reason, problem.recipient ?? '', problem.message]);
}

/**
 * Unique, stable keys for the rows: the same address can appear in two fields or via a list,
 * and a keyed `{#each}` must never see a duplicate.
 */
export function rowKeys(views: readonly RecipientView[]): string[] {
  const seen = new Map<string, number>();
  return views.map((view) => {
    const base = `${view.field}|${view.address}|${view.list ?? ''}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}|${count}`;
  });
}

/**
 * A server is configured when the background enabled the server methods in the menu (the view
 * carries no separate flag; the menu is built from it).
 */
function serverConfigured(view: RecipientView): boolean {
  return view.menu.some((entry) => entry.method === 'sms' && !entry.disabledReasonKey);
}
