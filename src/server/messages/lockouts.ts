/**
 * Lock-outs: a lock whose tries ran out is closed for a while, never for ever (docs/server.md,
 * "Lock-outs end by themselves"). Closing it, reading whether it is closed, and the answer a
 * recipient gets meanwhile.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fail, type Failure } from './outcomes.ts';
import type { MessageLockRow } from './tables.ts';

/**
 * A lock whose tries ran out is closed for 15 minutes, then 30, 60, … (doubling with every
 * lock-out), never for ever: a stranger can delay a recipient, not shut them out. With 10 access
 * code tries per opening that is at most 10 × 16 = 160 guesses in a year (the first 15
 * lock-outs add up to 341 days, the 16th lasts longer than a year), against 36⁶ ≈ 2·10⁹
 * six-character codes of letters and digits
 * (docs/server.md says what that means for digits-only codes).
 */
export const FIRST_LOCKOUT_SECONDS = 15 * 60;

/** How long the lock-out that is about to start lasts, after `lockouts` earlier ones. */
export function lockoutSeconds(lockouts: number): number {
  return FIRST_LOCKOUT_SECONDS * 2 ** Math.min(lockouts, 30);
}

/** One lock of a message, as stored. */
export async function findLock(
  db: Kysely<Database>,
  messageId: string,
  lockId: string,
): Promise<MessageLockRow | undefined> {
  return db
    .selectFrom('message_locks')
    .selectAll()
    .where('message_id', '=', messageId)
    .where('lock_id', '=', lockId)
    .executeTakeFirst();
}

/**
 * Closes the lock for its next back-off period and starts its counters afresh for when it
 * opens again. Only the request that finds it open does so: it gets the closed row (to tell
 * the sender once); any other gets undefined.
 */
export async function closeLock(
  db: Kysely<Database>,
  lock: MessageLockRow,
  now: Date,
): Promise<MessageLockRow | undefined> {
  return db
    .updateTable('message_locks')
    .set((expression) => ({
      locked_at: now,
      // The row read for this request: a lock-out since then would fail `openAt` below.
      locked_until: new Date(now.getTime() + lockoutSeconds(lock.lockouts) * 1000),
      lockouts: expression('lockouts', '+', 1),
      wrong_access_codes: 0,
      codes_sent: 0,
      code_salt: null,
      code_digest: null,
      code_expires_at: null,
      code_tries: 0,
    }))
    .where('message_id', '=', lock.message_id)
    .where('lock_id', '=', lock.lock_id)
    .where(openAt(now))
    .returningAll()
    .executeTakeFirst();
}

/** Whether the lock is closed at `now` (a lock-out that has not ended). */
export function lockedNow(lock: Pick<MessageLockRow, 'locked_until'>, now: Date): boolean {
  return lock.locked_until !== null && lock.locked_until > now;
}

/** SQL condition: the lock is open at `now`. */
export function openAt(now: Date) {
  return (expression: ExpressionBuilder<Database, 'message_locks'>) =>
    expression.or([expression('locked_until', 'is', null), expression('locked_until', '<=', now)]);
}

/** The answer while a lock-out lasts: when to try again. */
export function lockedFailure(lock: Pick<MessageLockRow, 'locked_until'>, now: Date): Failure {
  const seconds = lock.locked_until
    ? Math.max(1, Math.ceil((lock.locked_until.getTime() - now.getTime()) / 1000))
    : FIRST_LOCKOUT_SECONDS;
  return fail('locked', 'Too many wrong codes: try again later. The sender has been told.', {
    retryAfterSeconds: seconds,
  });
}
