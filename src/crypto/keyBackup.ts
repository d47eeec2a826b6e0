import * as openpgp from 'openpgp';
import { rejectUnknownOptions } from './options.ts';
import { DEFAULT_OPEN_LIMITS, sealingOpenpgpConfig, type SealCryptoConfig } from './config.ts';

/**
 * A backup of the sender's own private keys: armored OpenPGP private keys, each encrypted with a
 * backup passphrase, one armored block per key in one file. Any OpenPGP tool can read it, so a
 * backup outlives Sealpost itself.
 */

/** Far larger than a file of a few Curve25519 or RSA-4096 private keys; refused before parsing. */
export const MAX_KEY_BACKUP_BYTES = 1024 * 1024;

export interface ExportPrivateKeysOptions {
  /** The sender keys' armored private keys, decrypted (as the add-on keeps them). */
  armoredPrivateKeys: string[];
  passphrase: string;
  /** Lighter Argon2 in tests only. */
  config?: SealCryptoConfig;
}

export interface RestorePrivateKeysOptions {
  /** The backup file's text: one or more armored private key blocks. */
  armored: string;
  passphrase: string;
  /** The time to check that each key can still encrypt (tests pin it). */
  date?: Date;
}

/** One private key read back from a backup, decrypted, as the add-on stores a sender key. */
export interface RestoredKey {
  armoredPrivateKey: string;
  armoredPublicKey: string;
  /** Upper-case hex. */
  fingerprint: string;
  /** The addresses of its user IDs, lower-cased. */
  addresses: string[];
}

/**
 * Why a backup was refused:
 * - `unreadable`: no armored OpenPGP key in it, or one that does not parse;
 * - `too-large`: larger than MAX_KEY_BACKUP_BYTES;
 * - `not-private`: a public key, or a private key without the secret part that decrypts;
 * - `wrong-passphrase`: the passphrase does not decrypt a key;
 * - `no-address`: a key names no email address, so it belongs to no identity;
 * - `cannot-encrypt`: a key cannot encrypt now (revoked, expired), and every sealed message is
 *   also sealed to the sender's key.
 */
export type RestoreProblem =
  'unreadable' | 'too-large' | 'not-private' | 'wrong-passphrase' | 'no-address' | 'cannot-encrypt';

export type RestorePrivateKeysResult =
  { ok: true; keys: RestoredKey[] } | { ok: false; reason: RestoreProblem };

const ARMORED_KEY_BLOCK =
  /-----BEGIN PGP (?:PRIVATE|PUBLIC) KEY BLOCK-----[\s\S]*?-----END PGP (?:PRIVATE|PUBLIC) KEY BLOCK-----/g;

/**
 * Encrypts each private key with `passphrase` and armors them one after the other. A v6 key gets
 * Argon2id and AEAD (RFC 9580 §3.7.2.1, as the key vault); a v4 key, which GnuPG 2.2 must still
 * read, the iterated-and-salted S2K with CFB that every OpenPGP tool reads.
 */
export async function exportPrivateKeys(options: ExportPrivateKeysOptions): Promise<string> {
  rejectUnknownOptions('exportPrivateKeys', options, [
    'armoredPrivateKeys',
    'passphrase',
    'config',
  ]);
  if (typeof options.passphrase !== 'string' || options.passphrase === '') {
    throw new TypeError('exportPrivateKeys: the passphrase must be a non-empty string');
  }
  if (options.armoredPrivateKeys.length === 0) {
    throw new TypeError('exportPrivateKeys: no key to export');
  }
  const sealing = sealingOpenpgpConfig(options.config);
  const blocks: string[] = [];
  for (const armoredKey of options.armoredPrivateKeys) {
    const privateKey = await openpgp.readPrivateKey({ armoredKey });
    const config: openpgp.PartialConfig =
      privateKey.keyPacket.version === 6
        ? sealing
        : { aeadProtect: false, s2kType: openpgp.enums.s2k.iterated };
    const locked = await openpgp.encryptKey({ privateKey, passphrase: options.passphrase, config });
    blocks.push(locked.armor());
  }
  return blocks.join('\n');
}

/**
 * Reads a backup: every key in it must be a private key that `passphrase` decrypts, names an
 * address, and can encrypt now. All or nothing: a file with one bad key restores none.
 */
export async function restorePrivateKeys(
  options: RestorePrivateKeysOptions,
): Promise<RestorePrivateKeysResult> {
  rejectUnknownOptions('restorePrivateKeys', options, ['armored', 'passphrase', 'date']);
  const date = options.date ?? new Date();
  if (typeof options.armored !== 'string') return { ok: false, reason: 'unreadable' };
  if (new TextEncoder().encode(options.armored).length > MAX_KEY_BACKUP_BYTES) {
    return { ok: false, reason: 'too-large' };
  }
  const keys: openpgp.Key[] = [];
  for (const [block] of options.armored.matchAll(ARMORED_KEY_BLOCK)) {
    try {
      keys.push(...(await openpgp.readKeys({ armoredKeys: block })));
    } catch {
      return { ok: false, reason: 'unreadable' };
    }
  }
  if (keys.length === 0) return { ok: false, reason: 'unreadable' };

  const restored: RestoredKey[] = [];
  for (const key of keys) {
    if (!key.isPrivate()) return { ok: false, reason: 'not-private' };
    const decrypted = await decryptBackupKey(key, options.passphrase);
    if (typeof decrypted === 'string') return { ok: false, reason: decrypted };
    // A key exported with its secret parts stubbed out (GnuPG's "gnu-dummy") opens nothing.
    const decryptionKeys = await decrypted.getDecryptionKeys(undefined, date).catch(() => []);
    const usable = decryptionKeys.filter(
      (part) => 'isDummy' in part.keyPacket && !part.keyPacket.isDummy(),
    );
    if (usable.length === 0) {
      return { ok: false, reason: 'not-private' };
    }
    const addresses = [
      ...new Set(
        decrypted.users
          .map((user) => user.userID?.email.trim().toLowerCase() ?? '')
          .filter((address) => address !== ''),
      ),
    ];
    if (addresses.length === 0) return { ok: false, reason: 'no-address' };
    try {
      await decrypted.getEncryptionKey(undefined, date);
    } catch {
      return { ok: false, reason: 'cannot-encrypt' };
    }
    restored.push({
      armoredPrivateKey: decrypted.armor(),
      armoredPublicKey: decrypted.toPublic().armor(),
      fingerprint: decrypted.getFingerprint().toUpperCase(),
      addresses,
    });
  }
  return { ok: true, keys: restored };
}

async function decryptBackupKey(
  key: openpgp.PrivateKey,
  passphrase: string,
): Promise<openpgp.PrivateKey | 'wrong-passphrase'> {
  // A backup written without a passphrase (gpg --export-secret-keys of an unprotected key).
  if (key.isDecrypted()) return key;
  if (typeof passphrase !== 'string' || passphrase === '') return 'wrong-passphrase';
  try {
    // The S2K parameters come from the file; the cap keeps a crafted one with absurd Argon2
    // memory (openpgp.js allows 2^30 KiB by default) from taking Thunderbird down.
    return await openpgp.decryptKey({
      privateKey: key,
      passphrase,
      config: { maxArgon2MemoryExponent: DEFAULT_OPEN_LIMITS.maxArgon2MemoryExponent },
    });
  } catch {
    return 'wrong-passphrase';
  }
}
