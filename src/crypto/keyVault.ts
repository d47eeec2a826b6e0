import * as openpgp from 'openpgp';
import { rejectUnknownOptions } from './options.ts';
import { DEFAULT_OPEN_LIMITS, sealingOpenpgpConfig, type SealCryptoConfig } from './config.ts';

/**
 * The key vault: one OpenPGP key whose private part is encrypted with the sender's passphrase
 * (`encryptKey`: Argon2id S2K and AES-256-GCM, the same parameters as a password lock). The
 * sender keys' private parts are stored encrypted to the vault's public key, so a sender key made
 * while the vault is locked (a new identity's first send) is protected without the passphrase.
 */
export interface KeyVault {
  /** The vault key, its private part encrypted with the passphrase. */
  armoredLockedKey: string;
  armoredPublicKey: string;
  /** Upper-case hex v6 fingerprint. */
  fingerprint: string;
}

export interface CreateKeyVaultOptions {
  passphrase: string;
  /** Creation time of the key (tests pin it). */
  date?: Date;
  /** Lighter Argon2 in tests only. */
  config?: SealCryptoConfig;
}

export interface UnlockKeyVaultOptions {
  armoredLockedKey: string;
  passphrase: string;
}

export interface RelockKeyVaultOptions {
  armoredLockedKey: string;
  passphrase: string;
  newPassphrase: string;
  config?: SealCryptoConfig;
}

/** A wrong passphrase is an expected answer, not an exception. */
export type UnlockKeyVaultResult =
  { ok: true; armoredKey: string } | { ok: false; reason: 'wrong-passphrase' };

export type RelockKeyVaultResult =
  { ok: true; armoredLockedKey: string } | { ok: false; reason: 'wrong-passphrase' };

/** Makes a new vault key (v6, Curve25519) and encrypts it with `passphrase`. */
export async function createKeyVault(options: CreateKeyVaultOptions): Promise<KeyVault> {
  rejectUnknownOptions('createKeyVault', options, ['passphrase', 'date', 'config']);
  requirePassphrase(options.passphrase);
  const config = sealingOpenpgpConfig(options.config);
  const { privateKey } = await openpgp.generateKey({
    type: 'curve25519',
    // v6 keys need no user ID; this key never leaves the add-on, so it names nobody.
    userIDs: [],
    date: options.date ?? new Date(),
    format: 'object',
    config,
  });
  const locked = await openpgp.encryptKey({ privateKey, passphrase: options.passphrase, config });
  return {
    armoredLockedKey: locked.armor(),
    armoredPublicKey: locked.toPublic().armor(),
    fingerprint: locked.getFingerprint().toUpperCase(),
  };
}

/** Decrypts the vault key; the result is armored without passphrase protection. */
export async function unlockKeyVault(
  options: UnlockKeyVaultOptions,
): Promise<UnlockKeyVaultResult> {
  rejectUnknownOptions('unlockKeyVault', options, ['armoredLockedKey', 'passphrase']);
  const unlocked = await decryptVaultKey(options.armoredLockedKey, options.passphrase);
  if (!unlocked) return { ok: false, reason: 'wrong-passphrase' };
  return { ok: true, armoredKey: unlocked.armor() };
}

/** Encrypts the same vault key with a new passphrase, given the current one. */
export async function relockKeyVault(
  options: RelockKeyVaultOptions,
): Promise<RelockKeyVaultResult> {
  rejectUnknownOptions('relockKeyVault', options, [
    'armoredLockedKey',
    'passphrase',
    'newPassphrase',
    'config',
  ]);
  requirePassphrase(options.newPassphrase);
  const unlocked = await decryptVaultKey(options.armoredLockedKey, options.passphrase);
  if (!unlocked) return { ok: false, reason: 'wrong-passphrase' };
  const config = sealingOpenpgpConfig(options.config);
  const locked = await openpgp.encryptKey({
    privateKey: unlocked,
    passphrase: options.newPassphrase,
    config,
  });
  return { ok: true, armoredLockedKey: locked.armor() };
}

async function decryptVaultKey(
  armoredLockedKey: string,
  passphrase: string,
): Promise<openpgp.PrivateKey | null> {
  // The stored key is the add-on's own: a key that does not parse is a bug, so that throws.
  const privateKey = await openpgp.readPrivateKey({ armoredKey: armoredLockedKey });
  if (typeof passphrase !== 'string' || passphrase === '') return null;
  try {
    // The S2K parameters come from the key packet; the cap keeps a planted key with absurd Argon2
    // memory (openpgp.js allows 2^30 KiB by default) from taking Thunderbird down.
    return await openpgp.decryptKey({
      privateKey,
      passphrase,
      config: { maxArgon2MemoryExponent: DEFAULT_OPEN_LIMITS.maxArgon2MemoryExponent },
    });
  } catch {
    // openpgp.js says only "Error decrypting private key" (its AEAD tag did not verify).
    return null;
  }
}

function requirePassphrase(passphrase: unknown): void {
  if (typeof passphrase !== 'string' || passphrase === '') {
    throw new TypeError('key vault: the passphrase must be a non-empty string');
  }
}
