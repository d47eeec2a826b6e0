/**
 * What the background tells the popup and the options page about keys: recipients' public keys
 * (docs/keys.md), the passphrase over the sender's own keys, and their backup. Part of the
 * request protocol (`protocol.ts` re-exports it).
 */

/** Where a public key came from (docs/keys.md). */
export type PublicKeySource = 'server' | 'wkd' | 'manual';

/** One recipient public key, as the panel and the options page show it. */
export interface PublicKeyEntry {
  address: string;
  /** Upper-case hex, 40 (v4) or 64 (v6) characters. */
  fingerprint: string;
  version: number;
  userIds: string[];
  algorithm: string;
  expiresAt: string | null;
  source: PublicKeySource;
  /** When it was imported, or last confirmed by a lookup. */
  checkedAt: string;
}

/** The answer to `importKey`: the keys kept, or why the key was refused (nothing is kept). */
export type ImportKeyAnswer =
  | { ok: true; keys: PublicKeyEntry[] }
  | {
      ok: false;
      problem:
        | 'unreadable'
        | 'too-large'
        | 'private'
        | 'revoked'
        | 'expired'
        | 'cannot-encrypt'
        | 'wrong-address'
        | 'no-address';
    };

/** Whether a passphrase protects the sender's private keys, and whether it was given this session. */
export interface KeyProtectionView {
  /** The private keys are stored encrypted with the sender's passphrase. */
  protected: boolean;
  /** Protected and unlocked in this Thunderbird session (`storage.session`). */
  unlocked: boolean;
}

/** The answer to a request that checks or sets the passphrase. */
export type PassphraseAnswer =
  | { ok: true; view: KeyProtectionView }
  | {
      ok: false;
      reason: 'wrong-passphrase' | 'too-short' | 'not-protected' | 'already-protected';
    }
  /** Too many wrong passphrases in a row: nothing was checked. */
  | { ok: false; reason: 'wait'; retryAfterSeconds: number };

/** Characters (code points) a key backup's passphrase needs at least. */
export const MIN_BACKUP_PASSPHRASE_LENGTH = 12;

/** The answer to `exportSenderKeys`. */
export type ExportSenderKeysAnswer =
  /** `armored`: one armored private key block per address, encrypted with the passphrase. */
  | { ok: true; armored: string; addresses: string[] }
  /** `locked`: a passphrase protects the keys and they were not unlocked this session. */
  | { ok: false; reason: 'too-short' | 'locked' | 'no-keys' };

/** The answer to `restoreSenderKeys`. */
export type RestoreSenderKeysAnswer =
  | { ok: true; addresses: string[] }
  | {
      ok: false;
      reason:
        | 'wrong-passphrase'
        | 'unreadable'
        | 'too-large'
        | 'not-private'
        | 'no-address'
        | 'cannot-encrypt';
    }
  /** A different key is the sender key of these addresses: sent again with `replace: true`. */
  | { ok: false; reason: 'replace-needed'; addresses: string[] };
