/**
 * The one table of verification methods: everything the add-on, the reader and the server need
 * to know about a method is a column here (its texts in `METHOD_TEXTS`, keyed by the same
 * union), and every list or union of methods is derived from it (the server's request schemas
 * and database constraint, the envelope codec, the menus, the options page). Adding a method
 * means adding a row to both; the compiler asks for the second. The id is what is stored per recipient
 * address; "new" vs "existing" is a difference of menu entry, not of method.
 */
export interface MethodTraits {
  /** The Sealpost server sends or checks the factor: unavailable while no server is set. */
  readonly needsServer: boolean;
  /** With a server, the server guards the lock: it releases its share after the factor. */
  readonly serverLock: boolean;
  /** The recipient types an access code (the sender's own, or the organisation's). */
  readonly takesAccessCode: boolean;
  /** The sender gives the recipient's phone number. */
  readonly takesPhone: boolean;
  /** The guide's order, strongest first: a lower rank is a stronger method. */
  readonly rank: number;
}

/** In the guide's order (strongest first); the order of every derived list. */
export const METHODS = {
  account: {
    needsServer: false,
    serverLock: false,
    takesAccessCode: false,
    takesPhone: false,
    rank: 1,
  },
  sms: {
    needsServer: true,
    serverLock: true,
    takesAccessCode: false,
    takesPhone: true,
    rank: 2,
  },
  'org-code': {
    needsServer: true,
    serverLock: true,
    takesAccessCode: true,
    takesPhone: false,
    rank: 3,
  },
  code: {
    // Works without a server (a password lock); with one, the server guards it too.
    needsServer: false,
    serverLock: true,
    takesAccessCode: true,
    takesPhone: false,
    rank: 4,
  },
  email: {
    needsServer: true,
    serverLock: true,
    takesAccessCode: false,
    takesPhone: false,
    rank: 5,
  },
} as const satisfies Record<string, MethodTraits>;

export type VerificationMethod = keyof typeof METHODS;

/** Every method, in the guide's order. */
export const VERIFICATION_METHODS = Object.keys(METHODS) as VerificationMethod[];

/**
 * What the add-on's pages call each method (`_locales` messages): its name, and the warning
 * shown when it is chosen. Apart from the table so the reader file does not carry them.
 */
export const METHOD_TEXTS = {
  account: { nameKey: 'optionsMethodAccount', warningKey: null },
  sms: { nameKey: 'optionsMethodSms', warningKey: null },
  'org-code': { nameKey: 'optionsMethodOrgCode', warningKey: null },
  code: { nameKey: 'optionsMethodCode', warningKey: null },
  email: { nameKey: 'optionsMethodEmail', warningKey: 'warningEmailWeak' },
} as const satisfies Record<VerificationMethod, { nameKey: string; warningKey: string | null }>;

/** Methods whose lock the server can guard (`serverLock`), as a type. */
export type ServerLockMethod = {
  [Method in VerificationMethod]: (typeof METHODS)[Method]['serverLock'] extends true
    ? Method
    : never;
}[VerificationMethod];

/** Methods whose lock the server can guard: what it registers, stores and verifies. */
export const SERVER_LOCK_METHODS = VERIFICATION_METHODS.filter(
  (method): method is ServerLockMethod => METHODS[method].serverLock,
);

/** Methods the server takes part in; disabled while no server is configured. */
export const SERVER_METHODS = VERIFICATION_METHODS.filter((method) => METHODS[method].needsServer);

export function isVerificationMethod(value: unknown): value is VerificationMethod {
  return typeof value === 'string' && Object.hasOwn(METHODS, value);
}

export function isServerLockMethod(value: unknown): value is ServerLockMethod {
  return isVerificationMethod(value) && METHODS[value].serverLock;
}

export function needsServer(method: VerificationMethod): boolean {
  return METHODS[method].needsServer;
}

/** The recipient types an access code for this method (so it is part of the lock's secret). */
export function takesAccessCode(method: VerificationMethod): boolean {
  return METHODS[method].takesAccessCode;
}
