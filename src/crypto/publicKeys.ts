import * as openpgp from 'openpgp';
import { rejectUnknownOptions } from './options.ts';

/** Larger than any real public key with a few user IDs; refused before parsing. */
export const MAX_PUBLIC_KEY_BYTES = 64 * 1024;

/** What the sender, the server and the sealer need to know about one OpenPGP public key. */
export interface PublicKeyInfo {
  /** Upper-case hex: 40 characters for a v4 key, 64 for a v6 key. */
  fingerprint: string;
  /** 4 or 6. */
  version: number;
  /** The user IDs as written in the key ("Bob <bob@example.org>"). */
  userIds: string[];
  /** The addresses of its user IDs, lower-cased. */
  addresses: string[];
  /** E.g. "curve25519", "rsaEncryptSign 3072". */
  algorithm: string;
  /** When the key expires (ISO 8601), or null when it never does. */
  expiresAt: string | null;
  /** The key can decrypt SEIPDv2 (a v6 key, or a v4 key that says so in its features). */
  seipdv2: boolean;
  /** The key armored, public parts only: what is stored and sealed to. */
  armored: string;
}

/** Why a key cannot be used; the caller says it in words. */
export type KeyProblem =
  | 'unreadable'
  | 'too-large'
  | 'private'
  | 'revoked'
  | 'expired'
  | 'cannot-encrypt'
  | 'wrong-address';

export type InspectedKey = { ok: true; key: PublicKeyInfo } | { ok: false; problem: KeyProblem };

export interface InspectPublicKeyOptions {
  /** Armored text or binary packets, as pasted, fetched (WKD) or read from a file. */
  key: string | Uint8Array;
  /** When given, the key must carry this address in a user ID. */
  address?: string;
  /** The time to check expiry and revocation against (defaults to now). */
  date?: Date;
}

/**
 * Reads one OpenPGP public key and checks it can be sealed to: readable, public only, not
 * revoked or expired, with a key that can encrypt now, and (when `address` is given) a user ID
 * with that address. Only such keys count as an account (docs/keys.md). A private key is
 * refused rather than stripped: whoever pasted it must not think it was kept.
 */
export async function inspectPublicKey(options: InspectPublicKeyOptions): Promise<InspectedKey> {
  rejectUnknownOptions('inspectPublicKey', options, ['key', 'address', 'date']);
  const date = options.date ?? new Date();
  const size =
    typeof options.key === 'string'
      ? new TextEncoder().encode(options.key).length
      : options.key.length;
  if (size > MAX_PUBLIC_KEY_BYTES) return { ok: false, problem: 'too-large' };
  let key: openpgp.Key;
  try {
    key = await readAnyKey(options.key);
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  if (key.isPrivate()) return { ok: false, problem: 'private' };
  if (await key.isRevoked(undefined, undefined, date)) return { ok: false, problem: 'revoked' };
  const expiration = await key.getExpirationTime().catch(() => null);
  if (expiration instanceof Date && expiration.getTime() <= date.getTime()) {
    return { ok: false, problem: 'expired' };
  }
  try {
    await key.getEncryptionKey(undefined, date);
  } catch {
    return { ok: false, problem: 'cannot-encrypt' };
  }
  const addresses = [
    ...new Set(
      key.users
        .map((user) => user.userID?.email.trim().toLowerCase() ?? '')
        .filter((address) => address !== ''),
    ),
  ];
  const wanted = options.address?.trim().toLowerCase();
  if (wanted !== undefined) {
    if (!addresses.includes(wanted)) return { ok: false, problem: 'wrong-address' };
    // Kept and published for this address only: the key's other user IDs (another person's
    // address, a private one, a photo) are not passed on (WKD serves what is stored).
    key.users = key.users.filter(
      (user) => user.userID !== null && user.userID.email.trim().toLowerCase() === wanted,
    );
  }
  const userIds = key.getUserIDs();
  const info = key.getAlgorithmInfo();
  const features = (await key.getPrimaryUser(date).catch(() => null))?.selfCertification.features;
  const version = key.keyPacket.version;
  return {
    ok: true,
    key: {
      fingerprint: key.getFingerprint().toUpperCase(),
      version,
      userIds,
      addresses: wanted === undefined ? addresses : [wanted],
      algorithm: info.curve ?? `${info.algorithm}${info.bits ? ` ${info.bits}` : ''}`,
      expiresAt: expiration instanceof Date ? expiration.toISOString() : null,
      // Features bit 0x08: "Version 2 SEIPD" (RFC 9580 §5.2.3.32); every v6 key supports it.
      seipdv2: version === 6 || Boolean((features?.[0] ?? 0) & 0x08),
      armored: key.armor(),
    },
  };
}

async function readAnyKey(input: string | Uint8Array): Promise<openpgp.Key> {
  if (typeof input === 'string') {
    if (input.includes('-----BEGIN PGP')) return openpgp.readKey({ armoredKey: input });
    throw new Error('not an armored key');
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(input.subarray(0, 64));
  if (text.includes('-----BEGIN PGP')) {
    return openpgp.readKey({ armoredKey: new TextDecoder().decode(input) });
  }
  return openpgp.readKey({ binaryKey: input });
}

/** The key's binary transferable form (what WKD serves). */
export async function binaryPublicKey(armored: string): Promise<Uint8Array> {
  const key = await openpgp.readKey({ armoredKey: armored });
  return key.toPublic().write();
}

/** A key's binary transferable form and its fingerprint (upper-case hex). */
export async function publicKeyParts(
  key: string | Uint8Array,
): Promise<{ bytes: Uint8Array; fingerprint: string }> {
  const parsed = await readAnyKey(key);
  const publicKey = parsed.toPublic();
  return { bytes: publicKey.write(), fingerprint: publicKey.getFingerprint().toUpperCase() };
}
