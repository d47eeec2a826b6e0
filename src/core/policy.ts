/**
 * The settings in force under the organisation's policy: each key's effective value and its
 * source (default / sender / organisation), whether the policy requires secure mode for a
 * message, and the sender's own settings where the policy lets them choose. Reading and checking
 * the policy itself is ./managedPolicy.ts and ./policyChecks.ts (re-exported here, so callers
 * have one module).
 */
export * from './managedPolicy.ts';
export { CHECKS, readManagedPolicy, type Check } from './policyChecks.ts';
import { domainOf, normaliseAddress } from './address.ts';
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from './languages.ts';
import type { MenuEntry } from './methodMenu.ts';
import type { VerificationMethod } from './methods.ts';
import type { RecipientSettings } from './recipientSettings.ts';
import {
  type SubjectHandling,
  type EnforceSecureFor,
  type ManagedSettings,
  type ManagedKey,
  type PolicyProblem,
  MANAGED_KEYS,
} from './managedPolicy.ts';
import { CHECKS, type Check } from './policyChecks.ts';
/**
 * Where an effective value came from, as the options page shows it. `server`: the organisation's
 * name the server gave at sign-in (no policy names one); `effectiveSettings` never gives it.
 */
export type SettingSource = 'default' | 'user' | 'organisation' | 'server';

export interface EffectiveSetting<T> {
  /** Undefined only for a key without default that nobody set. */
  value: T | undefined;
  source: SettingSource;
  /** The sender cannot change it (options page: "set by your organisation"). */
  locked: boolean;
}

export type EffectiveSettings = { [K in ManagedKey]: EffectiveSetting<ManagedSettings[K]> };

/**
 * Keys only an organisation decides on: when the policy sets one it wins over the sender and
 * is read-only, with or without `lockUserSettings`. These restrict what is sent or where it
 * goes, so a sender's own value must not undo them.
 */
export const ORGANISATION_KEYS: readonly ManagedKey[] = [
  'serverUrl',
  'organisationName',
  'internalDomains',
  'enforceSecureFor',
  'allowedMethods',
  'minimumCodeStrength',
  'lockUserSettings',
];

/**
 * The value in force per key. Precedence:
 * - a key in ORGANISATION_KEYS that the policy sets: organisation, locked;
 * - any other key the policy sets, with `lockUserSettings`: organisation, locked;
 * - any other key the policy sets, without it: the policy value is the organisation's default,
 *   so the sender's own value wins when there is one (source `user`), else the policy's;
 * - otherwise the sender's value, else the built-in default.
 * A `defaultMethod` / `defaultLanguage` outside the effective `allowedMethods` / `languages` is
 * dropped (value undefined, source `default`). `lockUserSettings` defaults to
 * `managed.lockUserSettings`.
 */
export function effectiveSettings(input: {
  defaults: Partial<ManagedSettings>;
  user: Partial<ManagedSettings>;
  managed: Partial<ManagedSettings>;
  lockUserSettings?: boolean;
}): EffectiveSettings {
  const { defaults, user, managed } = input;
  const lock = input.lockUserSettings ?? managed.lockUserSettings ?? false;
  const result: Partial<Record<ManagedKey, EffectiveSetting<unknown>>> = {};
  for (const key of MANAGED_KEYS) {
    const managedSets = managed[key] !== undefined;
    const organisationWins = managedSets && (lock || ORGANISATION_KEYS.includes(key));
    if (organisationWins)
      result[key] = { value: managed[key], source: 'organisation', locked: true };
    else if (user[key] !== undefined)
      result[key] = { value: user[key], source: 'user', locked: false };
    else if (managedSets)
      result[key] = { value: managed[key], source: 'organisation', locked: false };
    else result[key] = { value: defaults[key], source: 'default', locked: false };
  }
  const effective = result as EffectiveSettings;
  // A preselection outside the list in force (say the sender's "email" when the organisation
  // allows only sms) would offer what is not allowed: it is dropped, nothing is preselected.
  const method = effective.defaultMethod.value;
  const allowed = effective.allowedMethods.value;
  if (method !== undefined && allowed !== undefined && !allowed.includes(method)) {
    effective.defaultMethod = {
      value: undefined,
      source: 'default',
      locked: effective.defaultMethod.locked,
    };
  }
  const language = effective.defaultLanguage.value;
  const offered = effective.languages.value;
  if (language !== undefined && offered !== undefined && !offered.includes(language)) {
    effective.defaultLanguage = {
      value: undefined,
      source: 'default',
      locked: effective.defaultLanguage.locked,
    };
  }
  return effective;
}

