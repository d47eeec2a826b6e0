/**
 * Organisation policy (docs/policy-keys.md): the managed settings an organisation sets in
 * `policies.json` → `3rdparty.Extensions["sealpost@sealpost.example"]`, which Thunderbird hands
 * over through `storage.managed` without validating them. `extension/policy.schema.json` is the
 * single source of truth for the keys; this module checks each key by hand (no schema engine:
 * the common ones compile validators with `new Function`, which an add-on must not do) and a
 * unit test proves the two agree on every key, type, enum and default.
 *
 * The rule for a bad value: report it, and use the SAFE choice for that key, never a less secure
 * one. The choice per key is documented on `SAFE_FALLBACKS` and in docs/policy-keys.md.
 */
import { isPlausibleAddress } from './address.ts';
import {
  NOTIFICATION_LANGUAGES,
  isNotificationLanguage,
  type NotificationLanguage,
} from './languages.ts';
import { VERIFICATION_METHODS, isVerificationMethod, type VerificationMethod } from './methods.ts';
import { DEFAULT_MINIMUM_GUESSES_LOG10 } from './accessCode.ts';

/** `"keep"` the sender's subject, or show a `"neutral"` one (the real one stays sealed inside). */
export type SubjectHandling = 'keep' | 'neutral';

/** `"all"` recipients, or a list of recipient domains and addresses. */
export type EnforceSecureFor = 'all' | string[];

/** Every key a policy may set, with its type after validation. */
export interface ManagedSettings {
  /** The organisation's server; null only as the fallback for an invalid URL (= no server). */
  serverUrl: string | null;
  organisationName: string;
  internalDomains: string[];
  secureByDefault: boolean;
  enforceSecureFor: EnforceSecureFor;
  allowedMethods: VerificationMethod[];
  defaultMethod: VerificationMethod;
  /** log10 of the guesses an access code must need (see `assessAccessCode`). */
  minimumCodeStrength: number;
  expiryDays: number;
  /**
   * The largest sealed mail, in MB (10^6 bytes), that may leave: a larger one is cancelled before
   * anything is sent (mail providers refuse mails of about 25 MB; a sealed mail is about 1.4× the
   * plain one).
   */
  maxMailSizeMB: number;
  subject: SubjectHandling;
  languages: NotificationLanguage[];
  defaultLanguage: NotificationLanguage;
  lockUserSettings: boolean;
}

export type ManagedKey = keyof ManagedSettings;

/** One thing wrong with the policy, for the options page and the console. */
export interface PolicyProblem {
  /** The policy key, or `""` for the policy as a whole. */
  key: string;
  message: string;
}

export interface ManagedPolicy {
  /** Valid keys as set, invalid ones replaced by their safe fallback; absent keys absent. */
  settings: Partial<ManagedSettings>;
  problems: PolicyProblem[];
}

/** Every key, in the order of the schema and the documentation. */
export const MANAGED_KEYS = [
  'serverUrl',
  'organisationName',
  'internalDomains',
  'secureByDefault',
  'enforceSecureFor',
  'allowedMethods',
  'defaultMethod',
  'minimumCodeStrength',
  'expiryDays',
  'maxMailSizeMB',
  'subject',
  'languages',
  'defaultLanguage',
  'lockUserSettings',
] as const satisfies readonly ManagedKey[];

/** Bounds of `minimumCodeStrength` (log10 guesses); see DEFAULT_MINIMUM_GUESSES_LOG10 for why. */
export const CODE_STRENGTH_RANGE = { minimum: 12, maximum: 18 } as const;
/** Bounds of `expiryDays`. */
export const EXPIRY_DAYS_RANGE = { minimum: 1, maximum: 365 } as const;
/** Bounds of `maxMailSizeMB`. */
export const MAX_MAIL_SIZE_RANGE = { minimum: 1, maximum: 2000 } as const;
export const ORGANISATION_NAME_MAX_LENGTH = 100;
export const SERVER_URL_MAX_LENGTH = 2048;
export const SUBJECT_HANDLINGS: readonly SubjectHandling[] = ['keep', 'neutral'];

