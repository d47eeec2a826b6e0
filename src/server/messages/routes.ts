/**
 * The message routes of src/core/serverApi.ts for the recipient: public description,
 * verification and replies, and the hosted reader at `/r/:messageId` (the sender's are in
 * ./senderRoutes.ts, the hosted payload in ../payloads/downloadRoute.ts). Handlers gather input and map results to HTTP; the
 * decisions live in ./rules.ts, ./verificationStart.ts, ./verification.ts and ./replies.ts.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { binaryPublicKey } from '../../crypto/publicKeys.ts';
import type { Database } from '../db/schema.ts';
import { keysFor } from '../keys/publicKeys.ts';
import type {
  PublicMessageResponse,
  ReplyRequest,
  ReplyResponse,
  NoCodeRequest,
  VerifyCompleteRequest,
  VerifyCompleteResponse,
  VerifyResendRequest,
  VerifyStartRequest,
} from '../../core/serverApi.ts';
import { ANONYMOUS_BODY_BYTES, replyError } from '../errors.ts';
import { hostedReaderPage } from './hostedReader.ts';
import { READER_HTML_PATH, readerBuildLoader, readerFilePath } from './readerBuild.ts';
import { rememberContextFor, rememberDevice } from '../devices/devices.ts';
import { tellSenderNoCode } from './noCode.ts';
import { releasedShareResponse } from './released.ts';
import { replyGate, sendReply } from './replies.ts';
import { lockHint, messageState } from './rules.ts';
import {
  base64Length,
  MESSAGE_ID_PATTERN,
  messageIdOnlySchema,
  noCodeSchema,
  replySchema,
  verifyCompleteSchema,
  verifyResendSchema,
  verifyStartSchema,
} from './schemas.ts';
import { lockoutMailText } from './codeText.ts';
import { completeVerification, type Failure, type VerificationContext } from './verification.ts';
import { resendCode, startVerification } from './verificationStart.ts';

/** The reader build the add-on attaches (`npm run build`); the hosted reader serves the same file. */
export { READER_HTML_PATH };

/** A reply's JSON around its base64 payload: a token, a fingerprint and the keys. */
const REPLY_ENVELOPE_BYTES = 4096;

const messageIdPattern = new RegExp(MESSAGE_ID_PATTERN);

type MessageParams = { id: string };

