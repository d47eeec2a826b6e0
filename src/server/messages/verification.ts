/**
 * Recipient verification: start (match the typed address to a lock, send a one-time code for
 * sms/email), resend, complete (check the factor, release the server share, record the open).
 *
 * Every limit is enforced by one atomic UPDATE whose WHERE clause holds the limit, so concurrent
 * requests, from one process or several, can never get more tries than allowed: a try is
 * *reserved* (counter + 1) before the secret is compared, and given back only when it was right.
 * Expired and revoked messages are refused before any secret is looked at, and the share is
 * released by an UPDATE that checks the message is still active at that moment.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { normaliseAccessCode } from '../../core/accessCodeFormat.ts';
import { normaliseAddress } from '../../core/address.ts';
import type {
  ErrorCode,
  ServerLockMethod,
  VerifyStartResponse,
} from '../../messaging/serverApi.ts';
import type { LimitsConfig } from '../config.ts';
import { countInWindow } from '../db/limits.ts';
import type { Database } from '../db/schema.ts';
import { codeMail, codeSmsText } from './codeText.ts';
import { messageState } from './rules.ts';
import { sentToHint } from './rules.ts';
import { generateOneTimeCode, normaliseOneTimeCode } from './secrets.ts';
import { makeVerifier, verifierMatches, type ServerSecret } from '../serverSecret.ts';
import type { MessageLockRow, MessageRow } from './tables.ts';

/** One-time codes that may be sent for one lock before a successful verification resets the count. */
export const MAX_CODES_PER_LOCK = 5;

/**
 * A lock whose tries ran out is closed for 15 minutes, then 30, 60, … (doubling with every
 * lock-out), never for ever: a stranger can delay a recipient, not shut them out. With 10 access
 * code tries per opening that is at most 10 × 16 = 160 guesses in a year (the first 15
 * lock-outs add up to 341 days, the 16th lasts longer than a year), against 36⁶ ≈ 2·10⁹ six-character codes of letters and digits
 * (docs/server.md says what that means for digits-only codes).
 */
export const FIRST_LOCKOUT_SECONDS = 15 * 60;

/** How long the lock-out that is about to start lasts, after `lockouts` earlier ones. */
export function lockoutSeconds(lockouts: number): number {
  return FIRST_LOCKOUT_SECONDS * 2 ** Math.min(lockouts, 30);
}

/**
 * Addresses typed at `verify/start` that match no lock, per message, client and hour. Beyond it
 * every start for that message from that client is refused until the hour is over: otherwise
 * anyone with the link could test guessed addresses to find out who was on Bcc. Twenty leaves
 * room for typing mistakes; other clients (the recipients) are not affected.
 */
export const MAX_ADDRESS_MISSES_PER_HOUR = 20;
const ADDRESS_MISS_WINDOW_SECONDS = 3600;

/** What verification needs from the server. */
export interface VerificationContext {
  db: Kysely<Database>;
  /** Keys every code verifier: a database copy alone cannot test guesses. */
  secret: ServerSecret;
  /** Who asks (IP address, see `trustProxy`): limits on guessing count per client. */
  client: string;
  now: Date;
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

export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
  attemptsLeft?: number;
  retryAfterSeconds?: number;
}

export type StartResult = { ok: true; response: VerifyStartResponse } | Failure;
export type CompleteResult = { ok: true; serverShare: string; lock: MessageLockRow } | Failure;

const fail = (code: ErrorCode, message: string, extras: Partial<Failure> = {}): Failure => ({
  ok: false,
  code,
  message,
  ...extras,
});

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

