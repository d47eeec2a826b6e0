import * as openpgp from 'openpgp';
import { rejectUnknownOptions } from './options.ts';

/**
 * Argon2id parameters for every password lock (RFC 9580 §3.7.1.4). These are the second
 * recommendation of RFC 9106 §4 ("uniformly safe", t=3, p=4, m=64 MiB): memory-hard enough that
 * an offline guesser pays 64 MiB and three passes per guess, yet small enough that the reader
 * derives the key in a phone browser. Tests inject lighter values through `config`; production
 * code never does.
 */
export const PRODUCTION_ARGON2_PARAMETERS: Readonly<Argon2Parameters> = Object.freeze({
  passes: 3,
  parallelism: 4,
  memoryExponent: 16,
});

/**
 * Caps applied to every untrusted payload. 2^20 KiB = 1 GiB is the most Argon2 memory a payload
 * may demand (Sealpost itself writes 2^16); anything above is refused before any memory is taken.
 * 256 MiB bounds what a compressed payload may expand to (a 25 MB attachment is about 34 MB of
 * MIME). 64 password locks is far more than any real message has and stops a payload from making
 * the reader run thousands of Argon2 derivations.
 */
export const DEFAULT_OPEN_LIMITS: Readonly<OpenLimits> = Object.freeze({
  maxArgon2MemoryExponent: 20,
  maxDecompressedMessageSize: 256 * 1024 * 1024,
  maxPasswordLocks: 64,
});

/**
 * The decompression cap for a plaintext that is streamed into Blobs rather than held (the
 * reader; docs/envelope.md §4): at least the default 256 MiB, and otherwise 4 × the payload's
 * size. A genuine message decompresses to about 1.3 × its payload (base64 attachments, which
 * DEFLATE shrinks back to their binary size) and text to a few times it; a decompression bomb
 * can expand about 1000-fold, and this bounds its output by a small multiple of what the
 * recipient already downloaded, written to disk-backed Blobs, not to the heap.
 */
export function streamedDecompressionCap(payloadBytes: number): number {
  return Math.max(DEFAULT_OPEN_LIMITS.maxDecompressedMessageSize, 4 * payloadBytes);
}

export interface Argon2Parameters {
  /** t: number of passes. */
  passes: number;
  /** p: degree of parallelism (lanes). */
  parallelism: number;
  /** m = 2^memoryExponent KiB. */
  memoryExponent: number;
}

/** What a caller may override when sealing (tests use lighter Argon2 to stay fast). */
export interface SealCryptoConfig {
  argon2?: Argon2Parameters;
  /**
   * 'zip' (raw DEFLATE, RFC 1951) is the default: the MIME plaintext carries attachments as
   * base64, which DEFLATE's Huffman stage shrinks back to about the binary size; see
   * docs/envelope.md "Compression".
   */
  compression?: 'zip' | 'uncompressed';
}

export interface OpenLimits {
  maxArgon2MemoryExponent: number;
  maxDecompressedMessageSize: number;
  maxPasswordLocks: number;
}

/** What a caller may override when opening. */
export type OpenCryptoConfig = Partial<OpenLimits>;

/**
 * The openpgp.js configuration used for sealing. AEAD is AES-256 + GCM: RFC 9580 makes OCB the
 * mandatory mode, but openpgp.js runs GCM on the platform's native AES (WebCrypto / Node) and
 * OCB in JavaScript, about 20× slower on a 25 MB message; GCM is defined by RFC 9580 and
 * implemented by the RFC 9580 libraries (Sequoia, GopenPGP, rPGP, openpgp.js).
 */
export function sealingOpenpgpConfig(config: SealCryptoConfig = {}): openpgp.PartialConfig {
  rejectUnknownOptions('sealing config', config, ['argon2', 'compression']);
  const argon2 = config.argon2 ?? PRODUCTION_ARGON2_PARAMETERS;
  rejectUnknownOptions('argon2 parameters', argon2, ['passes', 'parallelism', 'memoryExponent']);
  return {
    aeadProtect: true,
    preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256,
    preferredAEADAlgorithm: openpgp.enums.aead.gcm,
    aeadChunkSizeByte: 12,
    preferredCompressionAlgorithm:
      (config.compression ?? 'zip') === 'zip'
        ? openpgp.enums.compression.zip
        : openpgp.enums.compression.uncompressed,
    s2kType: openpgp.enums.s2k.argon2,
    s2kArgon2Params: { ...argon2 },
    // The sealer may write its own parameters even if they exceed the opening cap.
    maxArgon2MemoryExponent: Math.max(
      argon2.memoryExponent,
      DEFAULT_OPEN_LIMITS.maxArgon2MemoryExponent,
    ),
    v6Keys: true,
  };
}

/** The openpgp.js configuration used for opening untrusted payloads. */
export function openingOpenpgpConfig(limits: OpenLimits): openpgp.PartialConfig {
  return {
    maxArgon2MemoryExponent: limits.maxArgon2MemoryExponent,
    maxDecompressedMessageSize: limits.maxDecompressedMessageSize,
    // Unauthenticated data is never released (default, restated because it matters here).
    allowUnauthenticatedMessages: false,
    allowUnauthenticatedStream: false,
    // Unknown packet versions become UnparseablePacket entries so they can be reported as
    // 'unsupported' instead of failing as generic parse errors.
    ignoreUnsupportedPackets: true,
    ignoreMalformedPackets: false,
    enforceGrammar: true,
  };
}

export function resolveOpenLimits(config: OpenCryptoConfig = {}): OpenLimits {
  rejectUnknownOptions('opening config', config, [
    'maxArgon2MemoryExponent',
    'maxDecompressedMessageSize',
    'maxPasswordLocks',
  ]);
  return { ...DEFAULT_OPEN_LIMITS, ...config };
}
