import { openWithPrivateKey } from '../crypto/index.ts';
import { normaliseAddress } from './address.ts';
import { isLinkedEnvelope, type AnyEnvelope, type LinkedEnvelope } from './envelope.ts';
import { bytesFromBase64, extractEnvelopeJson, parseEnvelope } from './envelopeCodec.ts';
import { payloadMatchesLink } from './payloadDigest.ts';

type Envelope = AnyEnvelope;

/**
 * Fetches a link-delivered payload from the envelope's server: the bytes, or `unavailable` when
 * the server did not answer with them, `ended` when the message expired or was revoked,
 * `damaged` when what came is not what the envelope describes.
 */
export type LinkedPayloadFetch = (
  envelope: LinkedEnvelope,
) => Promise<Uint8Array | 'unavailable' | 'ended' | 'damaged'>;

export type SealedMessageResult =
  | { ok: true; envelope: Envelope; mime: Uint8Array }
  | {
      ok: false;
      reason:
        'not-sealed' | 'damaged' | 'unsupported' | 'too-large' | 'locked' | 'unavailable' | 'ended';
    }
  /**
   * None of the user's keys holds a lock of this message: the recipient opens it with a code or
   * a factor instead. Only the envelope, which the message carries in the clear anyway.
   */
  | { ok: false; reason: 'no-own-key'; envelope: Envelope };

/** A private key for an address: usable, kept under a passphrase not given yet, or none. */
export type SenderKeyLookup =
  { state: 'ready'; armoredPrivateKey: string } | { state: 'locked' } | { state: 'missing' };

/** One of the user's own Sealpost keys, as the key vault keeps them: one per identity address. */
export interface OwnKey {
  address: string;
  /** Upper-case hex, as `account` locks name it. */
  fingerprint: string;
}

/**
 * The order in which to try the user's keys, and whether each may hold a lock at all. First the
 * key of the envelope's sender address (every sealed message has a lock for the sender's key,
 * docs/envelope.md §2), then keys an `account` lock names by fingerprint, then the rest. The rest
 * can only open it through an `account` lock without fingerprint (a Bcc recipient's, whose key id
 * is anonymous in the payload too), so without such a lock they are not `possible`.
 */
export function ownKeyOrder(
  envelope: Envelope,
  ownKeys: readonly OwnKey[],
): { key: OwnKey; possible: boolean }[] {
  const sender = normaliseAddress(envelope.sender.address);
  const accountLocks = envelope.locks.filter((lock) => lock.method === 'account');
  const named = new Set(accountLocks.flatMap((lock) => lock.fingerprint?.toUpperCase() ?? []));
  const unnamed = accountLocks.some((lock) => lock.fingerprint === undefined);
  const rank = (key: OwnKey): number => {
    if (normaliseAddress(key.address) === sender) return 0;
    return named.has(key.fingerprint.toUpperCase()) ? 1 : 2;
  };
  return ownKeys
    .map((key) => ({ key, rank: rank(key) }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ key, rank }) => ({ key, possible: rank < 2 || unnamed }));
}

/**
 * Opens a sealed message with the user's own keys, no code: the sender's copy with the sender
 * key, a received message with the key of the identity an `account` lock was sealed to
 * (docs/envelope.md §2, §4). `privateKeyFor` looks up the private key kept for an address.
 *
 * `locked` only when a key that may hold a lock is under the passphrase and no usable key opened
 * the message: a message meant for a code is not held up by a passphrase that cannot help.
 */
export async function openSealedMessage(
  readerHtml: string,
  ownKeys: readonly OwnKey[],
  privateKeyFor: (address: string) => Promise<SenderKeyLookup>,
  fetchLinkedPayload: LinkedPayloadFetch,
): Promise<SealedMessageResult> {
  const json = extractEnvelopeJson(readerHtml);
  if (json === null) return { ok: false, reason: 'not-sealed' };
  const parsed = parseEnvelope(json);
  if (!parsed.ok)
    return {
      ok: false,
      reason: parsed.reason === 'unsupported-version' ? 'unsupported' : 'damaged',
    };
  const { envelope } = parsed;
  const payload = await payloadOf(envelope, fetchLinkedPayload);
  if (typeof payload === 'string') return { ok: false, reason: payload };
  let lockedKeyMayOpen = false;
  for (const { key, possible } of ownKeyOrder(envelope, ownKeys)) {
    const lookup = await privateKeyFor(key.address);
    if (lookup.state === 'locked') lockedKeyMayOpen ||= possible;
    if (lookup.state !== 'ready') continue;
    const opened = await openWithPrivateKey({
      payload,
      armoredPrivateKey: lookup.armoredPrivateKey,
    });
    if (opened.ok) return { ok: true, envelope, mime: opened.plaintext };
    // With a key, "wrong-code" means this key holds none of the message's locks: try the next.
    if (opened.reason !== 'wrong-code') return { ok: false, reason: opened.reason };
  }
  if (lockedKeyMayOpen) return { ok: false, reason: 'locked' };
  return { ok: false, reason: 'no-own-key', envelope };
}

/**
 * The envelope's payload: inline, or fetched from its link and checked against the envelope's
 * hash (the server cannot hand out another payload, docs/envelope.md §9).
 */
async function payloadOf(
  envelope: Envelope,
  fetchLinkedPayload: LinkedPayloadFetch,
): Promise<Uint8Array | 'damaged' | 'unavailable' | 'ended'> {
  if (!isLinkedEnvelope(envelope)) return bytesFromBase64(envelope.payload) ?? 'damaged';
  const fetched = await fetchLinkedPayload(envelope);
  if (typeof fetched === 'string') return fetched;
  return payloadMatchesLink(fetched, envelope.payloadLink) ? fetched : 'damaged';
}
