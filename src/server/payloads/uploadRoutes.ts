/**
 * Link delivery's upload endpoint, `/api/v1/uploads` (tus 1.0.0 through @tus/server; the
 * contract is in src/core/serverApi.ts). Fastify does the rest of the server's work first — the
 * sender's device token (`requireSender`, before any byte of the body is read) and the checks of
 * ./uploadRules.ts — and then hands the raw request to tus, whose DataStore is the payload store.
 * Bodies are never parsed here: tus streams them into the store. The database learns each
 * upload's length after every PATCH and when it finished; only then is the payload served.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Metadata, Server as TusServer, type ServerOptions, type Upload } from '@tus/server';
import { requireSender } from '../auth/requireSender.ts';
import { errorBody, replyError, STATUS_OF } from '../errors.ts';
import { endedFailure } from '../messages/outcomes.ts';
import { messageState } from '../messages/rules.ts';
import { deletePayloadOf } from './payloadDeletion.ts';
import {
  finishUpload,
  insertUpload,
  otherPayloadBytes,
  payloadByKey,
  recordUploadLength,
} from './payloadRows.ts';
import { checkPayloadFits, payloadAllowance } from './quota.ts';
import { RecordingDataStore } from './recordingDataStore.ts';
import {
  decideCreation,
  decideOnUpload,
  UPLOAD_ID_PATTERN,
  type UploadDecision,
  type UploadGrant,
} from './uploadRules.ts';
import type { ErrorCode } from '../../core/serverApi.ts';

export const UPLOADS_PATH = '/api/v1/uploads';

type TusRequest = Parameters<NonNullable<ServerOptions['onUploadCreate']>>[0];

/** A tus error as its handlers throw them: status and body. */
interface TusError {
  status_code: number;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The contract's code for a status tus answers by itself. */
function codeForStatus(status: number): ErrorCode {
  if (status === 404) return 'not-found';
  if (status === 403) return 'forbidden';
  if (status === 413) return 'payload-too-large';
  if (status >= 500) return 'internal';
  return 'bad-request';
}

export const uploadRoutes: FastifyPluginAsync = async (app) => {
  const { config, db, clock, payloads } = app.deps;
  /** What the checks granted each request, for tus's hooks (keyed by the raw request). */
  const grants = new WeakMap<IncomingMessage, UploadGrant>();
  const grantOf = (request: TusRequest) => {
    const raw = request.runtime?.node?.req;
    return raw ? grants.get(raw as IncomingMessage) : undefined;
  };
  const answerJson = (request: TusRequest, status: number, code: ErrorCode, message: string) => {
    request.runtime?.node?.res?.setHeader('content-type', JSON_TYPE);
    return { status_code: status, body: JSON.stringify(errorBody(code, message)) };
  };
  /** Deletes an upload that can no longer come to anything (over the limit, message ended). */
  const discard = async (messageId: string) => {
    try {
      await deletePayloadOf(db, payloads, messageId);
    } catch (error) {
      // Housekeeping deletes it later (ended message, or unfinished for too long).
      app.log.error({ err: error, messageId }, 'could not delete a discarded upload');
    }
  };

  const tus = new TusServer({
    path: UPLOADS_PATH,
    datastore: new RecordingDataStore(payloads.dataStore, (key, byteLength) =>
      recordUploadLength(db, key, byteLength),
    ),
    locker: payloads.locker,
    namingFunction: () => payloads.newKey(),
    // The public origin, not the Host header: behind a proxy the two differ.
    generateUrl: (_request, { id }) =>
      `${config.publicUrl}${UPLOADS_PATH}/${id.slice(payloads.keyPrefix.length)}`,
    getFileIdFromRequest: (_request, lastPath) =>
      lastPath !== undefined && UPLOAD_ID_PATTERN.test(lastPath)
        ? `${payloads.keyPrefix}${lastPath}`
        : undefined,
    maxSize: (request) => grantOf(request)?.maxBytes ?? 1,
    // The add-on's background calls this like every sender route: no CORS for any web page.
    allowedOrigins: () => false,
    onUploadCreate: async (request, upload) => {
      const granted = grantOf(request)!;
      const created = await insertUpload(db, {
        messageId: granted.messageId,
        storeKey: upload.id,
        createdAt: clock.now(),
      });
      // Two creations at once: the primary key lets one through.
      if (created === 'exists')
        throw answerJson(request, 400, 'bad-request', 'This message has its upload already.');
      // The store keeps only the message id (no file names or other client metadata).
      return { metadata: { messageId: granted.messageId } };
    },
    onUploadFinish: async (request, upload: Upload) => {
      const granted = grantOf(request)!;
      const now = clock.now();
      if (!(await finishUpload(db, upload.id, upload.offset, now))) {
        await discard(granted.messageId);
        const ended = await endedStateOf(granted.messageId, now);
        throw answerJson(request, STATUS_OF[ended.code], ended.code, ended.message);
      }
      app.log.info({ messageId: granted.messageId, bytes: upload.offset }, 'upload finished');
      return {};
    },
    onResponseError: async (request, error) => {
      const granted = grantOf(request);
      const tusError = error as Partial<TusError> & Error;
      const status = tusError.status_code ?? 500;
      if (typeof tusError.body === 'string' && tusError.body.startsWith('{"error"'))
        return { status_code: status, body: tusError.body };
      if (status === 413 && granted !== undefined) {
        // Over the size limit or a quota: nothing of it stays, so nothing half-usable is kept.
        if (!granted.finished) await discard(granted.messageId);
        app.log.info({ messageId: granted.messageId }, 'upload refused: too large');
        const refused = checkPayloadFits(granted.maxBytes + 1, {
          maxBytes: granted.maxBytes,
          refusal: granted.refusal,
        });
        if (!refused.ok) return answerJson(request, 413, refused.code, refused.message);
      }
      if (status >= 500) {
        app.log.error({ err: error }, 'upload failed');
        return answerJson(request, status, 'internal', 'Something went wrong on the server.');
      }
      return answerJson(request, status, codeForStatus(status), (tusError.body ?? '').trim());
    },
  });

  const endedStateOf = async (messageId: string, now: Date) => {
    const message = await db
      .selectFrom('messages')
      .select(['expires_at', 'revoked_at'])
      .where('id', '=', messageId)
      .executeTakeFirst();
    const state = message
      ? messageState({ expiresAt: message.expires_at, revokedAt: message.revoked_at }, now)
      : 'revoked';
    return endedFailure(state === 'active' ? 'revoked' : state);
  };

  /** The checks before tus sees the request (./uploadRules.ts decides). */
  const decide = async (request: FastifyRequest<{ Params: { uploadId?: string } }>) => {
    const sender = request.sender!.address;
    const now = clock.now();
    const uploadId = request.params.uploadId;
    if (uploadId === undefined) {
      const messageId = messageIdFrom(request.headers['upload-metadata']);
      const message =
        messageId === null
          ? undefined
          : await db
              .selectFrom('messages')
              .leftJoin('message_payloads', 'message_payloads.message_id', 'messages.id')
              .select([
                'messages.sender',
                'messages.expires_at',
                'messages.revoked_at',
                'messages.upload_expected_bytes',
                'message_payloads.message_id as payloadOf',
              ])
              .where('messages.id', '=', messageId)
              .executeTakeFirst();
      const declared = request.headers['upload-length'];
      return decideCreation({
        sender,
        messageId,
        message: message && {
          sender: message.sender,
          expiresAt: message.expires_at,
          revokedAt: message.revoked_at,
          uploadExpectedBytes:
            message.upload_expected_bytes === null ? null : Number(message.upload_expected_bytes),
          hasPayload: message.payloadOf !== null,
        },
        declaredLength:
          typeof declared === 'string' && /^\d+$/.test(declared) ? Number(declared) : null,
        allowance: payloadAllowance(config.payloads, await otherPayloadBytes(db, sender, now)),
        now,
      });
    }
    const storeKey = `${payloads.keyPrefix}${uploadId}`;
    const payload = UPLOAD_ID_PATTERN.test(uploadId) ? await payloadByKey(db, storeKey) : undefined;
    const others = await otherPayloadBytes(db, sender, now, storeKey);
    const decision = decideOnUpload({
      sender,
      payload,
      allowance: payloadAllowance(config.payloads, others),
      now,
    });
    // An upload of an ended message can never finish: its bytes go now.
    if (
      !decision.ok &&
      payload?.sender === sender &&
      ['expired', 'revoked'].includes(decision.code)
    )
      await discard(payload.messageId);
    return decision;
  };

  const refuse = async (reply: FastifyReply, decision: Exclude<UploadDecision, UploadGrant>) => {
    reply.header('tus-resumable', '1.0.0');
    return replyError(reply, decision.code, decision.message);
  };

  await app.register(async (uploads) => {
    // tus reads the body itself, as a stream: nothing here may parse or buffer it.
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_request, _payload, done) => done(null));

    const handler = async (
      request: FastifyRequest<{ Params: { uploadId?: string } }>,
      reply: FastifyReply,
    ) => {
      const decision = await decide(request);
      if (!decision.ok) {
        // An upload of an ended message can never finish: its bytes go now.
        if ((decision.code === 'expired' || decision.code === 'revoked') && request.params.uploadId)
          await discard(request.params.uploadId);
        return refuse(reply, decision);
      }
      if (request.method === 'DELETE') {
        // Termination without tus's own removal, which would leave S3 parts behind.
        await deletePayloadOf(db, payloads, decision.messageId);
        request.log.info({ messageId: decision.messageId }, 'upload terminated');
        return reply.code(204).header('tus-resumable', '1.0.0').send();
      }
      grants.set(request.raw, decision);
      reply.hijack();
      reply.raw.setHeader('cache-control', 'no-store');
      await tus.handle(request.raw, reply.raw);
    };
    uploads.route({ method: 'POST', url: UPLOADS_PATH, onRequest: requireSender, handler });
    uploads.route({
      method: ['HEAD', 'PATCH', 'DELETE'],
      url: `${UPLOADS_PATH}/:uploadId`,
      onRequest: requireSender,
      handler,
    });
  });
};

/** The message id in `Upload-Metadata` (`messageId <base64>`), lower-cased; null when absent. */
function messageIdFrom(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  try {
    const messageId = Metadata.parse(header).messageId;
    return typeof messageId === 'string' && /^[0-9a-f-]{36}$/i.test(messageId)
      ? messageId.toLowerCase()
      : null;
  } catch {
    return null;
  }
}
