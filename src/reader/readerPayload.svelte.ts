/**
 * The payload of the envelope the reader shows: decoded from the file, or downloaded (a linked
 * envelope, or the hosted page) from the moment the page opens, so it is there by the time the
 * recipient has passed their factor. The download's progress is state the page shows.
 */
import { bytesFromBase64 } from '../core/envelopeCodec.ts';
import { downloadPayload } from '../core/payloadDownload.ts';
import { payloadSource, type PayloadSource, type ReaderEnvelope } from './unlock.ts';

export type PayloadResult =
  | { ok: true; payload: Uint8Array }
  /**
   * `ended`: the server answered 410 (expired or revoked); `not-hosted`: 404, it has no payload
   * for this message (or not yet: an upload still running); `unavailable`: no usable answer,
   * worth another try.
   */
  | { ok: false; reason: 'damaged' | 'too-large' | 'not-hosted' | 'ended' | 'unavailable' };

/**
 * The most the reader downloads: the server's default payload limit (2 GiB). The ciphertext is
 * held in one buffer, but its plaintext streams into Blobs (unlock.ts), so its size is no longer
 * bounded by the heap.
 */
export const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024 * 1024;

export class ReaderPayload {
  /** The bytes come over the network (with progress), not from the file itself. */
  readonly downloads: boolean;
  /** Bytes received so far, updated once per percent. */
  received = $state(0);
  /** The payload's size once known (the envelope's link, or the server's Content-Length). */
  total = $state(0);
  /** The bytes are all here. */
  ready = $state(false);
  private readonly source: PayloadSource;
  private pending: Promise<PayloadResult> | null = null;

  constructor(
    envelope: ReaderEnvelope,
    private readonly fetchFn?: typeof fetch,
  ) {
    this.source = payloadSource(envelope);
    this.downloads = this.source.kind === 'download';
    if (this.source.kind === 'download' && this.source.expected) {
      this.total = this.source.expected.bytes;
    }
  }

  /**
   * The payload's bytes; the first call starts the work and later ones wait for the same
   * result. After `unavailable` the next call tries again.
   */
  load(): Promise<PayloadResult> {
    if (!this.pending) {
      const pending = this.fetch();
      this.pending = pending;
      void pending.then((result) => {
        if (!result.ok && result.reason === 'unavailable') this.pending = null;
      });
    }
    return this.pending;
  }

  private async fetch(): Promise<PayloadResult> {
    const source = this.source;
    if (source.kind === 'inline') {
      const payload = bytesFromBase64(source.base64);
      return payload ? this.done(payload) : { ok: false, reason: 'damaged' };
    }
    if (source.expected && source.expected.bytes > MAX_PAYLOAD_BYTES) {
      return { ok: false, reason: 'too-large' };
    }
    this.received = 0;
    const download = await downloadPayload(source.url, {
      ...(source.expected ? { expected: source.expected } : {}),
      maxBytes: MAX_PAYLOAD_BYTES,
      onProgress: (received, total) => this.progress(received, total),
      ...(this.fetchFn ? { fetch: this.fetchFn } : {}),
    });
    if (download.ok) return this.done(download.payload);
    return { ok: false, reason: download.reason === 'missing' ? 'not-hosted' : download.reason };
  }

  /** Whole percents only: a large payload arrives in thousands of chunks. */
  private progress(received: number, total: number): void {
    this.total = total;
    if (Math.floor((received * 100) / total) !== Math.floor((this.received * 100) / total)) {
      this.received = received;
    }
  }

  private done(payload: Uint8Array): PayloadResult {
    this.received = this.total = payload.length;
    this.ready = true;
    return { ok: true, payload };
  }
}
