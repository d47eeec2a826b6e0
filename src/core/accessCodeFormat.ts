/**
 * Access codes: what the sender passes on by phone or letter and the recipient types into the
 * reader. docs/envelope.md ("From access code to password") is the public description of
 * normaliseAccessCode/passwordForCode; keep them in step.
 */

/** Crockford base32: digits and capitals without I, L, O, U (no 0/O, 1/I/L confusion). */
export const ACCESS_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 20 symbols × 5 bits = 100 bits, shown as five groups of four. */
export const GENERATED_CODE_LENGTH = 20;
const GROUP_LENGTH = 4;

/**
 * The form of a code that is compared and encrypted with: Unicode NFKC (so full-width digits or
 * ligatures typed on another keyboard become their plain forms), every whitespace character and
 * every '-' removed (groups are only for reading), then upper-case.
 */
export function normaliseAccessCode(code: string): string {
  return code
    .normalize('NFKC')
    .replace(/[\s-]+/gu, '')
    .toUpperCase();
}

/**
 * The exact OpenPGP password of a code lock: the normalised code, which openpgp.js passes to
 * Argon2 as its UTF-8 bytes. `k7qm-x2pa 9fht` and `K7QMX2PA9FHT` give the same password.
 */
export function passwordForCode(code: string): string {
  return normaliseAccessCode(code);
}

/**
 * A fresh 100-bit code, e.g. `K7QM-X2PA-9FHT-3WBN-5RDE`. Each symbol is one random byte masked
 * to 5 bits; 256 is a multiple of 32, so every symbol is uniform.
 */
export function generateAccessCode(
  randomBytes: (count: number) => Uint8Array = (count) =>
    globalThis.crypto.getRandomValues(new Uint8Array(count)),
): string {
  const bytes = randomBytes(GENERATED_CODE_LENGTH);
  if (bytes.length < GENERATED_CODE_LENGTH)
    throw new Error('generateAccessCode: too few random bytes');
  let code = '';
  for (let index = 0; index < GENERATED_CODE_LENGTH; index++) {
    if (index > 0 && index % GROUP_LENGTH === 0) code += '-';
    code += ACCESS_CODE_ALPHABET[(bytes[index] ?? 0) & 31];
  }
  return code;
}
