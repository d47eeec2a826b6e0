/**
 * Verification methods, one per method a sender can choose. The id is what is stored per recipient
 * address; "new" vs "existing" is a difference of menu entry, not of method.
 */
export const VERIFICATION_METHODS = ['account', 'sms', 'org-code', 'code', 'email'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/** Methods whose factor the Sealpost server checks; disabled while no server is configured. */
export const SERVER_METHODS: readonly VerificationMethod[] = ['sms', 'org-code', 'email'];

export function isVerificationMethod(value: unknown): value is VerificationMethod {
  return typeof value === 'string' && (VERIFICATION_METHODS as readonly string[]).includes(value);
}

export function needsServer(method: VerificationMethod): boolean {
  return SERVER_METHODS.includes(method);
}
