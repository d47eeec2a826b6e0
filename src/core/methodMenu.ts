import type { VerificationMethod } from './methods.ts';

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
