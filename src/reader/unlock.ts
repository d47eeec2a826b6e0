/**
 * The reader's only contact with the core: envelope parsing, the code-to-password rule, the
 * decryption and the MIME parsing. Every failure is returned as a reason.
 */
import { passwordForCode } from '../core/accessCodeFormat.ts';
import type { Envelope, EnvelopeLock } from '../core/envelope.ts';
import { bytesFromBase64, parseEnvelope } from '../core/envelopeCodec.ts';
import { parseOriginalMime } from '../core/mime/parseMime.ts';
import { openWithPassword } from '../crypto/index.ts';
import type { OpenedMessage } from './openedMessage.ts';

/**
 * Why a message cannot be opened whatever code is typed. The last five come from the server:
 * locked (too many wrong codes), expired, revoked, unavailable (hosted page without a server
 * answer) and link (a hosted link without its mail share or for an unknown message).
 */
export type FatalReason =
  | 'damaged'
  | 'unsupported'
  | 'too-large'
  | 'locked'
  | 'expired'
  | 'revoked'
  | 'unavailable'
  | 'link';

/**
 * An envelope with the server fields (optional in version 1): the mail's share of
 * every server lock, and per lock its id and whether the server guards it.
 */
export type ReaderEnvelope = Omit<Envelope, 'locks'> & {
  mailShare?: string;
  /**
   * Hosted: the server guards every lock and lists only the visible ones (without ids), so
   * the recipient always starts by typing their address.
   */
  serverOnly?: boolean;
  /** Hosted: the organisation lets recipients remember this browser for that many days. */
  rememberDevice?: { days: number };
  locks: (EnvelopeLock & { id?: string; serverProtected?: boolean })[];
};

export type LoadEnvelopeResult =
  { ok: true; envelope: ReaderEnvelope } | { ok: false; reason: FatalReason };

export type UnlockResult =
  { ok: true; message: OpenedMessage } | { ok: false; reason: FatalReason | 'wrong-code' };

/** Parses and validates the envelope JSON found in the page. */
export function loadEnvelope(json: string): LoadEnvelopeResult {
  const parsed = parseEnvelope(json);
  if (parsed.ok) return parsed;
  return { ok: false, reason: parsed.reason === 'unsupported-version' ? 'unsupported' : 'damaged' };
}

/**
 * Opens the payload with an access code and parses the original message. Never throws: the
 * payload is untrusted, so anything unexpected while reading it (a MIME parser error on a
 * payload that decrypted fine, say) is reported as a damaged message.
 */
export function unlockPayload(envelope: Envelope, code: string): Promise<UnlockResult> {
  return openPayload(envelope, passwordForCode(code));
}

/** Opens the payload with a lock's OpenPGP password (a code's, or a server lock's derived one). */
export async function openPayload(envelope: Envelope, password: string): Promise<UnlockResult> {
  try {
    const payload = bytesFromBase64(envelope.payload);
    if (!payload) return { ok: false, reason: 'damaged' };
    const opened = await openWithPassword({ payload, password });
    if (!opened.ok) return opened;
    const message = await parseOriginalMime(opened.plaintext);
    return { ok: true, message };
  } catch (error) {
    console.error('Sealpost reader: could not open the message', error);
    return { ok: false, reason: 'damaged' };
  }
}
