/**
 * Link delivery's upload: the payload, as the seal pipeline produces it, goes to the server with
 * the tus resumable-upload protocol (tus-js-client), in chunks, hashed on the way. A dropped
 * connection resumes from the offset the server confirms; nothing is held but the chunk on its
 * way, so the add-on's memory stays bounded whatever the size. The length is sent with the last
 * chunk (`Upload-Defer-Length`): a compressed, encrypted stream's size is known only at its end.
 */
import { Upload, type DetailedError } from 'tus-js-client';
import { createPayloadDigest, type PayloadDigest } from './payloadDigest.ts';
import type { ServerFailure } from './serverClient.ts';
import { failureFrom, unreachable } from './serverFailure.ts';

/** 8 MiB: few requests for a gigabyte, little to send again after a cut. */
export const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;
/** Waits before each retry after a failed request: about a minute for a server to come back. */
export const UPLOAD_RETRY_DELAYS_MS = [0, 1000, 2000, 4000, 8000, 15000, 30000];

export interface PayloadUploadRequest {
  /** The tus endpoint the registration answered (`uploadUrl`). */
  uploadUrl: string;
  token: string;
  messageId: string;
  payload: ReadableStream<Uint8Array>;
  onProgress?: (uploadedBytes: number) => void;
  signal?: AbortSignal;
  chunkBytes?: number;
  retryDelays?: number[];
}

export type PayloadUploadResult =
  | { ok: true; bytes: number; sha256: string }
  | (ServerFailure & {
      /** `cancelled`: the signal fired; `refused`: the server said no (size, quota, gone). */
      reason: 'cancelled' | 'refused' | 'unavailable';
    });

export function uploadPayload(request: PayloadUploadRequest): Promise<PayloadUploadResult> {
  const digest = createPayloadDigest();
  const reader = request.payload.getReader();
  const source = new PayloadSource(reader, digest);
  return new Promise((resolve, reject) => {
    // The reader is named as the input; tus reads it only through `fileReader` below.
    const upload = new Upload(reader, {
      endpoint: request.uploadUrl,
      headers: { Authorization: `Bearer ${request.token}` },
      metadata: { messageId: request.messageId },
      chunkSize: request.chunkBytes ?? UPLOAD_CHUNK_BYTES,
      uploadLengthDeferred: true,
      retryDelays: request.retryDelays ?? UPLOAD_RETRY_DELAYS_MS,
      // A retry helps only when the server may answer differently later: not after a refusal.
      onShouldRetry: (error) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        return status === 0 || status === 409 || status === 423 || status >= 500;
      },
      // Resuming across restarts of Thunderbird is not wanted: the send is cancelled anyway.
      storeFingerprintForResuming: false,
      fileReader: { openFile: () => Promise.resolve(source) },
      onProgress: (sent) => request.onProgress?.(sent),
      onSuccess: () => {
        if (source.failure) return resolve(unavailable(source.failure.message));
        resolve({ ok: true, bytes: digest.bytes, sha256: digest.hex() });
      },
      onError: (error) => {
        if (request.signal?.aborted) return resolve(cancelled());
        // Sealing itself failed (the stream errored): that is the error, not the upload.
        if (source.failure) return reject(source.failure);
        resolve(failureOf(error));
      },
    });
    if (request.signal?.aborted) return resolve(cancelled());
    request.signal?.addEventListener(
      'abort',
      () => {
        // `true` also deletes what the server holds of it (tus termination).
        void upload.abort(true).catch(() => undefined);
        source.close();
        resolve(cancelled());
      },
      { once: true },
    );
    upload.start();
  });
}

function cancelled(): PayloadUploadResult {
  return { ok: false, reason: 'cancelled', code: 'unavailable', message: 'cancelled' };
}

function unavailable(message: string): PayloadUploadResult {
  return { ...unreachable('network', message), reason: 'unavailable' };
}

/** A failed upload request: no answer or a server error is worth trying again; else refused. */
function failureOf(error: Error | DetailedError): PayloadUploadResult {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  const status = response?.getStatus();
  if (!response || status === undefined || status === 0) {
    return unavailable('the server could not be reached');
  }
  const failure = failureFrom(status, response.getBody() ?? '');
  return { ...failure, reason: status >= 500 ? 'unavailable' : 'refused' };
}

/**
 * tus-js-client's source over the payload stream. Its own stream source concatenates every read
 * into a growing buffer (quadratic for large chunks); this one keeps the stream's pieces as they
 * came and joins them once per request. Bytes before the offset the server confirmed are dropped,
 * so at most one chunk (plus one piece) is held. Every byte is hashed exactly once, when read.
 * (Reading the next chunk while one is sent was measured: no faster on this machine, and the
 * add-on's peak went from +84 MB to +1 GB for a 1 GB message.)
 */
class PayloadSource {
  /** Unknown before the end: tus does not read it with a deferred length. */
  readonly size = Number.NaN;
  failure: Error | null = null;
  #pieces: Uint8Array[] = [];
  #held = 0;
  /** Stream offset of the first held byte. */
  #offset = 0;
  #done = false;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #digest: PayloadDigest;

  constructor(reader: ReadableStreamDefaultReader<Uint8Array>, digest: PayloadDigest) {
    this.#reader = reader;
    this.#digest = digest;
  }

  async slice(start: number, end: number): Promise<{ value: Uint8Array | null; done: boolean }> {
    if (start < this.#offset) throw new Error('upload: the server lost bytes it had confirmed');
    this.#drop(start - this.#offset);
    const wanted = end - start;
    await this.#fill(wanted);
    if (this.#held === 0) return { value: null, done: this.#done };
    return { value: this.#join(Math.min(wanted, this.#held)), done: false };
  }

  /** Reads from the stream until `target` bytes are held or it ends. */
  async #fill(target: number): Promise<void> {
    while (this.#held < target && !this.#done) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await this.#reader.read();
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        throw this.failure;
      }
      if (next.done) {
        this.#done = true;
        break;
      }
      this.#digest.update(next.value);
      this.#pieces.push(next.value);
      this.#held += next.value.length;
    }
  }

  close(): void {
    void this.#reader.cancel().catch(() => undefined);
  }

  #drop(count: number): void {
    let left = count;
    while (left > 0 && this.#pieces.length > 0) {
      const first = this.#pieces[0]!;
      if (first.length <= left) {
        this.#pieces.shift();
        left -= first.length;
        this.#held -= first.length;
      } else {
        this.#pieces[0] = first.subarray(left);
        this.#held -= left;
        left = 0;
      }
    }
    this.#offset += count - left;
  }

  #join(length: number): Uint8Array {
    const first = this.#pieces[0]!;
    if (first.length >= length) return first.subarray(0, length);
    const joined = new Uint8Array(length);
    let at = 0;
    for (const piece of this.#pieces) {
      if (at === length) break;
      const part = piece.subarray(0, length - at);
      joined.set(part, at);
      at += part.length;
    }
    return joined;
  }
}