/**
 * Whether `enforceSecureFor` applies to a message, and to which of its recipients (for the
 * panel's "why"). A domain entry matches that domain and its subdomains; an address entry
 * matches that address. Recipients are compared normalised.
 */
export function isEnforcedFor(
  recipients: readonly string[],
  setting: EnforceSecureFor | undefined,
): { enforced: boolean; matchedRecipients: string[] } {
  if (setting === undefined) return { enforced: false, matchedRecipients: [] };
  const addresses = recipients.map(normaliseAddress);
  if (setting === 'all') return { enforced: true, matchedRecipients: addresses };
  const entries = setting.map(normaliseAddress);
  const matchedRecipients = addresses.filter((address) => {
    const domain = domainOf(address);
    return entries.some((entry) =>
      entry.includes('@') ? entry === address : domain === entry || domain.endsWith(`.${entry}`),
    );
  });
  return { enforced: matchedRecipients.length > 0, matchedRecipients };
}

/** A recipient as far as enforcement needs it. */
export interface EnforcementRecipient {
  address: string;
  isSender: boolean;
}

/** Secure mode is required for this message: for every message, or because of these recipients. */
export interface SecureRequirement {
  all: boolean;
  recipients: string[];
}

/**
 * The requirement `enforceSecureFor` puts on a message, or null when it puts none. The sender's
 * own address never counts; `"all"` applies to every message ("all mail", docs/policy-keys.md),
 * even one
 * whose recipients are still to be added; a list applies to the recipients it matches.
 */
export function secureRequirementFor(
  recipients: readonly EnforcementRecipient[],
  setting: EnforceSecureFor | undefined,
): SecureRequirement | null {
  const others = recipients
    .filter((recipient) => !recipient.isSender)
    .map((recipient) => recipient.address);
  const { enforced, matchedRecipients } = isEnforcedFor(others, setting);
  if (!enforced) return null;
  return { all: setting === 'all', recipients: matchedRecipients };
}

/** The method menu without the entries of methods the policy does not allow. */
export function allowedMenuEntries(
  entries: readonly MenuEntry[],
  allowedMethods: readonly VerificationMethod[] | undefined,
): MenuEntry[] {
  if (allowedMethods === undefined) return [...entries];
  return entries.filter((entry) => allowedMethods.includes(entry.method));
}

/**
 * The subject the outgoing (visible) mail carries: the sender's own with `"keep"`, else the
 * neutral one in the notification language (`neutralSubject`, from the catalogs). The real
 * subject is sealed inside either way.
 */
export function visibleSubject(
  originalSubject: string,
  handling: SubjectHandling | undefined,
  languages: readonly NotificationLanguage[],
  neutralSubject: (language: NotificationLanguage) => string,
): string {
  if (handling !== 'neutral') return originalSubject;
  // One message, one subject: with recipients in several languages each one's neutral subject
  // is shown, in the order of the notification's sections.
  const subjects = [...new Set(languages.map(neutralSubject))];
  return subjects.length > 0 ? subjects.join(' / ') : neutralSubject('en');
}

/** The visible subject of one message, as the panel shows it and sealing applies it. */
export interface SubjectChoice {
  /** The mail shows the neutral subject; the real one is sealed inside. */
  neutral: boolean;
  /** The organisation's locked `"neutral"`: the sender cannot show the real subject. */
  enforced: boolean;
}

/**
 * Neutral or not for one message: the sender's tick in the panel (undefined while untouched)
 * wins over the `subject` setting, except that a locked `"neutral"` cannot be undone. A locked
 * `"keep"` does not forbid the tick: a neutral subject hides more, never less
 * (docs/policy-keys.md, `subject`).
 */
export function subjectChoice(
  setting: Pick<EffectiveSetting<SubjectHandling>, 'value' | 'locked'>,
  chosen: boolean | undefined,
): SubjectChoice {
  const enforced = setting.value === 'neutral' && setting.locked;
  return { neutral: enforced || (chosen ?? setting.value === 'neutral'), enforced };
}

/** Keys the sender may set on the options page (unless `lockUserSettings` or the policy fixes them). */
export const USER_KEYS = [
  'secureByDefault',
  'defaultMethod',
  'expiryDays',
  'subject',
  'languages',
  'defaultLanguage',
] as const satisfies readonly ManagedKey[];

export type UserKey = (typeof USER_KEYS)[number];

