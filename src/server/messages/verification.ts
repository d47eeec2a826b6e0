/**
 * Recipient verification, the second half: `verify/complete` checks the factor, releases the
 * server share and records the open (the first half, start and resend: ./verificationStart.ts).
 *
 * Every limit is enforced by one atomic UPDATE whose WHERE clause holds the limit, so concurrent
 * requests, from one process or several, can never get more tries than allowed: a try is
 * *reserved* (counter + 1) before the secret is compared, and given back only when it was right.
 * Expired and revoked messages are refused before any secret is looked at, and the share is
 * released by an UPDATE that checks the message is still active at that moment.
 */
import { takesAccessCode } from '../../core/methods.ts';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { normaliseAccessCode } from '../../core/accessCodeFormat.ts';
import type { LimitsConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { verifierMatches, type ServerSecret } from '../serverSecret.ts';
import { closeLock, findLock, lockedFailure, lockedNow, openAt } from './lockouts.ts';
import { endedFailure, fail, handleNotFound, type Failure } from './outcomes.ts';
import { messageState } from './rules.ts';
import { normaliseOneTimeCode } from './secrets.ts';
import type { MessageLockRow, MessageRow } from './tables.ts';
import { lockOfHandle } from './verificationHandles.ts';

export { FIRST_LOCKOUT_SECONDS, lockoutSeconds } from './lockouts.ts';
export type { Failure } from './outcomes.ts';

/** One-time codes that may be sent for one lock before a successful verification resets the count. */
export const MAX_CODES_PER_LOCK = 5;

/** What verification needs from the server. */
export interface VerificationContext {
  db: Kysely<Database>;
  /** Keys every code verifier: a database copy alone cannot test guesses. */
  secret: ServerSecret;
  /** Who asks (IP address, see `trustProxy`): limits on guessing count per client. */
  client: string;
  now: Date;
  /** The organisation the server belongs to: a code mail names it. */
  organisationName: string;
  limits: Pick<
    LimitsConfig,
    'codeTries' | 'codeLifetimeSeconds' | 'resendThrottleSeconds' | 'accessCodeTries'
  >;
  /** Tells the sender that a recipient of their message was locked out (best effort). */
  notifySender?: (lockout: {
    messageId: string;
    recipient: string;
    lockedUntil: Date;
  }) => Promise<void>;
  /** Delivers a one-time code; rejects when the provider failed. */
  deliver: (delivery: {
    channel: 'sms' | 'email';
    to: string;
    subject: string;
    text: string;
  }) => Promise<void>;
}

export type CompleteResult = { ok: true; serverShare: string; lock: MessageLockRow } | Failure;

/** The message if it exists and is active, else the failure to answer (never "wrong code"). */
export async function activeMessage(
  db: Kysely<Database>,
  messageId: string,
  now: Date,
): Promise<{ ok: true; message: MessageRow } | Failure> {
  const message = await db
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (message === undefined) return fail('not-found', 'There is no such message.');
  const state = messageState({ expiresAt: message.expires_at, revokedAt: message.revoked_at }, now);
  if (state !== 'active') return endedFailure(state);
  return { ok: true, message };
}

/**
 * A condition on a `message_locks` UPDATE: the lock's message is still active at that moment.
 * Checked in the same statement as the change, so a revocation in between cannot slip through.
 */
export function whileMessageActive(messageId: string, now: Date) {
  return (expression: ExpressionBuilder<Database, 'message_locks'>) =>
    expression.exists(
      expression
        .selectFrom('messages')
        .select('messages.id')
        .where('messages.id', '=', messageId)
        .where('messages.revoked_at', 'is', null)
        .where('messages.expires_at', '>', now),
    );
}

/** POST …/verify/complete */
export async function completeVerification(
  context: VerificationContext,
  messageId: string,
  handle: string,
  typedCode: string,
): Promise<CompleteResult> {
  const lockId = await lockOfHandle(context.db, messageId, handle, context.now);
  if (lockId === undefined) {
    // Say expired/revoked/unknown message first, as every other route does.
    const gate = await activeMessage(context.db, messageId, context.now);
    return gate.ok ? handleNotFound() : gate;
  }
  // The lock and its message's state in one query: this is the path every recipient takes.
  const found = await context.db
    .selectFrom('message_locks')
    .innerJoin('messages', 'messages.id', 'message_locks.message_id')
    .selectAll('message_locks')
    .select([
      'messages.expires_at as message_expires_at',
      'messages.revoked_at as message_revoked_at',
    ])
    .where('message_locks.message_id', '=', messageId)
    .where('message_locks.lock_id', '=', lockId)
    .executeTakeFirst();
  if (found === undefined) {
    // Unknown lock: say expired/revoked/unknown message first, as every other route does.
    const gate = await activeMessage(context.db, messageId, context.now);
    if (!gate.ok) return gate;
    return fail('not-found', 'There is no such lock on this message.');
  }
  const { message_expires_at: expiresAt, message_revoked_at: revokedAt, ...lock } = found;
  const state = messageState({ expiresAt, revokedAt }, context.now);
  if (state !== 'active') return endedFailure(state);
  if (lockedNow(lock, context.now)) return lockedFailure(lock, context.now);
  return takesAccessCode(lock.method)
    ? completeWithAccessCode(context, lock, typedCode)
    : completeWithOneTimeCode(context, lock, typedCode);
}

async function completeWithAccessCode(
  context: VerificationContext,
  lock: MessageLockRow,
  typedCode: string,
): Promise<CompleteResult> {
  const { db, now, limits } = context;
  const reserved = await db
    .updateTable('message_locks')
    .set((expression) => ({ wrong_access_codes: expression('wrong_access_codes', '+', 1) }))
    .where('message_id', '=', lock.message_id)
    .where('lock_id', '=', lock.lock_id)
    .where(openAt(now))
    .where('wrong_access_codes', '<', limits.accessCodeTries)
    .returning(['wrong_access_codes', 'access_code_salt', 'access_code_digest'])
    .executeTakeFirst();
  if (reserved === undefined) return lockOut(context, lock);
  const stored =
    reserved.access_code_salt && reserved.access_code_digest
      ? { salt: reserved.access_code_salt, digest: reserved.access_code_digest }
      : null;
  if (stored !== null && verifierMatches(context.secret, stored, normaliseAccessCode(typedCode))) {
    return release(context, lock, { kind: 'access-code' });
  }
  const attemptsLeft = limits.accessCodeTries - reserved.wrong_access_codes;
  if (attemptsLeft <= 0) return lockOut(context, lock);
  return fail('wrong-code', 'That code is not right.', { attemptsLeft });
}

async function completeWithOneTimeCode(
  context: VerificationContext,
  lock: MessageLockRow,
  typedCode: string,
): Promise<CompleteResult> {
  const { db, now, limits } = context;
  const reserved = await db
    .updateTable('message_locks')
    .set((expression) => ({ code_tries: expression('code_tries', '+', 1) }))
    .where('message_id', '=', lock.message_id)
    .where('lock_id', '=', lock.lock_id)
    .where(openAt(now))
    .where('code_digest', 'is not', null)
    .where('code_expires_at', '>', now)
    .where('code_tries', '<', limits.codeTries)
    .returning(['code_tries', 'code_salt', 'code_digest', 'codes_sent'])
    .executeTakeFirst();
  if (reserved === undefined) {
    const current = await findLock(db, lock.message_id, lock.lock_id);
    if (current && lockedNow(current, now)) return lockedFailure(current, now);
    if (current?.code_digest && current.code_tries >= limits.codeTries) {
      return fail('code-expired', 'Too many wrong tries for this code; request a new one.');
    }
    return fail('code-expired', 'The code has expired or was already used; request a new one.');
  }
  const stored =
    reserved.code_salt && reserved.code_digest
      ? { salt: reserved.code_salt, digest: reserved.code_digest }
      : null;
  if (stored !== null && verifierMatches(context.secret, stored, normaliseOneTimeCode(typedCode))) {
    return release(context, lock, { kind: 'one-time-code', digest: Buffer.from(stored.digest) });
  }
  const attemptsLeft = limits.codeTries - reserved.code_tries;
  if (attemptsLeft <= 0 && reserved.codes_sent >= MAX_CODES_PER_LOCK) {
    // The last code this lock may get is spent: lock it for a while; the sender is told.
    return lockOut(context, lock);
  }
  return fail('wrong-code', 'That code is not right.', { attemptsLeft });
}

/**
 * How the factor was passed, which says what else the releasing UPDATE changes. A remembered
 * browser (../devices/verifyDevice.ts) stands in for a one-time code and changes nothing else.
 */
export type Passed =
  | { kind: 'access-code' }
  | { kind: 'one-time-code'; digest: Buffer }
  | { kind: 'remembered-device' };

/** Releases the server share and records the first open, if the message is still active now. */
export async function release(
  context: Pick<VerificationContext, 'db' | 'now'>,
  lock: MessageLockRow,
  passed: Passed,
): Promise<CompleteResult> {
  const { db, now } = context;
  let update = db
    .updateTable('message_locks')
    .set((expression) => ({
      ...(passed.kind === 'access-code'
        ? // The reserved try is given back: only wrong codes count.
          { wrong_access_codes: expression('wrong_access_codes', '-', 1) }
        : passed.kind === 'one-time-code'
          ? // One-time: the code is consumed; the count of codes sent starts again.
            {
              code_salt: null,
              code_digest: null,
              code_expires_at: null,
              code_tries: 0,
              codes_sent: 0,
            }
          : {}),
      opened_at: sql<Date>`coalesce(opened_at, ${now})`,
    }))
    .where('message_id', '=', lock.message_id)
    .where('lock_id', '=', lock.lock_id)
    .where(openAt(now))
    .where(whileMessageActive(lock.message_id, now))
    .where('server_share', 'is not', null);
  // Only the request that still finds this very code in place consumes it.
  if (passed.kind === 'one-time-code') update = update.where('code_digest', '=', passed.digest);
  const released = await update.returningAll().executeTakeFirst();
  if (released === undefined) {
    // Something changed between the check and the release: the message ended, a concurrent
    // wrong guess locked the lock, or a concurrent request used this one-time code first.
    const gate = await activeMessage(db, lock.message_id, now);
    if (!gate.ok) return gate;
    const current = await findLock(db, lock.message_id, lock.lock_id);
    if (current && lockedNow(current, now)) return lockedFailure(current, now);
    if (passed.kind === 'remembered-device')
      return fail('expired', 'This message can no longer be opened.');
    return fail('code-expired', 'The code was already used; request a new one.');
  }
  // An ended message's share is erased; the update above checked it had not ended, so a
  // missing share means it ended at this very moment.
  if (released.server_share === null)
    return fail('expired', 'This message can no longer be opened.');
  return {
    ok: true,
    serverShare: Buffer.from(released.server_share).toString('base64'),
    lock: released,
  };
}

/** Locks the lock out (lockouts.ts) and tells the sender, once, by mail. */
async function lockOut(context: VerificationContext, lock: MessageLockRow): Promise<Failure> {
  const { db, now } = context;
  const locked = await closeLock(db, lock, now);
  if (locked?.locked_until && context.notifySender) {
    await context
      .notifySender({
        messageId: lock.message_id,
        recipient: lock.address,
        lockedUntil: locked.locked_until,
      })
      .catch(() => undefined);
  }
  const current = locked ?? (await findLock(db, lock.message_id, lock.lock_id));
  return current ? lockedFailure(current, now) : fail('locked', 'Too many wrong codes.');
}
