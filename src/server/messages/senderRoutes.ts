/**
 * The message routes for the signed-in sender (src/core/serverApi.ts): registration,
 * revocation, read status, unlocking a locked-out recipient, giving an SMS recipient a new
 * number and telling the server the sealed mail's Message-ID (replies are threaded to it). The device token is checked before a body is read (`onRequest`). The recipient's routes are in ./routes.ts.
 */
import type { FastifyPluginAsync } from 'fastify';
import type {
  ChangePhoneRequest,
  ChangePhoneResponse,
  MailMessageIdRequest,
  MessageStatusResponse,
  RegisterMessageRequest,
  RegisterMessageResponse,
  RevokeResponse,
} from '../../core/serverApi.ts';
import { requireSender } from '../auth/requireSender.ts';
import { replyError } from '../errors.ts';
import { checkPayload, eraseLockSecrets, insertMessage, prepareLocks } from './registration.ts';
import { endedFailure } from './outcomes.ts';
import { expiryFor, messageState } from './rules.ts';
import { normalisePhoneNumber, maskPhoneNumber } from '../providers/phone.ts';
import { deleteReplyTokens } from './replies.ts';
import {
  changePhoneSchema,
  mailMessageIdSchema,
  messageIdOnlySchema,
  registerSchema,
  unlockSchema,
} from './schemas.ts';
import { deleteHandles } from './verificationHandles.ts';
import { deletePayloadOf } from '../payloads/payloadDeletion.ts';
import { otherPayloadBytes } from '../payloads/payloadRows.ts';
import { checkPayloadFits, payloadAllowance } from '../payloads/quota.ts';
import { UPLOADS_PATH } from '../payloads/uploadRoutes.ts';

/** JSON around the base64 payload: the locks of a few hundred recipients fit easily. */
const REGISTRATION_ENVELOPE_BYTES = 1024 * 1024;

type MessageParams = { id: string };