/** The sender's own settings, as stored. */
export type UserSettings = Partial<Pick<ManagedSettings, UserKey>>;

/** A change from the options page: a value, or null for "back to the default". */
export type UserSettingsChanges = { [K in UserKey]?: ManagedSettings[K] | null };

/** The keys the sender may change on the options page: their own keys the organisation did not lock. */
export function editableKeys(effective: EffectiveSettings): UserKey[] {
  return USER_KEYS.filter((key) => !effective[key].locked);
}

function isUserKey(key: string): key is UserKey {
  return (USER_KEYS as readonly string[]).includes(key);
}

/**
 * Stored user settings are input too: each key is checked like a policy value, and one that
 * fails is dropped (the sender's value is a preference; its absence is today's default) rather
 * than replaced by the policy's safe fallback.
 */
export function readUserSettings(raw: unknown): UserSettings {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const record = raw as Record<string, unknown>;
  const settings: Record<string, unknown> = {};
  for (const key of USER_KEYS) {
    if (record[key] === undefined) continue;
    let valid = true;
    const value = (CHECKS[key] as Check<typeof key>)(
      record[key],
      () => (valid = false),
      settings as Partial<ManagedSettings>,
    );
    if (valid && value !== undefined) settings[key] = value;
  }
  return settings as UserSettings;
}

/**
 * Applies a change to the stored user settings. Returns the new settings, or the problems that
 * stop it (a locked key, an invalid value): nothing is stored then.
 */
export function applyUserSettingsChanges(
  current: UserSettings,
  changes: UserSettingsChanges,
  effective: EffectiveSettings,
): { ok: true; settings: UserSettings } | { ok: false; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (!isUserKey(key)) {
      problems.push({ key, message: 'cannot be changed here' });
      continue;
    }
    if (effective[key].locked) {
      problems.push({ key, message: 'is set by your organisation' });
      continue;
    }
    if (value === null || value === undefined) {
      delete next[key];
      continue;
    }
    const report = (message: string) => problems.push({ key, message });
    const checked = (CHECKS[key] as Check<typeof key>)(value, report, {});
    if (checked !== undefined) next[key] = checked;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, settings: readUserSettings(next) };
}

/**
 * A recipient's settings as the policy lets them count: a remembered method the organisation
 * does not allow is dropped (the sender must choose again), an external recipient with no
 * method gets `defaultMethod`, and a language that is not offered gives way to the default.
 * Nothing here is stored: the sender's records stay as they were, should the policy change back.
 */
export function recipientSettingsUnderPolicy(
  settings: RecipientSettings | null,
  recipient: { address: string; internal: boolean },
  policy: {
    allowedMethods?: readonly VerificationMethod[] | undefined;
    defaultMethod?: VerificationMethod | undefined;
    languages?: readonly NotificationLanguage[] | undefined;
  },
  /** A usable key is known for the address: `account` is chosen unless the sender chose. */
  keyKnown = false,
): RecipientSettings | null {
  let result = settings ? { ...settings } : null;
  if (result?.method && policy.allowedMethods && !policy.allowedMethods.includes(result.method)) {
    delete result.method;
  }
  if (result?.language && policy.languages && !policy.languages.includes(result.language)) {
    delete result.language;
  }
  const accountAllowed = !policy.allowedMethods || policy.allowedMethods.includes('account');
  if (keyKnown && accountAllowed && !result?.method) {
    // The guide: the recipient's account is selected automatically as the strongest method,
    // colleagues included, ahead of the organisation's default.
    return {
      ...(result ?? { address: recipient.address, updatedAt: new Date(0).toISOString() }),
      method: 'account',
    };
  }
  if (!recipient.internal && !result?.method && policy.defaultMethod) {
    result = {
      ...(result ?? { address: recipient.address, updatedAt: new Date(0).toISOString() }),
      method: policy.defaultMethod,
    };
  }
  return result;
}

/**
 * The notification language for recipients without one of their own: the policy's (or
 * sender's) `defaultLanguage`, else the UI language when it is offered, else the first offered.
 */
export function defaultNotificationLanguage(
  effective: Pick<EffectiveSettings, 'defaultLanguage' | 'languages'>,
  uiLanguage: NotificationLanguage,
): NotificationLanguage {
  const offered = effective.languages.value ?? [...NOTIFICATION_LANGUAGES];
  const chosen = effective.defaultLanguage.value;
  if (chosen !== undefined && offered.includes(chosen)) return chosen;
  if (offered.includes(uiLanguage)) return uiLanguage;
  return offered[0] ?? uiLanguage;
}
