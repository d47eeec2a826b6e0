import { needsServer, type VerificationMethod } from './methods.ts';

/** Menu entry ids, one per method a sender can choose (new / existing are separate entries). */
export type MenuEntryId =
  | 'account'
  | 'sms-new'
  | 'sms-known'
  | 'org-code-new'
  | 'org-code-existing'
  | 'code-new'
  | 'code-existing'
  | 'email';

export interface MenuEntry {
  id: MenuEntryId;
  method: VerificationMethod;
  /** `_locales` message name of the label, and its substitutions (masked number, code). */
  labelKey: string;
  labelParams: string[];
  /** `_locales` message name of why the entry cannot be chosen now, when disabled. */
  disabledReasonKey?: string;
  /** `_locales` message name of a warning shown when chosen (email verification). */
  warningKey?: string;
  /**
   * What choosing an "existing" entry stores for the recipient: the known number (shown only
   * masked in the label) or the organisation-wide code from the directory.
   */
  stores?: { phone?: string; code?: string };
}

/** What decides whether a method can be chosen now (the compose panel and the options page). */
export interface MethodAvailability {
  /** Signed in to a Sealpost server. */
  serverConfigured: boolean;
  /** A server address is set (by the policy or the sender), though nobody may be signed in. */
  serverKnown?: boolean;
  /** The methods the policy allows (`allowedMethods` in force); undefined = all. */
  allowedMethods?: readonly VerificationMethod[];
}

/**
 * Why a method cannot be chosen now (a `_locales` message), or undefined when it can: not
 * allowed by the policy, or a server method without a server (sign in, when one is set).
 */
export function unavailableReason(
  method: VerificationMethod,
  context: MethodAvailability,
): string | undefined {
  if (context.allowedMethods && !context.allowedMethods.includes(method)) {
    return 'optionsMethodNotAllowed';
  }
  if (needsServer(method) && !context.serverConfigured) {
    return context.serverKnown ? 'reasonSignInToServer' : 'reasonNeedsServer';
  }
  return undefined;
}

/**
 * The short form of each reason, for the entry's own text in a menu: the whole sentence made the
 * entry as long as three usable ones, and the panel shows it in full under the menu when a
 * remembered choice is unusable.
 */
export const SHORT_REASON_KEYS: Readonly<Record<string, string>> = {
  optionsMethodNotAllowed: 'reasonShortNotAllowed',
  reasonSignInToServer: 'reasonShortSignIn',
  reasonNeedsServer: 'reasonShortNeedsServer',
};

/** The short form of a reason (`_locales` name); the reason itself when it has none. */
export function shortReasonKey(reasonKey: string): string {
  return SHORT_REASON_KEYS[reasonKey] ?? reasonKey;
}