/** POST …/verify/start */
export async function startVerification(
  context: VerificationContext,
  messageId: string,
  typedAddress: string,
): Promise<StartResult> {
  const gate = await activeMessage(context.db, messageId, context.now);
  if (!gate.ok) return gate;
  // Per message and client: a stranger's guessing never blocks the recipients themselves.
  const missKey = `verify-start-miss:${messageId}:${context.client}`;
  const misses = await context.db
    .selectFrom('rate_counters')
    .select(['count', 'window_start'])
    .where('key', '=', missKey)
    .executeTakeFirst();
  if (misses !== undefined && misses.count > MAX_ADDRESS_MISSES_PER_HOUR) {
    const windowEnds = misses.window_start.getTime() + ADDRESS_MISS_WINDOW_SECONDS * 1000;
    const waitMilliseconds = windowEnds - context.now.getTime();
    if (waitMilliseconds > 0) return tooManyMisses(Math.ceil(waitMilliseconds / 1000));
  }
  // Bcc locks match too; a miss says only that this address is not a recipient, and misses
  // are limited so guessing cannot list who else received the message.
  const lock = await context.db
    .selectFrom('message_locks')
    .selectAll()
    .where('message_id', '=', messageId)
    .where('address', '=', normaliseAddress(typedAddress))
    .orderBy('position')
    .executeTakeFirst();
  if (lock === undefined) {
    const counted = await countInWindow(
      context.db,
      missKey,
      context.now,
      ADDRESS_MISS_WINDOW_SECONDS,
      MAX_ADDRESS_MISSES_PER_HOUR,
    );
    if (!counted.ok) return tooManyMisses(counted.retryAfterSeconds);
    return fail('not-found', 'This message was not sent to that address.');
  }
  if (lockedNow(lock, context.now)) return lockedFailure(lock, context.now);
  if (lock.method === 'code' || lock.method === 'org-code') {
    return {
      ok: true,
      response: { lockId: lock.lock_id, method: lock.method, sentTo: null, codeExpiresAt: null },
    };
  }
  // A reader reloaded within the throttle gets the pending code's details, not a new code.
  const throttleEnds = throttleEndsAt(lock, context);
  if (
    lock.code_digest !== null &&
    lock.code_expires_at !== null &&
    lock.code_expires_at > context.now &&
    throttleEnds !== null &&
    throttleEnds > context.now
  ) {
    return { ok: true, response: startResponse(lock, lock.code_expires_at) };
  }
  return issueCode(context, lock);
}

/** POST …/verify/resend */
export async function resendCode(
  context: VerificationContext,
  messageId: string,
  lockId: string,
): Promise<StartResult> {
  const gate = await activeMessage(context.db, messageId, context.now);
  if (!gate.ok) return gate;
  const lock = await findLock(context.db, messageId, lockId);
  if (lock === undefined) return fail('not-found', 'There is no such lock on this message.');
  if (lock.method !== 'sms' && lock.method !== 'email') {
    return fail('bad-request', 'This lock uses an access code; nothing is sent for it.');
  }
  if (lockedNow(lock, context.now)) return lockedFailure(lock, context.now);
  return issueCode(context, lock);
}

/** Sends a fresh one-time code if the throttle and the per-lock cap allow it. */
async function issueCode(context: VerificationContext, lock: MessageLockRow): Promise<StartResult> {
  const { db, now, limits } = context;
  const code = generateOneTimeCode();
  const stored = makeVerifier(context.secret, code);
  const expiresAt = new Date(now.getTime() + limits.codeLifetimeSeconds * 1000);
  const throttleCutoff = new Date(now.getTime() - limits.resendThrottleSeconds * 1000);
  const issued = await db
    .updateTable('message_locks')
    .set((expression) => ({
      code_salt: Buffer.from(stored.salt),
      code_digest: Buffer.from(stored.digest),
      code_expires_at: expiresAt,
      code_tries: 0,
      code_sent_at: now,
      codes_sent: expression('codes_sent', '+', 1),
    }))
    .where('message_id', '=', lock.message_id)
    .where('lock_id', '=', lock.lock_id)
    .where(openAt(now))
    .where('codes_sent', '<', MAX_CODES_PER_LOCK)
    .where((expression) =>
      expression.or([
        expression('code_sent_at', 'is', null),
        expression('code_sent_at', '<=', throttleCutoff),
      ]),
    )
    .returning('codes_sent')
    .executeTakeFirst();
  if (issued === undefined) {
    const current = await findLock(db, lock.message_id, lock.lock_id);
    if (current === undefined) return fail('not-found', 'There is no such lock on this message.');
    if (lockedNow(current, now)) return lockedFailure(current, now);
    if (current.codes_sent >= MAX_CODES_PER_LOCK) {
      return fail(
        'rate-limited',
        'Too many codes were sent for this recipient; ask the sender for help.',
      );
    }
    const throttleEnds = throttleEndsAt(current, context);
    const retryAfterSeconds =
      throttleEnds === null
        ? 1
        : Math.max(1, Math.ceil((throttleEnds.getTime() - now.getTime()) / 1000));
    return fail('rate-limited', 'A code was sent a moment ago; wait before asking for another.', {
      retryAfterSeconds,
    });
  }

  const channel = lock.method === 'sms' ? 'sms' : 'email';
  const to = channel === 'sms' ? (lock.phone ?? '') : lock.address;
  const mail = codeMail(lock.language, code, limits.codeLifetimeSeconds);
  const text =
    channel === 'sms' ? codeSmsText(lock.language, code, limits.codeLifetimeSeconds) : mail.text;
  try {
    await context.deliver({ channel, to, subject: mail.subject, text });
  } catch {
    // Undo exactly this issue (the digest identifies it), so the recipient can try again at once
    // and an undelivered code never counts against the cap.
    await db
      .updateTable('message_locks')
      .set((expression) => ({
        code_salt: null,
        code_digest: null,
        code_expires_at: null,
        code_sent_at: null,
        codes_sent: expression('codes_sent', '-', 1),
      }))
      .where('message_id', '=', lock.message_id)
      .where('lock_id', '=', lock.lock_id)
      .where('code_digest', '=', Buffer.from(stored.digest))
      .execute();
    return fail(
      'unavailable',
      `The ${channel === 'sms' ? 'SMS' : 'email'} could not be sent; try again later.`,
    );
  }
  return { ok: true, response: startResponse(lock, expiresAt) };
}

