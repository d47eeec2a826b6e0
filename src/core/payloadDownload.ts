/**
 * Downloads a hosted payload (`GET …/payload`, binary) for the reader and for Thunderbird
 * opening a link-delivered message. The bytes are written once, into one buffer of the announced
 * size, and hashed as they arrive: a link-delivered payload is checked against its envelope's
 * size and SHA-256 (docs/envelope.md §9), so a server cannot hand out anything else.
 */
import type { PayloadLink } from './envelope.ts';
import { createPayloadDigest } from './payloadDigest.ts';

export type PayloadDownload =
  | { ok: true; payload: Uint8Array }
  /**
   * `ended`: 410, the message expired or was revoked; `missing`: 404, nothing hosted;
   * `too-large`: the server announces more than the caller accepts (`maxBytes`).
   */
  | { ok: false; reason: 'unavailable' | 'ended' | 'missing' | 'damaged' | 'too-large' };

export interface PayloadDownloadOptions {
  /** What the envelope says the payload is; without it (hosted reader) the answer's length counts. */
  expected?: Pick<PayloadLink, 'bytes' | 'sha256'>;
  /** The most this caller accepts when nothing is expected (the reader's decryption cap). */
  maxBytes: number;
  onProgress?: (received: number, total: number) => void;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export async function downloadPayload(
  url: string,
  options: PayloadDownloadOptions,
): Promise<PayloadDownload> {
  const fetchFn = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetchFn(url, {
      credentials: 'omit',
      cache: 'no-store',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch {
    return { ok: false, reason: 'unavailable' };
  }
  if (response.status === 410) return { ok: false, reason: 'ended' };
  if (response.status === 404) return { ok: false, reason: 'missing' };
  if (!response.ok || !response.body) return { ok: false, reason: 'unavailable' };
  const announced = Number(response.headers.get('content-length'));
  const total = options.expected?.bytes ?? announced;
  if (!Number.isSafeInteger(total) || total <= 0 || total > options.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    if (options.expected) return { ok: false, reason: 'damaged' };
    return { ok: false, reason: total > options.maxBytes ? 'too-large' : 'unavailable' };
  }
  const payload = new Uint8Array(total);
  // Only an envelope's hash is worth checking (the hosted page has none; its locks' AEAD is).
  const digest = options.expected ? createPayloadDigest() : null;
  const reader = response.body.getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.length > total) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'damaged' };
      }
      payload.set(value, received);
      digest?.update(value);
      received += value.length;
      options.onProgress?.(received, total);
    }
  } catch {
    return { ok: false, reason: 'unavailable' };
  }
  if (received !== total)
    return { ok: false, reason: options.expected ? 'damaged' : 'unavailable' };
  if (options.expected && digest?.hex() !== options.expected.sha256) {
    return { ok: false, reason: 'damaged' };
  }
  return { ok: true, payload };
}
