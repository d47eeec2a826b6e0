import { openWithPrivateKey } from '../crypto/index.ts';
import type { Envelope } from './envelope.ts';
import { bytesFromBase64, extractEnvelopeJson, parseEnvelope } from './envelopeCodec.ts';

export type SealedCopyResult =
  | { ok: true; envelope: Envelope; mime: Uint8Array }
  | {
      ok: false;
      reason:
        'not-sealed' | 'damaged' | 'unsupported' | 'too-large' | 'no-key' | 'wrong-key' | 'locked';
    };

/** The sender's private key for an address: usable, kept under a passphrase not given yet, or none. */
export type SenderKeyLookup =
  { state: 'ready'; armoredPrivateKey: string } | { state: 'locked' } | { state: 'missing' };

/**
 * Opens a sealed message with the sender's own key: the lock every sealed message carries so the
 * sender can reread what they sent (docs/envelope.md §2, §4). `keyFor` looks up the private key
 * kept for the envelope's sender address.
 */
export async function openSealedCopy(
  readerHtml: string,
  keyFor: (senderAddress: string) => Promise<SenderKeyLookup>,
): Promise<SealedCopyResult> {
  const json = extractEnvelopeJson(readerHtml);
  if (json === null) return { ok: false, reason: 'not-sealed' };
  const parsed = parseEnvelope(json);
  if (!parsed.ok)
    return {
      ok: false,
      reason: parsed.reason === 'unsupported-version' ? 'unsupported' : 'damaged',
    };
  const payload = bytesFromBase64(parsed.envelope.payload);
  if (!payload) return { ok: false, reason: 'damaged' };
  const key = await keyFor(parsed.envelope.sender.address);
  if (key.state === 'missing') return { ok: false, reason: 'no-key' };
  if (key.state === 'locked') return { ok: false, reason: 'locked' };
  const opened = await openWithPrivateKey({ payload, armoredPrivateKey: key.armoredPrivateKey });
  if (opened.ok) return { ok: true, envelope: parsed.envelope, mime: opened.plaintext };
  // With a key, "wrong-code" means this key holds none of the message's locks.
  return { ok: false, reason: opened.reason === 'wrong-code' ? 'wrong-key' : opened.reason };
}
