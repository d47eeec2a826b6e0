/**
 * `GET /api/v1/messages/:id/payload`: a message's hosted payload, binary, streamed from the
 * payload store with its length (and one byte range on request). Anyone may fetch it, like the
 * reader does: it is ciphertext that only the locks open. Nothing is served before an upload
 * finished, nor once the message ended.
 */
import type { FastifyPluginAsync } from 'fastify';
import { PAYLOAD_CONTENT_TYPE } from '../../core/serverApi.ts';
import { errorBody, replyError } from '../errors.ts';
import { messageIdOnlySchema } from '../messages/schemas.ts';
import { activeMessage } from '../messages/verification.ts';
import { parseByteRange } from './byteRange.ts';
import { payloadOfMessage } from './payloadRows.ts';

export const payloadDownloadRoute: FastifyPluginAsync = async (app) => {
  const { db, clock, payloads } = app.deps;

  app.get<{ Params: { id: string } }>(
    '/api/v1/messages/:id/payload',
    { schema: messageIdOnlySchema },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const gate = await activeMessage(db, messageId, clock.now());
      if (!gate.ok) return replyError(reply, gate.code, gate.message);
      const payload = await payloadOfMessage(db, messageId);
      const noCopy = () => replyError(reply, 'not-found', 'This message has no hosted copy.');
      if (payload === undefined || !payload.finished || payload.storeKey === null) return noCopy();

      const size = payload.byteLength;
      const asked = parseByteRange(request.headers.range, size);
      if (asked.kind === 'unsatisfiable') {
        return reply
          .code(416)
          .header('content-range', `bytes */${size}`)
          .send(errorBody('bad-request', 'The range is outside the payload.'));
      }
      const range = asked.kind === 'range' ? asked.range : undefined;
      const body = await payloads.read(payload.storeKey, range);
      if (body === null) return noCopy();
      reply
        .header('content-type', PAYLOAD_CONTENT_TYPE)
        .header('accept-ranges', 'bytes')
        .header('content-length', range ? range.end - range.start + 1 : size);
      if (range) {
        reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
      }
      return reply.send(body);
    },
  );
};
