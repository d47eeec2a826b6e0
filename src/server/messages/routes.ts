/**
 * The message routes of src/messaging/serverApi.ts: registration, revocation and read status
 * for the signed-in sender; public description, hosted payload and verification for the
 * recipient; and the hosted reader at `/r/:messageId`. Handlers gather input and map results to
 * HTTP; the decisions live in ./rules.ts, ./registration.ts and ./verification.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { sql } from 'kysely';
import type {
  MessageStatusResponse,
  PayloadResponse,
  PublicMessageResponse,
  RegisterMessageRequest,
  RegisterMessageResponse,
  RevokeResponse,
  VerifyCompleteRequest,
  VerifyCompleteResponse,
  VerifyResendRequest,
  VerifyStartRequest,
} from '../../messaging/serverApi.ts';
import { requireSender } from '../auth/requireSender.ts';
import { ANONYMOUS_BODY_BYTES, replyError } from '../errors.ts';
import { hostedReaderPage } from './hostedReader.ts';
import { checkPayload, eraseLockSecrets, insertMessage, prepareLocks } from './registration.ts';
import { expiryFor, lockHint, messageState } from './rules.ts';
import {
  MESSAGE_ID_PATTERN,
  messageIdOnlySchema,
  unlockSchema,
  registerSchema,
  verifyCompleteSchema,
  verifyResendSchema,
  verifyStartSchema,
} from './schemas.ts';
import { lockoutMailText } from './codeText.ts';
import {
  activeMessage,
  completeVerification,
  resendCode,
  startVerification,
  type Failure,
  type VerificationContext,
} from './verification.ts';

/** The reader build the add-on attaches (`npm run build`); the hosted reader serves the same file. */
export const READER_HTML_PATH = fileURLToPath(
  new URL('../../../dist/reader/secure-message.html', import.meta.url),
);

/** JSON around the base64 payload: the locks of a few hundred recipients fit easily. */
const REGISTRATION_ENVELOPE_BYTES = 1024 * 1024;

const messageIdPattern = new RegExp(MESSAGE_ID_PATTERN);

type MessageParams = { id: string };

