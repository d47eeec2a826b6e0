/**
 * Verification handles: what binds `verify/complete` and `verify/resend` to the person who typed
 * the recipient's address at `verify/start`. The link alone names no lock (`/public` lists no
 * lock ids), so a stranger who does not know the address cannot spend the recipient's tries.
 * A handle is 32 random bytes; only its SHA-256 is stored (a database copy holds no handle that
 * works), it lives an hour, and a lock keeps only its few newest handles, so repeated starts do
 * not grow the table.
 */
import type { Kysely } from 'kysely';
import type { Database, Timestamp } from '../db/schema.ts';
import { randomToken, sha256Hex } from '../secrets.ts';

/** Long enough to fetch an access code from the sender by phone; a new start gives a new one. */
export const HANDLE_LIFETIME_SECONDS = 60 * 60;
/** Handles a lock keeps at once (several tabs or devices of one recipient). */
export const HANDLES_PER_LOCK = 5;
/** 32 bytes, base64url without padding. */
export const HANDLE_PATTERN = '^[A-Za-z0-9_-]{43}$';

export interface VerificationHandlesTable {
  /** SHA-256 of the handle, hex. */
  handle_digest: string;
  message_id: string;
  lock_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

declare module '../db/schema.ts' {
  interface Database {
    verification_handles: VerificationHandlesTable;
  }
}

/** A new handle for this lock; the lock's oldest handles beyond the limit and expired ones go. */
export async function issueHandle(
  db: Kysely<Database>,
  lock: { message_id: string; lock_id: string },
  now: Date,
): Promise<{ handle: string; expiresAt: Date }> {
  const handle = randomToken(32);
  const expiresAt = new Date(now.getTime() + HANDLE_LIFETIME_SECONDS * 1000);
  await db
    .insertInto('verification_handles')
    .values({
      handle_digest: sha256Hex(handle),
      message_id: lock.message_id,
      lock_id: lock.lock_id,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  const kept = db
    .selectFrom('verification_handles')
    .select('handle_digest')
    .where('message_id', '=', lock.message_id)
    .where('lock_id', '=', lock.lock_id)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('handle_digest')
    .limit(HANDLES_PER_LOCK);
  await db
    .deleteFrom('verification_handles')
    .where('message_id', '=', lock.message_id)
    .where('lock_id', '=', lock.lock_id)
    .where('handle_digest', 'not in', kept)
    .execute();
  return { handle, expiresAt };
}

/** The lock a live handle of this message stands for, or undefined. */
export async function lockOfHandle(
  db: Kysely<Database>,
  messageId: string,
  handle: string,
  now: Date,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('verification_handles')
    .select('lock_id')
    .where('handle_digest', '=', sha256Hex(handle))
    .where('message_id', '=', messageId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.lock_id;
}

/** Deletes the handles of one message (revocation) or every expired one (housekeeping). */
export async function deleteHandles(
  db: Kysely<Database>,
  which: { messageId: string } | { expiredBy: Date },
): Promise<number> {
  const query =
    'messageId' in which
      ? db.deleteFrom('verification_handles').where('message_id', '=', which.messageId)
      : db.deleteFrom('verification_handles').where('expires_at', '<=', which.expiredBy);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