/**
 * Today's behaviour, i.e. what applies when neither policy nor sender sets a key. Keys without
 * a default (serverUrl, organisationName, defaultMethod, defaultLanguage) are absent: the add-on
 * then has no server, no organisation name, and asks for a method / uses the UI language.
 */
export const MANAGED_DEFAULTS = {
  internalDomains: [],
  secureByDefault: false,
  enforceSecureFor: [],
  allowedMethods: [...VERIFICATION_METHODS],
  minimumCodeStrength: DEFAULT_MINIMUM_GUESSES_LOG10,
  expiryDays: 30,
  // Below the 25 MB most mail providers accept, as Thunderbird's own large-attachment hint.
  maxMailSizeMB: 20,
  subject: 'keep',
  languages: [...NOTIFICATION_LANGUAGES],
  lockUserSettings: false,
} as const satisfies Partial<ManagedSettings>;

/**
 * What an invalid value becomes. `undefined` means the key is left unset (with a problem
 * reported), which is safe for it because it only preselects or labels something.
 */
export const SAFE_FALLBACKS = {
  // No server rather than the sender's own: mail for the organisation must not go elsewhere.
  // Server methods are then disabled, so nothing is sent that relies on an unknown server.
  serverUrl: null,
  organisationName: undefined,
  // Fewer internal domains means more recipients are treated as external, never fewer.
  internalDomains: [],
  secureByDefault: true,
  // The organisation meant to enforce something; without knowing where, enforce everywhere.
  enforceSecureFor: 'all',
  // Every method except email verification, which is no real second factor (a mailbox is what the
  // message goes to anyway).
  allowedMethods: ['account', 'sms', 'org-code', 'code'],
  // Unset: the sender picks a method per recipient; sending waits until one is chosen.
  defaultMethod: undefined,
  // Never weaker than the built-in minimum (an over-large value is clamped to the maximum).
  minimumCodeStrength: DEFAULT_MINIMUM_GUESSES_LOG10,
  // The server's own default; the server caps any value at its own maximum anyway.
  expiryDays: 30,
  // The default: a mail providers accept.
  maxMailSizeMB: 20,
  subject: 'neutral',
  // Languages do not weaken anything: offer all of them.
  languages: [...NOTIFICATION_LANGUAGES],
  defaultLanguage: undefined,
  // The organisation evidently meant to say something about locking: lock.
  lockUserSettings: true,
} satisfies { [K in ManagedKey]: ManagedSettings[K] | undefined };

/** A whole number within `range`, else `fallback` with a problem naming the unit and range. */
function wholeNumberIn(
  value: unknown,
  report: (message: string) => void,
  { minimum, maximum }: { minimum: number; maximum: number },
  unit: string,
  fallback: number,
): number {
  if (Number.isInteger(value) && (value as number) >= minimum && (value as number) <= maximum) {
    return value as number;
  }
  report(
    `must be a whole number of ${unit} from ${minimum} to ${maximum}, got ${describe(value)}; using ${fallback}`,
  );
  return fallback;
}

/** The policy result when there is no policy at all: today's behaviour, nothing to report. */
export function noPolicy(): ManagedPolicy {
  return { settings: {}, problems: [] };
}

/**
 * True for the error `storage.managed.get()` throws when no policy configures the add-on
 * (Thunderbird: "Managed storage manifest not found"); any other error is a real problem.
 */
export function isNoPolicyError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /managed storage manifest not found/i.test(message);
}

