/**
 * Organisation policy (docs/policy-keys.md): the managed settings an organisation sets in
 * `policies.json` → `3rdparty.Extensions["sealpost@sealpost.example"]`, which Thunderbird hands
 * over through `storage.managed` without validating them. `extension/policy.schema.json` is the
 * single source of truth for the keys; ./policyChecks.ts checks each key by hand (no schema
 * engine: the common ones compile validators with `new Function`, which an add-on must not do)
 * and a unit test proves the two agree on every key, type, enum and default.
 *
 * The rule for a bad value: report it, and use the SAFE choice for that key, never a less secure
 * one. The choice per key is documented on `SAFE_FALLBACKS` and in docs/policy-keys.md.
 */
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from './languages.ts';
import { VERIFICATION_METHODS, type VerificationMethod } from './methods.ts';
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
  /**
   * With a server: a message whose sealed mail would be larger than this many MB goes by link
   * (the payload on the server, the mail small). 0 sends every message by link.
   */
  linkDeliveryAboveMB: number;
  /**
   * Recipient domains whose mail gateways strip HTML attachments: a mail to anyone there goes by
   * link, whatever its size.
   */
  linkOnlyDomains: string[];
  /**
   * Whether a mail sent by link carries the small `secure-message.html` with the envelope (for
   * the sender's sent copy, recipients with their own key and decrypting without Sealpost). With
   * false it carries no attachment when every recipient of it opens in the hosted reader.
   */
  linkDeliveryAttachment: boolean;
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
  'linkDeliveryAboveMB',
  'linkOnlyDomains',
  'linkDeliveryAttachment',
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
/** Bounds of `linkDeliveryAboveMB`. */
export const LINK_DELIVERY_RANGE = { minimum: 0, maximum: 2000 } as const;
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
  // Thunderbird's own Filelink offers to upload attachments above 5 MB.
  linkDeliveryAboveMB: 5,
  linkOnlyDomains: [],
  linkDeliveryAttachment: true,
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
  // The default: neither way of delivery is less secure, and the default is what was tested.
  linkDeliveryAboveMB: 5,
  // Bad entries are dropped: a domain left out only means its mail may carry the payload.
  linkOnlyDomains: [],
  // The envelope attached: the sent copy stays openable in Thunderbird.
  linkDeliveryAttachment: true,
  subject: 'neutral',
  // Languages do not weaken anything: offer all of them.
  languages: [...NOTIFICATION_LANGUAGES],
  defaultLanguage: undefined,
  // The organisation evidently meant to say something about locking: lock.
  lockUserSettings: true,
} satisfies { [K in ManagedKey]: ManagedSettings[K] | undefined };

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
