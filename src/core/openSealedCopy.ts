import { openWithPrivateKey } from '../crypto/index.ts';
import type { Envelope } from './envelope.ts';
import { bytesFromBase64, extractEnvelopeJson, parseEnvelope } from './envelopeCodec.ts';

export type SealedCopyResult =
  | { ok: true; envelope: Envelope; mime: Uint8Array }
  | {
      ok: false;
      reason: 'not-sealed' | 'damaged' | 'unsupported' | 'too-large' | 'no-key' | 'wrong-key';
    };

/**
 * Opens a sealed message with the sender's own key: the lock every sealed message carries so the
 * sender can reread what they sent (docs/envelope.md §3a). `keyFor` returns the armored private key
 * kept for
 * the envelope's sender address, if this add-on holds one.
 */
export async function openSealedCopy(
  readerHtml: string,
  keyFor: (senderAddress: string) => Promise<string | null>,
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
  const armoredPrivateKey = await keyFor(parsed.envelope.sender.address);
  if (!armoredPrivateKey) return { ok: false, reason: 'no-key' };
  const opened = await openWithPrivateKey({ payload, armoredPrivateKey });
  if (opened.ok) return { ok: true, envelope: parsed.envelope, mime: opened.plaintext };
  // With a key, "wrong-code" means this key holds none of the message's locks.
  return { ok: false, reason: opened.reason === 'wrong-code' ? 'wrong-key' : opened.reason };
}
