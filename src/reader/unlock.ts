/**
 * The reader's only contact with the core: envelope parsing, the code-to-password rule, the
 * decryption and the MIME parsing. Every failure is returned as a reason.
 */
import { passwordForCode } from '../core/accessCodeFormat.ts';
import type { Envelope, EnvelopeLock, LinkedEnvelope, PayloadLink } from '../core/envelope.ts';
import { parseEnvelope } from '../core/envelopeCodec.ts';
import { API_BASE } from '../core/serverApi.ts';
import { MimeTooLargeError, parseOriginalMimeStream } from '../core/mime/parseMime.ts';
import { readWithPassword, streamedDecompressionCap } from '../crypto/index.ts';
import type { OpenedMessage } from './openedMessage.ts';

/**
 * Why a message cannot be opened whatever code is typed. The last six come from the server:
 * locked (too many wrong codes), expired, revoked, unavailable (hosted page without a server
 * answer), server-error (the server answered that it failed), link (a hosted link without its mail share or for an unknown message) and
 * not-hosted (the server has no payload for it, or not yet).
 */
export type FatalReason =
  | 'damaged'
  | 'unsupported'
  | 'too-large'
  | 'locked'
  | 'expired'
  | 'revoked'
  | 'unavailable'
  | 'server-error'
  | 'link'
  | 'not-hosted';

/** What the reader adds to an envelope's metadata. */
interface ReaderFields {
  mailShare?: string;
  /**
   * Hosted: the server guards every lock and lists only the visible ones (without ids), so
   * the recipient always starts by typing their address.
   */
  serverOnly?: boolean;
  /** Hosted: the organisation lets recipients remember this browser for that many days. */
  rememberDevice?: { days: number };
  /** The server fields (optional in the file): per lock its id and whether the server guards it. */
  locks: (EnvelopeLock & { id?: string; serverProtected?: boolean })[];
}

/**
 * An envelope as the reader holds it, by where its payload is: inside (a version-1 file),
 * behind a link checked by size and hash (version 2), or on the hosted page's own server, where
 * nothing is known of it beforehand (docs/envelope.md §9). Any parsed envelope is one.
 */
export type ReaderEnvelope =
  | (Omit<Envelope, 'locks'> & ReaderFields)
  | (Omit<LinkedEnvelope, 'locks'> & ReaderFields)
  | (Omit<Envelope, 'locks' | 'payload'> & ReaderFields & { hostedPayloadUrl: string });

/** Where the payload's bytes come from. */
export type PayloadSource =
  | { kind: 'inline'; base64: string }
  /** `expected`: the link's size and hash, which the download must match (absent when hosted). */
  | { kind: 'download'; url: string; expected?: Pick<PayloadLink, 'bytes' | 'sha256'> };

export function payloadSource(envelope: ReaderEnvelope): PayloadSource {
  if ('payloadLink' in envelope) {
    const { url, bytes, sha256 } = envelope.payloadLink;
    return { kind: 'download', url, expected: { bytes, sha256 } };
  }
  if ('hostedPayloadUrl' in envelope) return { kind: 'download', url: envelope.hostedPayloadUrl };
  return { kind: 'inline', base64: envelope.payload };
}

/** `<server>/api/v1/messages/<id>/payload`: where a server keeps a message's payload. */
export function hostedPayloadUrl(serverUrl: string, messageId: string): string {
  return `${serverUrl.replace(/\/+$/, '')}${API_BASE}/messages/${encodeURIComponent(messageId)}/payload`;
}

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
export function unlockPayload(payload: Uint8Array, code: string): Promise<UnlockResult> {
  return openPayload(payload, passwordForCode(code));
}

/**
 * Opens the payload's bytes (given to openpgp.js as they are, never copied or re-encoded) with
 * a lock's OpenPGP password (a code's, or a server lock's derived one). The plaintext streams
 * into the MIME parser, attachments into Blobs; the message is returned only once the whole
 * payload authenticated. `onProgress`: the share of the payload decrypted so far.
 */
export async function openPayload(
  payload: Uint8Array,
  password: string,
  onProgress?: (done: number, total: number) => void,
): Promise<UnlockResult> {
  try {
    const opened = await readWithPassword({
      payload,
      password,
      // The attachments go into Blobs, not the heap: the cap may follow the payload's size.
      config: { maxDecompressedMessageSize: streamedDecompressionCap(payload.length) },
      read: (plaintext) => parseOriginalMimeStream(plaintext),
      ...(onProgress ? { onProgress } : {}),
    });
    return opened.ok ? { ok: true, message: opened.value } : opened;
  } catch (error) {
    if (error instanceof MimeTooLargeError) return { ok: false, reason: 'too-large' };
    console.error('Sealpost reader: could not open the message', error);
    return { ok: false, reason: 'damaged' };
  }
}