export const messageRoutes: FastifyPluginAsync = async (app) => {
  const { config, db, clock, mailer, sms, secret } = app.deps;
  const limits = config.limits;

  const verificationContext = (client: string): VerificationContext => ({
    db,
    secret,
    client,
    now: clock.now(),
    limits,
    notifySender: async ({ messageId, recipient, lockedUntil }) => {
      const message = await db
        .selectFrom('messages')
        .select(['sender', 'created_at'])
        .where('id', '=', messageId)
        .executeTakeFirst();
      if (!message) return;
      await mailer.send({
        to: message.sender,
        subject: 'A recipient of your secure message was locked out',
        text: lockoutMailText(recipient, message.created_at, lockedUntil),
      });
    },
    deliver: async (delivery) => {
      if (delivery.channel === 'sms') await sms.send({ to: delivery.to, text: delivery.text });
      else await mailer.send({ to: delivery.to, subject: delivery.subject, text: delivery.text });
    },
  });
  const replyFailure = (reply: FastifyReply, failure: Failure) =>
    replyError(reply, failure.code, failure.message, {
      ...(failure.attemptsLeft !== undefined ? { attemptsLeft: failure.attemptsLeft } : {}),
      ...(failure.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: failure.retryAfterSeconds }
        : {}),
    });

  // ---- the sender ------------------------------------------------------------------------------

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
      const payload = checkPayload(body.payload);
      if (!payload.ok) return replyError(reply, 'bad-request', payload.message);
      if (payload.payload !== null && payload.payload.byteLength > limits.payloadBytes) {
        return replyError(
          reply,
          'payload-too-large',
          `The hosted payload is over ${limits.payloadBytes} bytes.`,
        );
      }
      const messageId = body.messageId;
      const inserted = await insertMessage(db, {
        messageId,
        sender: request.sender!.address,
        senderName: body.senderName?.trim() || null,
        createdAt: now,
        expiresAt: expiry.expiresAt,
        locks: locks.locks,
        payload: payload.payload,
      });
      if (!inserted.ok)
        return replyError(reply, 'bad-request', 'A message with this id is already registered.');
      request.log.info(
        { messageId, locks: locks.locks.length, hosted: payload.payload !== null },
        'message registered',
      );
      const response: RegisterMessageResponse = {
        messageId,
        expiresAt: expiry.expiresAt.toISOString(),
        readerUrl: `${config.publicUrl}/r/${messageId}`,
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
        // The hosted copy serves nobody any more; the server keeps no ciphertext it need not,
        // and nothing that would open a lock or test a code (docs/envelope.md §3a).
        await transaction
          .deleteFrom('message_payloads')
          .where('message_id', '=', messageId)
          .execute();
        await eraseLockSecrets(transaction, { messageId });
        return updated?.revoked_at ?? own.message.revoked_at ?? now;
      });
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
        .select(['lock_id', 'address', 'method', 'opened_at', 'locked_at', 'locked_until'])
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

  // ---- the recipient -----------------------------------------------------------------------------

  app.get<{ Params: MessageParams }>(
    '/api/v1/messages/:id/public',
    { schema: messageIdOnlySchema },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const message = await db
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', messageId)
        .executeTakeFirst();
      if (message === undefined) return replyError(reply, 'not-found', 'There is no such message.');
      const [locks, payload] = await Promise.all([
        db
          .selectFrom('message_locks')
          .select(['lock_id', 'method', 'address', 'hidden', 'phone'])
          .where('message_id', '=', messageId)
          .orderBy('position')
          .execute(),
        db
          .selectFrom('message_payloads')
          .select('message_id')
          .where('message_id', '=', messageId)
          .executeTakeFirst(),
      ]);
      const state = messageState(
        { expiresAt: message.expires_at, revokedAt: message.revoked_at },
        clock.now(),
      );
      const response: PublicMessageResponse = {
        messageId,
        state,
        expiresAt: message.expires_at.toISOString(),
        hasPayload: payload !== undefined && state === 'active',
        sender: { name: message.sender_name ?? '', address: message.sender },
        locks: locks.map((lock) => ({
          lockId: lock.lock_id,
          method: lock.method,
          hint: lockHint(lock),
        })),
      };
      return response;
    },
  );

  app.get<{ Params: MessageParams }>(
    '/api/v1/messages/:id/payload',
    { schema: messageIdOnlySchema },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const gate = await activeMessage(db, messageId, clock.now());
      if (!gate.ok) return replyFailure(reply, gate);
      const row = await db
        .selectFrom('message_payloads')
        // Encoded by the database (fast on PGlite too, see registration.ts); PostgreSQL breaks
        // base64 into lines of 76, which are joined again here.
        .select(sql<string>`encode(payload, 'base64')`.as('payload'))
        .where('message_id', '=', messageId)
        .executeTakeFirst();
      if (row === undefined)
        return replyError(reply, 'not-found', 'This message has no hosted copy.');
      const response: PayloadResponse = { payload: row.payload.replaceAll('\n', '') };
      return response;
    },
  );

  app.post<{ Params: MessageParams; Body: VerifyStartRequest }>(
    '/api/v1/messages/:id/verify/start',
    { schema: verifyStartSchema, bodyLimit: ANONYMOUS_BODY_BYTES },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const result = await startVerification(
        verificationContext(request.ip),
        messageId,
        request.body.address,
      );
      request.log.info(
        { messageId, outcome: result.ok ? 'started' : result.code },
        'verification start',
      );
      return result.ok ? result.response : replyFailure(reply, result);
    },
  );

  app.post<{ Params: MessageParams; Body: VerifyResendRequest }>(
    '/api/v1/messages/:id/verify/resend',
    { schema: verifyResendSchema, bodyLimit: ANONYMOUS_BODY_BYTES },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const result = await resendCode(
        verificationContext(request.ip),
        messageId,
        request.body.lockId,
      );
      request.log.info(
        { messageId, lockId: request.body.lockId, outcome: result.ok ? 'sent' : result.code },
        'verification resend',
      );
      return result.ok ? result.response : replyFailure(reply, result);
    },
  );

  app.post<{ Params: MessageParams; Body: VerifyCompleteRequest }>(
    '/api/v1/messages/:id/verify/complete',
    { schema: verifyCompleteSchema, bodyLimit: ANONYMOUS_BODY_BYTES },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const result = await completeVerification(
        verificationContext(request.ip),
        messageId,
        request.body.lockId,
        request.body.code,
      );
      request.log.info(
        { messageId, lockId: request.body.lockId, outcome: result.ok ? 'released' : result.code },
        'verification complete',
      );
      if (!result.ok) return replyFailure(reply, result);
      // No cache keeps it: every answer is `Cache-Control: no-store` (app.ts).
      const response: VerifyCompleteResponse = { serverShare: result.serverShare };
      return response;
    },
  );

  // ---- the hosted reader -------------------------------------------------------------------------

  let cachedReader: { mtimeMs: number; html: string } | null = null;
  const readerHtml = async (): Promise<string | null> => {
    try {
      const { mtimeMs } = await stat(READER_HTML_PATH);
      if (cachedReader?.mtimeMs !== mtimeMs)
        cachedReader = { mtimeMs, html: await readFile(READER_HTML_PATH, 'utf8') };
      return cachedReader.html;
    } catch {
      return null;
    }
  };

  app.get<{ Params: MessageParams }>('/r/:id', async (request, reply) => {
    const messageId = request.params.id;
    // The id goes into the page; anything but a UUID is refused before it gets near the HTML.
    if (!messageIdPattern.test(messageId))
      return replyError(reply, 'not-found', 'There is no such message.');
    const html = await readerHtml();
    if (html === null) {
      request.log.error({ path: READER_HTML_PATH }, 'reader build missing (npm run build)');
      return replyError(reply, 'unavailable', 'The reader is not installed on this server.');
    }
    const page = hostedReaderPage(html, messageId.toLowerCase());
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', `${page.contentSecurityPolicy}; frame-ancestors 'none'`)
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .send(page.html);
  });
};
