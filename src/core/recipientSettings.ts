import type { NotificationLanguage } from './languages.ts';
import type { VerificationMethod } from './methods.ts';

/**
 * What the sender chose for one recipient address, remembered until changed (guide: the method
 * is bound to the address and reused for later messages). Stored in `storage.local` under
 * `recipient:<normalised address>`.
 */
export interface RecipientSettings {
  /** Normalised address (see `normaliseAddress`). */
  address: string;
  method?: VerificationMethod;
  /** The personal access code as the sender typed or generated it (method `code`). */
  code?: string;
  /** E.164 phone number (method `sms`, server issue). */
  phone?: string;
  language?: NotificationLanguage;
  /**
   * Method `account`: the fingerprint of the key the sender last sealed to (or confirmed). A
   * different key for the address blocks the send until the sender confirms it.
   */
  keyFingerprint?: string;
  /** ISO time of the last change. */
  updatedAt: string;
}