export const messageRoutes: FastifyPluginAsync = async (app) => {
  const { config, db, clock, mailer, sms, secret } = app.deps;
  const limits = config.limits;
  const readerHtml = readerBuildLoader(readerFilePath(config));

  const verificationContext = (client: string): VerificationContext => ({
    db,
    secret,
    client,
    now: clock.now(),
    organisationName: config.organisation.name,
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
      if (delivery.channel === 'email') {
        // A mail failure is logged with its cause by the mailer (src/server/app.ts).
        await mailer.send({ to: delivery.to, subject: delivery.subject, text: delivery.text });
        return;
      }
      await sms.send({ to: delivery.to, text: delivery.text }).catch((error: unknown) => {
        // The provider's answer or the connection's error: never the number or the text.
        const cause = error instanceof Error ? error.message : String(error);
        app.log.error({ smsError: cause }, `an SMS could not be sent: ${cause}`);
        throw error;
      });
    },
  });
  const rememberContext = (now: Date) => rememberContextFor(app.deps, now, app.log);
  const replyFailure = (reply: FastifyReply, failure: Failure) =>
    replyError(reply, failure.code, failure.message, {
      ...(failure.attemptsLeft !== undefined ? { attemptsLeft: failure.attemptsLeft } : {}),
      ...(failure.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: failure.retryAfterSeconds }
        : {}),
    });

  // ---- the recipient ---------------------------------------------------------------------------

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
          .select(['method', 'address', 'hidden', 'phone'])
          .where('message_id', '=', messageId)
          // Bcc locks: not even their method or their number is shown.
          .where('hidden', '=', false)
          .orderBy('position')
          .execute(),
        db
          .selectFrom('message_payloads')
          .select('message_id')
          .where('message_id', '=', messageId)
          // An upload in progress is not a payload yet.
          .where('finished_at', 'is not', null)
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
          method: lock.method,
          hint: lockHint(lock),
        })),
        reply: config.replies.enabled ? { maxBytes: limits.replyMaxBytes } : null,
        rememberDevice: config.rememberDevices.enabled
          ? { days: config.rememberDevices.days }
          : null,
      };
      const replyKey = await replyKeyFor(
        db,
        message.sender,
        config.replies.enabled && state === 'active',
      );
      return replyKey ? { ...response, replyKey } : response;
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
        request.body.handle,
      );
      request.log.info(
        { messageId, outcome: result.ok ? 'sent' : result.code },
        'verification resend',
      );
      return result.ok ? result.response : replyFailure(reply, result);
    },
  );

  app.post<{ Params: MessageParams; Body: NoCodeRequest }>(
    '/api/v1/messages/:id/verify/no-code',
    { schema: noCodeSchema, bodyLimit: ANONYMOUS_BODY_BYTES },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const result = await tellSenderNoCode(
        { db, now: clock.now(), mailer },
        messageId,
        request.body.handle,
      );
      request.log.info(
        result.ok
          ? { messageId, lockId: result.lockId, outcome: result.mailed ? 'mailed' : 'told before' }
          : { messageId, outcome: result.code },
        'no code',
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
        request.body.handle,
        request.body.code,
      );
      request.log.info(
        {
          messageId,
          ...(result.ok ? { lockId: result.lock.lock_id } : {}),
          outcome: result.ok ? 'released' : result.code,
        },
        'verification complete',
      );
      if (!result.ok) return replyFailure(reply, result);
      const now = clock.now();
      const response: VerifyCompleteResponse = await releasedShareResponse(
        { db, now, repliesEnabled: config.replies.enabled },
        result.lock,
        result.serverShare,
      );
      if (request.body.rememberDevice === true && config.rememberDevices.enabled) {
        const device = await rememberDevice(rememberContext(now), result.lock);
        if (device !== null) {
          request.log.info({ messageId, deviceId: device.deviceId }, 'browser remembered');
          response.device = device;
        }
      }
      return response;
    },
  );

  // ---- replies -------------------------------------------------------------------------------

  /**
   * Before a reply's body (up to the size limit) is read: replies are on, the message is active
   * and this client has not sent too many wrong tokens for it. Anyone may call the route, so a
   * link to an ended message (or none) never makes the server read megabytes.
   */
  const replyBeforeBody = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!config.replies.enabled) {
      await replyError(reply, 'not-found', 'This server takes no replies.');
      return reply;
    }
    const { id } = request.params as MessageParams;
    // Anything but a message id is the schema's to refuse (400).
    if (!messageIdPattern.test(id)) return;
    const gate = await replyGate(db, id.toLowerCase(), request.ip, clock.now());
    if (!gate.ok) {
      await replyFailure(reply, gate);
      return reply;
    }
  };

  app.post<{ Params: MessageParams; Body: ReplyRequest }>(
    '/api/v1/messages/:id/replies',
    {
      schema: replySchema(limits.replyMaxBytes),
      onRequest: replyBeforeBody,
      bodyLimit: base64Length(limits.replyMaxBytes) + REPLY_ENVELOPE_BYTES,
      // A payload over the limit is 413 like a body over it, not 400 (schemas.ts).
      attachValidation: true,
    },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const invalid = request.validationError;
      const payloadTooLong =
        invalid?.validation.length === 1 &&
        invalid.validation[0]?.instancePath === '/payload' &&
        invalid.validation[0]?.keyword === 'maxLength';
      if (invalid !== undefined && !payloadTooLong) {
        return replyError(reply, 'bad-request', `Invalid request: ${invalid.message}`);
      }
      const result = await sendReply(
        {
          db,
          now: clock.now(),
          client: request.ip,
          limits,
          publicUrl: config.publicUrl,
          mailer,
          readerTemplate: readerHtml,
        },
        messageId,
        request.body,
      );
      // Never the payload or the token.
      request.log.info(
        result.ok
          ? {
              messageId,
              lockId: result.lockId,
              replyId: result.replyId,
              sizeBytes: result.sizeBytes,
              outcome: 'mailed',
            }
          : { messageId, outcome: result.code },
        'reply',
      );
      if (!result.ok) return replyFailure(reply, result);
      const response: ReplyResponse = {
        replyId: result.replyId,
        sentAt: result.sentAt.toISOString(),
      };
      return reply.code(201).send(response);
    },
  );

  // ---- the hosted reader
  // -------------------------------------------------------------------------

  app.get<{ Params: MessageParams }>('/r/:id', async (request, reply) => {
    const messageId = request.params.id;
    // The id goes into the page; anything but a UUID is refused before it gets near the HTML.
    if (!messageIdPattern.test(messageId))
      return replyError(reply, 'not-found', 'There is no such message.');
    const html = await readerHtml();
    if (html === null) {
      request.log.error({ path: readerFilePath(config) }, 'reader build missing (npm run build)');
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

/**
 * The sender's published key for the hosted reader's replies (binary, base64), or null. The
 * reader checks its fingerprint against the one the payload names, so this can only help.
 */
async function replyKeyFor(
  db: Kysely<Database>,
  sender: string,
  repliesOpen: boolean,
): Promise<string | null> {
  if (!repliesOpen) return null;
  const [published] = await keysFor(db, [sender]);
  if (!published) return null;
  return Buffer.from(await binaryPublicKey(published.publicKey)).toString('base64');
}
