import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Secrets the server checks (one-time codes, access codes) are never stored: only a random
 * per-row salt and HMAC-SHA256(salt, secret). Candidates are compared digest against digest with
 * `timingSafeEqual`, so the time taken says nothing about how much of a guess was right.
 */
export const SALT_BYTES = 16;
export const ONE_TIME_CODE_DIGITS = 6;

/** The stored form of a secret. */
export interface SecretDigest {
  salt: Uint8Array;
  digest: Uint8Array;
}

/** A uniform 6-digit one-time code, leading zeros kept (`randomInt` avoids modulo bias). */
export function generateOneTimeCode(): string {
  return randomInt(0, 10 ** ONE_TIME_CODE_DIGITS)
    .toString()
    .padStart(ONE_TIME_CODE_DIGITS, '0');
}

/** Salts and digests `secret` (already in its normalised form). */
export function digestSecret(
  secret: string,
  salt: Uint8Array = randomBytes(SALT_BYTES),
): SecretDigest {
  return { salt, digest: hmac(salt, secret) };
}

/** True when `candidate` digests to `stored` under its salt; constant time in the candidate. */
export function secretMatches(stored: SecretDigest, candidate: string): boolean {
  const candidateDigest = hmac(stored.salt, candidate);
  // Both are 32-byte HMAC outputs; a stored digest of another length is damage, never a match.
  if (candidateDigest.length !== stored.digest.length) return false;
  return timingSafeEqual(candidateDigest, stored.digest);
}

/** What the recipient typed as a one-time code: digits only, spaces and dashes ignored. */
export function normaliseOneTimeCode(typed: string): string {
  return typed.replace(/[\s-]+/g, '');
}

function hmac(salt: Uint8Array, secret: string): Buffer {
  return createHmac('sha256', salt).update(secret, 'utf8').digest();
}