// One label per DNS rule: letters, digits and inner hyphens, at most 63 long; at least two labels.
const DOMAIN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for a lower-case domain name such as `partner.example`. */
function isDomainName(value: string): boolean {
  return DOMAIN.test(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Checks one key's value; `report` is called with what is wrong. */
export type Check<K extends ManagedKey> = (
  value: unknown,
  report: (message: string) => void,
  settingsSoFar: Partial<ManagedSettings>,
) => ManagedSettings[K] | undefined;

/** Checks a list: not a list → fallback; bad or repeated entries dropped and reported. */
function listOf<T>(
  value: unknown,
  report: (message: string) => void,
  entry: (item: unknown) => T | null,
  names: { one: string; many: string },
): T[] | null {
  if (!Array.isArray(value)) {
    report(`must be a list of ${names.many}, got ${describe(value)}`);
    return null;
  }
  const result: T[] = [];
  for (const item of value) {
    const checked = entry(item);
    if (checked === null) report(`${describe(item)} is not ${names.one}; ignored`);
    else if (result.includes(checked)) report(`${describe(item)} is listed twice; ignored`);
    else result.push(checked);
  }
  return result;
}

function domainEntry(item: unknown): string | null {
  if (typeof item !== 'string') return null;
  const domain = item.toLowerCase();
  return isDomainName(domain) ? domain : null;
}

function recipientEntry(item: unknown): string | null {
  if (typeof item !== 'string') return null;
  const entry = item.toLowerCase();
  if (entry.includes('@')) return isPlausibleAddress(entry) ? entry : null;
  return isDomainName(entry) ? entry : null;
}

/** Every key's check (also for the sender's own settings, ./policy.ts). */
export const CHECKS: { [K in ManagedKey]: Check<K> } = {
  serverUrl(value, report) {
    if (typeof value !== 'string' || value.length > SERVER_URL_MAX_LENGTH || /\s/.test(value)) {
      report(`must be a URL, got ${describe(value)}; no server is used`);
      return SAFE_FALLBACKS.serverUrl;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      report(`${describe(value)} is not a URL; no server is used`);
      return SAFE_FALLBACKS.serverUrl;
    }
    if (url.username !== '' || url.password !== '' || value.includes('@')) {
      // Not echoed: the console and options page must not show a password.
      report('must not carry credentials (user:password@); no server is used');
      return SAFE_FALLBACKS.serverUrl;
    }
    const secure =
      url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
    if (!secure) {
      report(`${describe(value)} must use https (http only for localhost); no server is used`);
      return SAFE_FALLBACKS.serverUrl;
    }
    return value;
  },
  organisationName(value, report) {
    if (typeof value === 'string') {
      const name = value.trim();
      if (name.length > 0 && name.length <= ORGANISATION_NAME_MAX_LENGTH) return name;
    }
    report(
      `must be a text of 1 to ${ORGANISATION_NAME_MAX_LENGTH} characters, got ${describe(value)}`,
    );
    return SAFE_FALLBACKS.organisationName;
  },
  internalDomains(value, report) {
    return (
      listOf(value, report, domainEntry, { one: 'a domain name', many: 'domain names' }) ?? [
        ...SAFE_FALLBACKS.internalDomains,
      ]
    );
  },
  secureByDefault(value, report) {
    if (typeof value === 'boolean') return value;
    report(`must be true or false, got ${describe(value)}; secure mode starts on`);
    return SAFE_FALLBACKS.secureByDefault;
  },
  enforceSecureFor(value, report) {
    if (value === 'all') return 'all';
    // One bad entry makes the whole list untrustworthy (a typo may hide the domain meant), so
    // unlike the other lists this one does not drop entries but enforces everywhere.
    const problems: string[] = [];
    const list = listOf(value, (message) => problems.push(message), recipientEntry, {
      one: 'a domain or address',
      many: 'domains or addresses',
    });
    if (list !== null && problems.length === 0) return list;
    report(
      `must be "all" or a list of recipient domains and addresses (${problems.join('; ')}); secure mode is enforced for all recipients`,
    );
    return SAFE_FALLBACKS.enforceSecureFor;
  },
  allowedMethods(value, report) {
    const list = listOf(value, report, (item) => (isVerificationMethod(item) ? item : null), {
      one: 'a method',
      many: 'methods',
    });
    if (list !== null && list.length > 0) return list;
    if (list !== null) report('no valid method listed');
    report(`falling back to ${SAFE_FALLBACKS.allowedMethods.join(', ')}`);
    return [...SAFE_FALLBACKS.allowedMethods];
  },
  defaultMethod(value, report, settingsSoFar) {
    if (!isVerificationMethod(value)) {
      report(`must be one of ${VERIFICATION_METHODS.join(', ')}, got ${describe(value)}; ignored`);
      return SAFE_FALLBACKS.defaultMethod;
    }
    const allowed = settingsSoFar.allowedMethods;
    if (allowed && !allowed.includes(value)) {
      report(`"${value}" is not one of allowedMethods; ignored`);
      return SAFE_FALLBACKS.defaultMethod;
    }
    return value;
  },
  minimumCodeStrength(value, report) {
    const { minimum, maximum } = CODE_STRENGTH_RANGE;
    if (typeof value === 'number' && Number.isFinite(value)) {
      if (value >= minimum && value <= maximum) return value;
      if (value > maximum) {
        report(`${value} is above the maximum ${maximum}; using ${maximum}`);
        return maximum;
      }
    }
    report(
      `must be a number from ${minimum} to ${maximum}, got ${describe(value)}; using ${SAFE_FALLBACKS.minimumCodeStrength}`,
    );
    return SAFE_FALLBACKS.minimumCodeStrength;
  },
  expiryDays: (value, report) =>
    wholeNumberIn(value, report, EXPIRY_DAYS_RANGE, 'days', SAFE_FALLBACKS.expiryDays),
  maxMailSizeMB: (value, report) =>
    wholeNumberIn(value, report, MAX_MAIL_SIZE_RANGE, 'MB', SAFE_FALLBACKS.maxMailSizeMB),
  subject(value, report) {
    if (value === 'keep' || value === 'neutral') return value;
    report(`must be "keep" or "neutral", got ${describe(value)}; using "neutral"`);
    return SAFE_FALLBACKS.subject;
  },
  languages(value, report) {
    const list = listOf(value, report, (item) => (isNotificationLanguage(item) ? item : null), {
      one: 'a language',
      many: 'languages',
    });
    if (list !== null && list.length > 0) return list;
    report('no valid language listed; offering all');
    return [...SAFE_FALLBACKS.languages];
  },
  defaultLanguage(value, report, settingsSoFar) {
    if (!isNotificationLanguage(value)) {
      report(
        `must be one of ${NOTIFICATION_LANGUAGES.join(', ')}, got ${describe(value)}; ignored`,
      );
      return SAFE_FALLBACKS.defaultLanguage;
    }
    const offered = settingsSoFar.languages;
    if (offered && !offered.includes(value)) {
      report(`"${value}" is not one of languages; ignored`);
      return SAFE_FALLBACKS.defaultLanguage;
    }
    return value;
  },
  lockUserSettings(value, report) {
    if (typeof value === 'boolean') return value;
    report(`must be true or false, got ${describe(value)}; settings are locked`);
    return SAFE_FALLBACKS.lockUserSettings;
  },
};

function isManagedKey(key: string): key is ManagedKey {
  return (MANAGED_KEYS as readonly string[]).includes(key);
}

/**
 * Validates what `storage.managed.get()` returned. `null`/`undefined` (no policy) is today's
 * behaviour. Unknown keys are reported and ignored. Keys are checked in MANAGED_KEYS order so
 * `defaultMethod` and `defaultLanguage` can be checked against the lists before them.
 */
export function readManagedPolicy(raw: unknown): ManagedPolicy {
  if (raw === null || raw === undefined) return noPolicy();
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      settings: {},
      problems: [
        { key: '', message: `the policy must be an object of settings, got ${describe(raw)}` },
      ],
    };
  }
  const record = raw as Record<string, unknown>;
  const settings: Partial<ManagedSettings> = {};
  const problems: PolicyProblem[] = [];
  for (const key of Object.keys(record)) {
    if (!isManagedKey(key)) problems.push({ key, message: 'unknown setting; ignored' });
  }
  for (const key of MANAGED_KEYS) {
    if (!(key in record) || record[key] === undefined) continue;
    const report = (message: string) => problems.push({ key, message });
    const value = (CHECKS[key] as Check<typeof key>)(record[key], report, settings);
    if (value !== undefined) (settings as Record<string, unknown>)[key] = value;
  }
  return { settings, problems };
}