/** POST …/verify/complete */
export async function completeVerification(
  context: VerificationContext,
  messageId: string,
  lockId: string,
  typedCode: string,
): Promise<CompleteResult> {
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
  return lock.method === 'code' || lock.method === 'org-code'
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

/** How the factor was passed, which says what else the releasing UPDATE changes. */
type Passed = { kind: 'access-code' } | { kind: 'one-time-code'; digest: Buffer };

/** Releases the server share and records the first open, if the message is still active now. */
async function release(
  context: VerificationContext,
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
        : // One-time: the code is consumed; the count of codes sent starts again.
          {
            code_salt: null,
            code_digest: null,
            code_expires_at: null,
            code_tries: 0,
            codes_sent: 0,
          }),
      opened_at: sql<Date>`coalesce(opened_at, ${now})`,
    }))
    .where('message_id', '=', lock.message_id)
    .where('lock_id', '=', lock.lock_id)
    .where(openAt(now))
    .where((expression) =>
      expression.exists(
        expression
          .selectFrom('messages')
          .select('messages.id')
          .where('messages.id', '=', lock.message_id)
          .where('messages.revoked_at', 'is', null)
          .where('messages.expires_at', '>', now),
      ),
    )
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

async function findLock(
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
 * opens again; only the request that finds it open does so (and tells the sender once).
 */
async function lockOut(context: VerificationContext, lock: MessageLockRow): Promise<Failure> {
  const { db, now } = context;
  const locked = await db
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
  const current = locked ?? (await findLock(db, lock.message_id, lock.lock_id));
  if (locked?.locked_until && context.notifySender) {
    await context
      .notifySender({
        messageId: lock.message_id,
        recipient: lock.address,
        lockedUntil: locked.locked_until,
      })
      .catch(() => undefined);
  }
  return current ? lockedFailure(current, now) : fail('locked', 'Too many wrong codes.');
}

/** Whether the lock is closed at `now` (a lock-out that has not ended). */
function lockedNow(lock: Pick<MessageLockRow, 'locked_until'>, now: Date): boolean {
  return lock.locked_until !== null && lock.locked_until > now;
}

/** SQL condition: the lock is open at `now`. */
function openAt(now: Date) {
  return (expression: ExpressionBuilder<Database, 'message_locks'>) =>
    expression.or([expression('locked_until', 'is', null), expression('locked_until', '<=', now)]);
}

function throttleEndsAt(lock: MessageLockRow, context: VerificationContext): Date | null {
  return lock.code_sent_at === null
    ? null
    : new Date(lock.code_sent_at.getTime() + context.limits.resendThrottleSeconds * 1000);
}

function startResponse(lock: MessageLockRow, codeExpiresAt: Date): VerifyStartResponse {
  return {
    lockId: lock.lock_id,
    method: lock.method satisfies ServerLockMethod,
    sentTo: sentToHint(lock),
    codeExpiresAt: codeExpiresAt.toISOString(),
  };
}

function endedFailure(state: 'expired' | 'revoked'): Failure {
  return state === 'revoked'
    ? fail('revoked', 'The sender revoked this message.')
    : fail('expired', 'This message has expired.');
}

function tooManyMisses(retryAfterSeconds: number): Failure {
  return fail('rate-limited', 'Too many addresses were tried for this message; try again later.', {
    retryAfterSeconds: Math.max(1, retryAfterSeconds),
  });
}

function lockedFailure(lock: Pick<MessageLockRow, 'locked_until'>, now: Date): Failure {
  const seconds = lock.locked_until
    ? Math.max(1, Math.ceil((lock.locked_until.getTime() - now.getTime()) / 1000))
    : FIRST_LOCKOUT_SECONDS;
  return fail('locked', 'Too many wrong codes: try again later. The sender has been told.', {
    retryAfterSeconds: seconds,
  });
}
