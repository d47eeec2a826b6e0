/**
 * Checking a policy (docs/policy-keys.md): each key's check, and `readManagedPolicy` over what
 * `storage.managed.get()` returned. The keys, their defaults and their safe fallbacks are in
 * ./managedPolicy.ts; a bad value is reported and replaced by that fallback, never by a less
 * secure choice. The same checks read the sender's own settings (./policy.ts).
 */
import { isPlausibleAddress } from './address.ts';
import { NOTIFICATION_LANGUAGES, isNotificationLanguage } from './languages.ts';
import { VERIFICATION_METHODS, isVerificationMethod } from './methods.ts';
import {
  CODE_STRENGTH_RANGE,
  EXPIRY_DAYS_RANGE,
  MANAGED_KEYS,
  MAX_MAIL_SIZE_RANGE,
  LINK_DELIVERY_RANGE,
  ORGANISATION_NAME_MAX_LENGTH,
  SAFE_FALLBACKS,
  SERVER_URL_MAX_LENGTH,
  noPolicy,
  type ManagedKey,
  type ManagedPolicy,
  type ManagedSettings,
  type PolicyProblem,
} from './managedPolicy.ts';

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
  linkDeliveryAboveMB: (value, report) =>
    wholeNumberIn(value, report, LINK_DELIVERY_RANGE, 'MB', SAFE_FALLBACKS.linkDeliveryAboveMB),
  linkOnlyDomains(value, report) {
    return (
      listOf(value, report, domainEntry, { one: 'a domain name', many: 'domain names' }) ?? [
        ...SAFE_FALLBACKS.linkOnlyDomains,
      ]
    );
  },
  linkDeliveryAttachment(value, report) {
    if (typeof value === 'boolean') return value;
    report(`must be true or false, got ${describe(value)}; the envelope is attached`);
    return SAFE_FALLBACKS.linkDeliveryAttachment;
  },
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
