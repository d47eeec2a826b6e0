/**
 * Random values and their comparison. Every secret the server checks (one-time codes, device
 * tokens, access codes) is stored as a digest and compared in constant time on equal-length
 * digests, so neither the stored data nor the timing tells an attacker how close a guess was.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

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

/** HMAC-SHA-256 under a per-record key, hex. For low-entropy values (codes): a dump alone cannot test guesses offline without the key row, and each record needs its own work. */
export function keyedDigest(key: string, text: string): string {
  return createHmac('sha256', Buffer.from(key, 'base64url')).update(text, 'utf8').digest('hex');
}

/** Compares two hex digests in constant time; false for different lengths or bad input. */
export function digestsEqual(expectedHex: string, actualHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'hex');
  const actual = Buffer.from(actualHex, 'hex');
  if (expected.length === 0 || expected.length !== actual.length) return false;
  return timingSafeEqual(expected, actual);
}
