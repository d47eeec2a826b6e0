import type { NotificationLanguage } from './languages.ts';
import type { VerificationMethod } from './methods.ts';

/**
 * The envelope: a JSON document embedded in `secure-message.html`. docs/envelope.md is its
 * public description; keep the two in step.
 */
export const ENVELOPE_FORMAT = 'sealpost-envelope';
/** The attachment a sealed mail carries: the reader with the envelope. */
export const READER_FILE_NAME = 'secure-message.html';
/** A secure reply made without a server: the envelope alone, attached to an ordinary reply. */
export const REPLY_FILE_NAME = 'secure-reply.html';
export const ENVELOPE_VERSION = 1;
/**
 * Link delivery: the same envelope without `payload`; `payloadLink` says where the payload is
 * kept and authenticates it (docs/envelope.md §9). A version-1 reader refuses it as unsupported.
 */
export const LINKED_ENVELOPE_VERSION = 2;

/** One way into the payload. Bcc recipients' addresses never appear here (docs/envelope.md §0). */
export interface EnvelopeLock {
  /** The factor that opens this lock. */
  method: VerificationMethod | 'sender-key';
  /** Masked address shown to help the recipient pick (e.g. `b•••@partner.example`); absent for Bcc. */
  hint?: string;
  language: NotificationLanguage;
  /** The lock id the server knows this lock by (server-protected locks). */
  id?: string;
  /**
   * The password is `deriveLockPassword` of the mail's share and a share the server releases
   * after the factor (docs/envelope.md §3a), not the code itself.
   */
  serverProtected?: true;
  /**
   * An `account` lock: the fingerprint of the recipient's OpenPGP key it was sealed to (upper-case
   * hex). Absent for a Bcc recipient, whose key id is not in the payload either.
   */
  fingerprint?: string;
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
  /**
   * The mail's half of every server-protected lock (base64, 32 bytes); the notification link
   * carries the same value in its `#fragment`. Present exactly when a lock is server-protected.
   */
  mailShare?: string;
  /**
   * The sender's public key (base64 of the binary key) a recipient seals a secure reply to. Its
   * fingerprint is also inside the payload (`X-Sealpost-Reply-Key`), so a reader replies only
   * when the two agree (docs/envelope.md §2).
   */
  replyKey?: string;
  /** One binary OpenPGP message (RFC 9580), base64. Plaintext: the original message as MIME. */
  payload: string;
}

/**
 * Where a link-delivered payload is kept (docs/envelope.md §9): the URL it is fetched from (under
 * `serverUrl`), its size and its SHA-256. The envelope travels in the mail, not through the
 * server, so the hash authenticates whatever the server hands out.
 */
export interface PayloadLink {
  url: string;
  /** The binary payload's size in bytes. */
  bytes: number;
  /** SHA-256 of the binary payload, lower-case hex (what `sha256sum` prints). */
  sha256: string;
}

/** A link-delivered envelope: no payload inside, a `payloadLink` instead. */
export interface LinkedEnvelope extends Omit<Envelope, 'version' | 'payload'> {
  version: typeof LINKED_ENVELOPE_VERSION;
  payloadLink: PayloadLink;
}

/** What a sealed mail may carry: the payload inside, or a link to it. */
export type AnyEnvelope = Envelope | LinkedEnvelope;

export function isLinkedEnvelope(envelope: AnyEnvelope): envelope is LinkedEnvelope {
  return envelope.version === LINKED_ENVELOPE_VERSION;
}