export const messageSenderRoutes: FastifyPluginAsync = async (app) => {
  const { config, db, clock, secret, payloads } = app.deps;
  const limits = config.limits;

  app.post<{ Body: RegisterMessageRequest }>(
    '/api/v1/messages',
    {
      schema: registerSchema,
      onRequest: requireSender,
      // Base64 makes the payload 4/3 larger; this route alone takes bodies that big.
      bodyLimit: Math.ceil((limits.payloadBytes * 4) / 3) + REGISTRATION_ENVELOPE_BYTES,
    },
    async (request, reply) => {
      const body = request.body;
      const now = clock.now();
      const expiry = expiryFor(
        body.expiresInDays,
        { defaultDays: limits.defaultExpiryDays, maxDays: limits.maxExpiryDays },
        now,
      );
      if (!expiry.ok) {
        return replyError(
          reply,
          'bad-request',
          `expiresInDays: at most ${limits.maxExpiryDays} days.`,
        );
      }
      const locks = prepareLocks(body.locks, secret);
      if (!locks.ok) return replyError(reply, 'bad-request', locks.message);
      if (body.payload !== undefined && body.upload !== undefined) {
        return replyError(
          reply,
          'bad-request',
          'Send the payload inline (payload) or upload it (upload), not both.',
        );
      }
      const payload = checkPayload(body.payload);
      if (!payload.ok) return replyError(reply, 'bad-request', payload.message);
      if (payload.payload !== null && payload.payload.byteLength > limits.payloadBytes) {
        return replyError(
          reply,
          'payload-too-large',
          `The hosted payload is over ${limits.payloadBytes} bytes.`,
        );
      }
      const sender = request.sender!.address;
      // An upload's estimate is checked now, so a message that plainly cannot fit is refused
      // before any byte is sent; the upload itself is held to the real limits.
      const payloadBytes = payload.payload?.byteLength ?? body.upload?.expectedBytes;
      if (payloadBytes !== undefined) {
        const allowance = payloadAllowance(
          config.payloads,
          await otherPayloadBytes(db, sender, now),
        );
        const fits = checkPayloadFits(payloadBytes, allowance);
        if (!fits.ok) return replyError(reply, fits.code, fits.message);
      }
      const messageId = body.messageId;
      // The bytes go to the payload store first; the rows point at them only if all is written.
      const stored =
        payload.payload === null
          ? null
          : { storeKey: payloads.newKey(), byteLength: payload.payload.byteLength };
      if (stored !== null) await payloads.put(stored.storeKey, payload.payload!.bytes);
      const dropStored = async () => {
        if (stored !== null) await payloads.remove(stored.storeKey);
      };
      let inserted: Awaited<ReturnType<typeof insertMessage>>;
      try {
        inserted = await insertMessage(db, {
          messageId,
          sender,
          senderName: body.senderName?.trim() || null,
          senderLanguage: body.senderLanguage ?? null,
          createdAt: now,
          expiresAt: expiry.expiresAt,
          locks: locks.locks,
          payload: stored,
          uploadExpectedBytes: body.upload?.expectedBytes ?? null,
        });
      } catch (error) {
        await dropStored();
        throw error;
      }
      if (!inserted.ok) {
        await dropStored();
        return replyError(reply, 'bad-request', 'A message with this id is already registered.');
      }
      request.log.info(
        {
          messageId,
          locks: locks.locks.length,
          hosted: stored !== null,
          upload: body.upload !== undefined,
        },
        'message registered',
      );
      const response: RegisterMessageResponse = {
        messageId,
        expiresAt: expiry.expiresAt.toISOString(),
        readerUrl: `${config.publicUrl}/r/${messageId}`,
        ...(body.upload === undefined
          ? {}
          : {
              uploadUrl: `${config.publicUrl}${UPLOADS_PATH}`,
              payloadUrl: `${config.publicUrl}/api/v1/messages/${messageId}/payload`,
            }),
      };
      return reply.code(201).send(response);
    },
  );

  /** The sender's own message, or the failure (unknown: not-found; someone else's: forbidden). */
  const ownMessage = async (messageId: string, sender: string) => {
    const message = await db
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', messageId)
      .executeTakeFirst();
    if (message === undefined)
      return {
        ok: false as const,
        code: 'not-found' as const,
        message: 'There is no such message.',
      };
    if (message.sender !== sender) {
      return {
        ok: false as const,
        code: 'forbidden' as const,
        message: 'Only the sender of a message may do this.',
      };
    }
    return { ok: true as const, message };
  };

  app.post<{ Params: MessageParams }>(
    '/api/v1/messages/:id/revoke',
    { schema: messageIdOnlySchema, onRequest: requireSender },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const own = await ownMessage(messageId, request.sender!.address);
      if (!own.ok) return replyError(reply, own.code, own.message);
      const now = clock.now();
      const revokedAt = await db.transaction().execute(async (transaction) => {
        const updated = await transaction
          .updateTable('messages')
          .set({ revoked_at: now })
          .where('id', '=', messageId)
          .where('revoked_at', 'is', null)
          .returning('revoked_at')
          .executeTakeFirst();
        // Nothing that would open a lock or test a code stays (docs/envelope.md §3a).
        await eraseLockSecrets(transaction, { messageId });
        await deleteHandles(transaction, { messageId });
        await deleteReplyTokens(transaction, { messageId });
        return updated?.revoked_at ?? own.message.revoked_at ?? now;
      });
      // The hosted copy serves nobody any more, and the server keeps no ciphertext it need not:
      // its bytes go now (an upload in progress is stopped first). Should the store fail, the
      // row stays and housekeeping tries again.
      await deletePayloadOf(db, payloads, messageId).catch((error: unknown) =>
        request.log.error({ err: error, messageId }, 'could not delete a revoked payload'),
      );
      request.log.info({ messageId }, 'message revoked');
      const response: RevokeResponse = { revokedAt: revokedAt.toISOString() };
      return response;
    },
  );

  app.get<{ Params: MessageParams }>(
    '/api/v1/messages/:id/status',
    { schema: messageIdOnlySchema, onRequest: requireSender },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const own = await ownMessage(messageId, request.sender!.address);
      if (!own.ok) return replyError(reply, own.code, own.message);
      const locks = await db
        .selectFrom('message_locks')
        .select([
          'lock_id',
          'address',
          'method',
          'opened_at',
          'locked_at',
          'locked_until',
          'code_requested_at',
        ])
        .where('message_id', '=', messageId)
        .orderBy('position')
        .execute();
      const now = clock.now();
      // Locked means locked now: a lock-out that ended is history, not a state.
      const lockedNow = (lock: { locked_until: Date | null }) =>
        lock.locked_until !== null && lock.locked_until > now;
      const response: MessageStatusResponse = {
        messageId,
        expiresAt: own.message.expires_at.toISOString(),
        revokedAt: own.message.revoked_at?.toISOString() ?? null,
        recipients: locks.map((lock) => ({
          lockId: lock.lock_id,
          address: lock.address,
          method: lock.method,
          openedAt: lock.opened_at?.toISOString() ?? null,
          lockedAt: lockedNow(lock) ? (lock.locked_at?.toISOString() ?? null) : null,
          lockedUntil: lockedNow(lock) ? (lock.locked_until?.toISOString() ?? null) : null,
          codeRequestedAt: lock.code_requested_at?.toISOString() ?? null,
        })),
      };
      return response;
    },
  );

  app.post<{ Params: { id: string; lockId: string } }>(
    '/api/v1/messages/:id/locks/:lockId/unlock',
    { schema: unlockSchema, onRequest: requireSender },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const own = await ownMessage(messageId, request.sender!.address);
      if (!own.ok) return replyError(reply, own.code, own.message);
      // The sender knows their recipient: the lock opens now, with fresh tries (the back-off
      // count stays, so a stranger still meets growing waits).
      const unlocked = await db
        .updateTable('message_locks')
        .set({ locked_until: null, wrong_access_codes: 0, codes_sent: 0, code_tries: 0 })
        .where('message_id', '=', messageId)
        .where('lock_id', '=', request.params.lockId)
        .returning('lock_id')
        .executeTakeFirst();
      if (!unlocked)
        return replyError(reply, 'not-found', 'There is no such lock on this message.');
      request.log.info({ messageId, lockId: request.params.lockId }, 'lock unlocked by the sender');
      return reply.code(204).send();
    },
  );

  app.put<{ Params: { id: string; lockId: string }; Body: ChangePhoneRequest }>(
    '/api/v1/messages/:id/locks/:lockId/phone',
    { schema: changePhoneSchema, onRequest: requireSender },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const own = await ownMessage(messageId, request.sender!.address);
      if (!own.ok) return replyError(reply, own.code, own.message);
      const state = messageState(
        { expiresAt: own.message.expires_at, revokedAt: own.message.revoked_at },
        clock.now(),
      );
      if (state !== 'active') {
        const ended = endedFailure(state);
        return replyError(reply, ended.code, ended.message);
      }
      const phone = normalisePhoneNumber(request.body.phone);
      if (!phone.ok) {
        return replyError(reply, 'bad-request', 'That is not a valid international number.');
      }
      // The number was wrong or lost: a pending code went elsewhere, so it dies, and the
      // recipient starts afresh at the new number (the back-off count stays, as with unlock).
      const changed = await db
        .updateTable('message_locks')
        .set({
          phone: phone.e164,
          code_salt: null,
          code_digest: null,
          code_expires_at: null,
          code_sent_at: null,
          code_tries: 0,
          codes_sent: 0,
          locked_until: null,
        })
        .where('message_id', '=', messageId)
        .where('lock_id', '=', request.params.lockId)
        .where('method', '=', 'sms')
        .returning('lock_id')
        .executeTakeFirst();
      if (!changed) {
        return replyError(reply, 'not-found', 'This message has no SMS recipient with that lock.');
      }
      request.log.info({ messageId, lockId: request.params.lockId }, 'sms number changed');
      const response: ChangePhoneResponse = { sentTo: maskPhoneNumber(phone.e164) };
      return response;
    },
  );

  app.put<{ Params: MessageParams; Body: MailMessageIdRequest }>(
    '/api/v1/messages/:id/mail-message-id',
    { schema: mailMessageIdSchema, onRequest: requireSender },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const own = await ownMessage(messageId, request.sender!.address);
      if (!own.ok) return replyError(reply, own.code, own.message);
      // Only threads replies (In-Reply-To, References); the schema allows no line break in it.
      await db
        .updateTable('messages')
        .set({ mail_message_id: request.body.mailMessageId })
        .where('id', '=', messageId)
        .execute();
      request.log.info({ messageId }, 'mail message id stored');
      return reply.code(204).send();
    },
  );
};
