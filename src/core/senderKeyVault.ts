import { openWithPrivateKey, sealPayload, type SealCryptoConfig } from '../crypto/index.ts';
import { base64FromBytes, bytesFromBase64 } from './base64.ts';

/**
 * The rules around the passphrase that protects the sender's keys (docs/architecture.md, "The
 * sender's key and its passphrase"): what a new passphrase must be, how long a wrong guess makes
 * the next one wait, and how a sender key's private part is kept encrypted to the key vault.
 */

/** Characters (code points) a new passphrase needs at least. */
export const MIN_PASSPHRASE_LENGTH = 8;

export type PassphraseProblem = 'too-short' | 'mismatch';

/** Why a new passphrase is refused, or null; `confirmation` is the second field of the form. */
export function checkNewPassphrase(
  passphrase: string,
  confirmation: string = passphrase,
): PassphraseProblem | null {
  // Spaces count (a phrase of words is a good passphrase) but spaces alone do not.
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH || passphrase.trim() === '') {
    return 'too-short';
  }
  if (passphrase !== confirmation) return 'mismatch';
  return null;
}

/** Wrong passphrases in a row that cost nothing but the key derivation itself. */
export const FREE_ATTEMPTS = 3;
const FIRST_DELAY_MS = 5_000;
const MAX_DELAY_MS = 5 * 60_000;

/** Wrong passphrases so far in this Thunderbird session, and when the last one was typed. */
export interface FailedAttempts {
  count: number;
  lastAt: number;
}

/**
 * Milliseconds to wait before the next passphrase is checked. Someone with a copy of the
 * profile guesses offline at Argon2's cost whatever this says; this slows down only guessing at
 * an unattended, running Thunderbird, while a sender who mistypes a few times never waits.
 */
export function passphraseWaitMs(failed: FailedAttempts | null, now: number): number {
  if (!failed || failed.count < FREE_ATTEMPTS) return 0;
  const delay = Math.min(FIRST_DELAY_MS * 2 ** (failed.count - FREE_ATTEMPTS), MAX_DELAY_MS);
  return Math.max(0, failed.lastAt + delay - now);
}

/**
 * Encrypts a sender key's armored private key to the vault's public key, as base64 of one
 * binary OpenPGP message: the same sealing code as a message's sender-key lock, no password.
 */
export async function wrapPrivateKey(
  armoredPrivateKey: string,
  armoredVaultPublicKey: string,
  config?: SealCryptoConfig,
): Promise<string> {
  const payload = await sealPayload({
    plaintext: new TextEncoder().encode(armoredPrivateKey),
    passwords: [],
    encryptionKeys: [armoredVaultPublicKey],
    ...(config ? { config } : {}),
  });
  return base64FromBytes(payload);
}

/** The armored private key inside `wrapped`, or null when the vault key does not open it. */
export async function unwrapPrivateKey(
  wrapped: string,
  armoredVaultKey: string,
): Promise<string | null> {
  const payload = bytesFromBase64(wrapped);
  if (!payload) return null;
  const opened = await openWithPrivateKey({ payload, armoredPrivateKey: armoredVaultKey });
  return opened.ok ? new TextDecoder().decode(opened.plaintext) : null;
}
