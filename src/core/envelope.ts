import type { NotificationLanguage } from './languages.ts';
import type { VerificationMethod } from './methods.ts';

/**
 * The envelope: a JSON document embedded in `secure-message.html`. docs/envelope.md is its
 * public description; keep the two in step.
 */
export const ENVELOPE_FORMAT = 'sealpost-envelope';
export const ENVELOPE_VERSION = 1;

/** One way into the payload. Bcc recipients' addresses never appear here (DESIGN §4). */
export interface EnvelopeLock {
  /** The factor that opens this lock. */
  method: VerificationMethod | 'sender-key';
  /** Masked address shown to help the recipient pick (e.g. `b•••@partner.example`); absent for Bcc. */
  hint?: string;
  language: NotificationLanguage;
}

export interface Envelope {
  format: typeof ENVELOPE_FORMAT;
  version: typeof ENVELOPE_VERSION;
  messageId: string;
  createdAt: string;
  serverUrl: string | null;
  sender: { name: string; address: string };
  /** Languages chosen for this message's recipients, first = default for the reader. */
  languages: NotificationLanguage[];
  locks: EnvelopeLock[];
  /** One binary OpenPGP message (RFC 9580), base64. Plaintext: the original message as MIME. */
  payload: string;
}
