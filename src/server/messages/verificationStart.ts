/**
 * The first half of a recipient's verification: `verify/start` matches the typed address to a
 * lock, hands out the verification handle and, for sms/email, sends a one-time code;
 * `verify/resend` (with the handle) sends another. Every limit is
 * one atomic UPDATE, as in ./verification.ts (which completes the verification).
 */
import { takesAccessCode } from '../../core/methods.ts';
import { normaliseAddress } from '../../core/address.ts';
import type { ServerLockMethod, VerifyStartResponse } from '../../core/serverApi.ts';
import { countInWindow } from '../db/limits.ts';
import { makeVerifier } from '../serverSecret.ts';
import { codeMail, codeSmsText } from './codeText.ts';
import { findLock, lockedFailure, lockedNow, openAt } from './lockouts.ts';
import { fail, handleNotFound, tooManyMisses, type Failure } from './outcomes.ts';
import { sentToHint } from './rules.ts';
import { generateOneTimeCode } from './secrets.ts';
import type { MessageLockRow, MessageRow } from './tables.ts';
import { issueHandle, lockOfHandle } from './verificationHandles.ts';
import { activeMessage, MAX_CODES_PER_LOCK, type VerificationContext } from './verification.ts';

export type StartResult = { ok: true; response: VerifyStartResponse } | Failure;

/**
 * Addresses typed at `verify/start` that match no lock, per message, client and hour. Beyond it
 * every start for that message from that client is refused until the hour is over: otherwise
 * anyone with the link could test guessed addresses to find out who was on Bcc. Twenty leaves
 * room for typing mistakes; other clients (the recipients) are not affected.
 */
export const MAX_ADDRESS_MISSES_PER_HOUR = 20;
const ADDRESS_MISS_WINDOW_SECONDS = 3600;

/**
 * Per message and client: a stranger's guessing never blocks the recipients themselves. A
 * remembered browser that fails at `verify/device` counts here too, so the link cannot be used
 * to try device secrets either.
 */
function missKey(messageId: string, client: string): string {
  return `verify-start-miss:${messageId}:${client}`;
}

/** The refusal when this client used up its misses for this message this hour, else null. */
export async function missesExhausted(
  context: Pick<VerificationContext, 'db' | 'now' | 'client'>,
  messageId: string,
): Promise<Failure | null> {
  const misses = await context.db
    .selectFrom('rate_counters')
    .select(['count', 'window_start'])
    .where('key', '=', missKey(messageId, context.client))
    .executeTakeFirst();
  if (misses !== undefined && misses.count > MAX_ADDRESS_MISSES_PER_HOUR) {
    const windowEnds = misses.window_start.getTime() + ADDRESS_MISS_WINDOW_SECONDS * 1000;
    const waitMilliseconds = windowEnds - context.now.getTime();
    if (waitMilliseconds > 0) return tooManyMisses(Math.ceil(waitMilliseconds / 1000));
  }
  return null;
}

/** Counts one miss of this client for this message: the refusal once over the limit, else null. */
export async function countMiss(
  context: Pick<VerificationContext, 'db' | 'now' | 'client'>,
  messageId: string,
): Promise<Failure | null> {
  const counted = await countInWindow(
    context.db,
    missKey(messageId, context.client),
    context.now,
    ADDRESS_MISS_WINDOW_SECONDS,
    MAX_ADDRESS_MISSES_PER_HOUR,
  );
  return counted.ok ? null : tooManyMisses(counted.retryAfterSeconds);
}

/** POST …/verify/start */
export async function startVerification(
  context: VerificationContext,
  messageId: string,
  typedAddress: string,
): Promise<StartResult> {
  const gate = await activeMessage(context.db, messageId, context.now);
  if (!gate.ok) return gate;
  const exhausted = await missesExhausted(context, messageId);
  if (exhausted !== null) return exhausted;
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
    return (
      (await countMiss(context, messageId)) ??
      fail('not-found', 'This message was not sent to that address.')
    );
  }
  if (lockedNow(lock, context.now)) return lockedFailure(lock, context.now);
  const started = await answerStart(context, lock, gate.message);
  if (!started.ok) return started;
  // Only someone who typed the address gets a handle; only a handle reaches the lock later.
  const { handle } = await issueHandle(context.db, lock, context.now);
  return { ok: true, response: { ...started.response, handle } };
}

/** What a start answers for a found, open lock (sending a one-time code if one is due). */
async function answerStart(
  context: VerificationContext,
  lock: MessageLockRow,
  message: MessageRow,
): Promise<{ ok: true; response: Omit<VerifyStartResponse, 'handle'> } | Failure> {
  if (takesAccessCode(lock.method)) {
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
  return issueCode(context, lock, message);
}

/** POST …/verify/resend */
export async function resendCode(
  context: VerificationContext,
  messageId: string,
  handle: string,
): Promise<StartResult> {
  const gate = await activeMessage(context.db, messageId, context.now);
  if (!gate.ok) return gate;
  const lockId = await lockOfHandle(context.db, messageId, handle, context.now);
  const lock = lockId === undefined ? undefined : await findLock(context.db, messageId, lockId);
  if (lock === undefined) return handleNotFound();
  if (lock.method !== 'sms' && lock.method !== 'email') {
    return fail('bad-request', 'This lock uses an access code; nothing is sent for it.');
  }
  if (lockedNow(lock, context.now)) return lockedFailure(lock, context.now);
  const sent = await issueCode(context, lock, gate.message);
  return sent.ok ? { ok: true, response: { ...sent.response, handle } } : sent;
}

/** Sends a fresh one-time code if the throttle and the per-lock cap allow it. */
async function issueCode(
  context: VerificationContext,
  lock: MessageLockRow,
  message: MessageRow,
): Promise<{ ok: true; response: Omit<VerifyStartResponse, 'handle'> } | Failure> {
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
  // The mail names whose message this is; the SMS stays short.
  const mail = codeMail(lock.language, code, limits.codeLifetimeSeconds, {
    senderName: message.sender_name,
    senderAddress: message.sender,
    organisation: context.organisationName,
    sentAt: message.created_at,
  });
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

function throttleEndsAt(lock: MessageLockRow, context: VerificationContext): Date | null {
  return lock.code_sent_at === null
    ? null
    : new Date(lock.code_sent_at.getTime() + context.limits.resendThrottleSeconds * 1000);
}

function startResponse(
  lock: MessageLockRow,
  codeExpiresAt: Date,
): Omit<VerifyStartResponse, 'handle'> {
  return {
    lockId: lock.lock_id,
    method: lock.method satisfies ServerLockMethod,
    sentTo: sentToHint(lock),
    codeExpiresAt: codeExpiresAt.toISOString(),
  };
}
