/**
 * One-time codes: how they are made and read. They are stored only as keyed verifiers
 * (`../serverSecret.ts`): a random per-row salt and a digest under the server's secret key.
 */
import { randomInt } from 'node:crypto';

export const ONE_TIME_CODE_DIGITS = 6;

/** A uniform 6-digit one-time code, leading zeros kept (`randomInt` avoids modulo bias). */
export function generateOneTimeCode(): string {
  return randomInt(0, 10 ** ONE_TIME_CODE_DIGITS)
    .toString()
    .padStart(ONE_TIME_CODE_DIGITS, '0');
}

/** What the recipient typed as a one-time code: digits only, spaces and dashes ignored. */
export function normaliseOneTimeCode(typed: string): string {
  return typed.replace(/[\s-]+/g, '');
}
