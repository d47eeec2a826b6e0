/**
 * The SHA-256 that authenticates a link-delivered payload against its envelope
 * (docs/envelope.md §9). Incremental, so the add-on hashes the payload while it streams to the
 * server and the reader while it streams from it; neither holds it whole for the hash.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { PayloadLink } from './envelope.ts';

export interface PayloadDigest {
  update(chunk: Uint8Array): void;
  /** Bytes seen so far. */
  readonly bytes: number;
  /** Lower-case hex of the SHA-256 of everything given; ends the digest. */
  hex(): string;
}

export function createPayloadDigest(): PayloadDigest {
  const hash = sha256.create();
  let bytes = 0;
  return {
    update(chunk) {
      hash.update(chunk);
      bytes += chunk.length;
    },
    get bytes() {
      return bytes;
    },
    hex: () => bytesToHex(hash.digest()),
  };
}

/** True when `payload` is exactly what the envelope's link describes (size and hash). */
export function payloadMatchesLink(payload: Uint8Array, link: PayloadLink): boolean {
  if (payload.length !== link.bytes) return false;
  const digest = createPayloadDigest();
  digest.update(payload);
  return digest.hex() === link.sha256;
}
