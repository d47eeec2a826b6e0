/**
 * Senders' OpenPGP public keys: the checks a key must pass before the server keeps it, and the
 * table reads and writes behind the key routes and the Web Key Directory (./routes.ts).
 */
import type { Kysely } from 'kysely';
import type { PublishedKey } from '../../core/serverApi.ts';
import { wkdHash } from '../../core/wkd.ts';
import { inspectPublicKey, type KeyProblem } from '../../crypto/publicKeys.ts';
import type { Database, PublicKeyRow } from '../db/schema.ts';

/** What the sender is told when their key is refused: the problem and what to do about it. */
export function keyProblemText(problem: KeyProblem, senderAddress: string): string {
  switch (problem) {
    case 'unreadable':
      return 'This is not an OpenPGP public key Sealpost can read: paste the whole armored key, from "-----BEGIN PGP PUBLIC KEY BLOCK-----" to its END line.';
    case 'too-large':
      return `This key is larger than 64 KiB: export it without other people's signatures (gpg --armor --export-options export-minimal --export ${senderAddress}).`;
    case 'private':
      return `This is a private key, which must stay on your computer: nothing was stored. Export the public key only (gpg --armor --export ${senderAddress}) and use that.`;
    case 'revoked':
      return 'This key was revoked by its owner: publish your current key.';
    case 'expired':
      return 'This key has expired: extend it (gpg --quick-set-expire) or publish your current key.';
    case 'cannot-encrypt':
      return 'This key has no valid key for encryption: add an encryption subkey, or publish your current key.';
    case 'wrong-address':
      return `This key has no user ID with your address ${senderAddress}: you can publish only a key of your own address.`;
  }
}

export type CheckedKey =
  { ok: true; fingerprint: string; armored: string } | { ok: false; reason: string };

/**
 * Checks a key the sender wants published: public, readable, usable now, and carrying their own
 * address (so nobody can publish a key for a colleague). The armored form kept is the key's
 * public parts as openpgp writes them again, not the text as pasted.
 */
export async function checkSenderKey(
  publicKey: string,
  senderAddress: string,
  now: Date,
): Promise<CheckedKey> {
  const inspected = await inspectPublicKey({ key: publicKey, address: senderAddress, date: now });
  if (!inspected.ok) return { ok: false, reason: keyProblemText(inspected.problem, senderAddress) };
  return { ok: true, fingerprint: inspected.key.fingerprint, armored: inspected.key.armored };
}

/** The local part and domain of a normalised address (split at its last `@`). */
function splitAddress(address: string): { localPart: string; domain: string } {
  const at = address.lastIndexOf('@');
  return { localPart: address.slice(0, at), domain: address.slice(at + 1) };
}

/** Stores the sender's key, replacing any earlier one, and returns the stored row. */
export async function storeKey(
  db: Kysely<Database>,
  address: string,
  key: { fingerprint: string; armored: string },
  now: Date,
): Promise<PublicKeyRow> {
  const { localPart, domain } = splitAddress(address);
  const row = {
    address,
    domain,
    wkd_hash: await wkdHash(localPart),
    fingerprint: key.fingerprint,
    armored: key.armored,
    updated_at: now,
  };
  return db
    .insertInto('public_keys')
    .values(row)
    .onConflict((conflict) =>
      conflict.column('address').doUpdateSet({
        fingerprint: row.fingerprint,
        armored: row.armored,
        updated_at: row.updated_at,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes the sender's key; whether there was one. */
export async function deleteKey(db: Kysely<Database>, address: string): Promise<boolean> {
  const result = await db
    .deleteFrom('public_keys')
    .where('address', '=', address)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The stored keys of these (normalised) addresses, in address order; others are absent. */
export async function keysFor(
  db: Kysely<Database>,
  addresses: readonly string[],
): Promise<PublishedKey[]> {
  if (addresses.length === 0) return [];
  const rows = await db
    .selectFrom('public_keys')
    .select(['address', 'fingerprint', 'armored', 'updated_at'])
    .where('address', 'in', [...new Set(addresses)])
    .orderBy('address')
    .execute();
  return rows.map((row) => ({
    address: row.address,
    fingerprint: row.fingerprint,
    publicKey: row.armored,
    updatedAt: row.updated_at.toISOString(),
  }));
}

/** A WKD hash: 32 characters of z-base-32 (SHA-1's 160 bits). */
export const WKD_HASH = /^[ybndrfg8ejkmcpqxot1uwisza345h769]{32}$/;

/** The armored key WKD serves for this domain and hash (exact match only), or null. */
export async function keyForWkd(
  db: Kysely<Database>,
  domain: string,
  hash: string,
): Promise<string | null> {
  if (!WKD_HASH.test(hash)) return null;
  const row = await db
    .selectFrom('public_keys')
    .select('armored')
    .where('domain', '=', domain)
    .where('wkd_hash', '=', hash)
    .executeTakeFirst();
  return row?.armored ?? null;
}
