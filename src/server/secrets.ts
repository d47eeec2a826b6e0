/**
 * Random values and the digest of high-entropy ones (device tokens). Codes a person types are
 * verified with keyed verifiers (`serverSecret.ts`), never with a plain digest.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** `bytes` random bytes as base64url (no padding). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A uniformly random 6-digit code, leading zeros kept. */
export function randomSixDigitCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** SHA-256 of the UTF-8 text, hex. For high-entropy values (device tokens). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
