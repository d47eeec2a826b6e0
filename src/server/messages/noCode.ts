/**
 * "I don't have the code": a recipient who typed their address (and so holds a verification
 * handle) tells the sender, from the reader, that the code did not reach them. The server mails
 * the sender (./noCodeText.ts) and records the time on the lock (`codeRequestedAt` in the
 * sender's status). It works for every server lock method: an access code the sender must tell
 * again, an SMS number that may be wrong, a mail that may sit in a spam folder.
 *
 * Limits, one atomic UPDATE like every other (several processes over one PostgreSQL): one mail
 * per lock per hour (a repeat within it answers the same time and sends nothing) and
 * `NO_CODE_MAILS_PER_LOCK` over the message's life. A mail that cannot be sent does not count.
 */
import type { Kysely } from 'kysely';
import type { NoCodeResponse } from '../../core/serverApi.ts';
import type { Database } from '../db/schema.ts';
import type { Mailer } from '../mail/mailer.ts';
import { maskPhoneNumber } from '../providers/phone.ts';
import { fail, handleNotFound, type Failure } from './outcomes.ts';
import { noCodeMail } from './noCodeText.ts';
import { replyLanguage } from './replyText.ts';
import { activeMessage, whileMessageActive } from './verification.ts';
import { lockOfHandle } from './verificationHandles.ts';

/** Mails to the sender per lock over the message's life: enough to ask again, not to spam. */
export const NO_CODE_MAILS_PER_LOCK = 3;
/** The least time between two such mails for one lock. */
export const NO_CODE_INTERVAL_SECONDS = 60 * 60;

export interface NoCodeContext {
  db: Kysely<Database>;
  now: Date;
  mailer: Mailer;
}

export type NoCodeResult =
  { ok: true; response: NoCodeResponse; mailed: boolean; lockId: string } | Failure;

/** POST …/verify/no-code */
export async function tellSenderNoCode(
  context: NoCodeContext,
  messageId: string,
  handle: string,
): Promise<NoCodeResult> {
  const { db, now } = context;
  const gate = await activeMessage(db, messageId, now);
  if (!gate.ok) return gate;
  const message = gate.message;
  const lockId = await lockOfHandle(db, messageId, handle, now);
  const lock =
    lockId === undefined
      ? undefined
      : await db
          .selectFrom('message_locks')
          .select(['lock_id', 'address', 'method', 'phone', 'code_requested_at'])
          .where('message_id', '=', messageId)
          .where('lock_id', '=', lockId)
          .executeTakeFirst();
  if (lock === undefined) return handleNotFound();

  const intervalStart = new Date(now.getTime() - NO_CODE_INTERVAL_SECONDS * 1000);
  const reserved = await db
    .updateTable('message_locks')
    .set((expression) => ({
      code_requested_at: now,
      no_code_mails: expression('no_code_mails', '+', 1),
    }))
    .where('message_id', '=', messageId)
    .where('lock_id', '=', lock.lock_id)
    .where('no_code_mails', '<', NO_CODE_MAILS_PER_LOCK)
    .where((expression) =>
      expression.or([
        expression('code_requested_at', 'is', null),
        expression('code_requested_at', '<=', intervalStart),
      ]),
    )
    .where(whileMessageActive(messageId, now))
    .returning('code_requested_at')
    .executeTakeFirst();

  if (reserved === undefined) {
    const ended = await activeMessage(db, messageId, now);
    if (!ended.ok) return ended;
    const current = await db
      .selectFrom('message_locks')
      .select(['code_requested_at', 'no_code_mails'])
      .where('message_id', '=', messageId)
      .where('lock_id', '=', lock.lock_id)
      .executeTakeFirstOrThrow();
    // Told within the hour (by this request's twin, perhaps): the same answer, no second mail.
    if (current.code_requested_at !== null && current.code_requested_at > intervalStart) {
      return told(current.code_requested_at, false, lock.lock_id);
    }
    // All mails of this lock are spent; nothing will change before the message ends.
    return fail(
      'rate-limited',
      'The sender has been told several times already; contact them another way.',
      {
        retryAfterSeconds: Math.max(
          1,
          Math.ceil((message.expires_at.getTime() - now.getTime()) / 1000),
        ),
      },
    );
  }

  const mail = noCodeMail(replyLanguage(message.sender_language), {
    recipient: lock.address,
    method: lock.method,
    maskedPhone: lock.phone === null ? null : maskPhoneNumber(lock.phone),
    sentAt: message.created_at,
    expiresAt: message.expires_at,
    mailMessageId: message.mail_message_id,
  });
  try {
    await context.mailer.send({
      to: message.sender,
      subject: mail.subject,
      text: mail.text,
      ...(message.mail_message_id === null ? {} : { inReplyTo: message.mail_message_id }),
      // Not `X-Sealpost`: that marks a sealed mail, and Thunderbird would offer to open this one.
      headers: { 'X-Sealpost-Notice': 'no-code' },
    });
  } catch {
    // Not sent: the mail does not count, and the recipient may try again at once. Only this
    // very reservation is undone (its time is `now`).
    await db
      .updateTable('message_locks')
      .set((expression) => ({
        code_requested_at: lock.code_requested_at,
        no_code_mails: expression('no_code_mails', '-', 1),
      }))
      .where('message_id', '=', messageId)
      .where('lock_id', '=', lock.lock_id)
      .where('code_requested_at', '=', now)
      .where('no_code_mails', '>', 0)
      .execute();
    return fail('unavailable', 'The sender could not be told; try again later.');
  }
  return told(reserved.code_requested_at ?? now, true, lock.lock_id);
}

function told(at: Date, mailed: boolean, lockId: string): NoCodeResult {
  return { ok: true, response: { senderToldAt: at.toISOString() }, mailed, lockId };
}
