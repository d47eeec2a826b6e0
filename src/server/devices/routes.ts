/**
 * Remembered browsers over HTTP (./devices.ts): `verify/device` and `devices/forget` for the
 * reader, the removal link's page for the recipient, and `DELETE /api/v1/recipient-devices`
 * for any signed-in sender of the organisation. Remembering itself happens at `verify/complete`
 * (../messages/routes.ts).
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { normaliseAddress } from '../../core/address.ts';
import type {
  ForgetDeviceRequest,
  RemoveRecipientDevicesResponse,
  VerifyDeviceRequest,
  VerifyDeviceResponse,
} from '../../core/serverApi.ts';
import { requireSender } from '../auth/requireSender.ts';
import { ANONYMOUS_BODY_BYTES, errorResponseSchema, replyError } from '../errors.ts';
import type { Failure } from '../messages/outcomes.ts';
import { releasedShareResponse } from '../messages/released.ts';
import { MESSAGE_ID_PATTERN } from '../messages/schemas.ts';
import {
  DEVICE_ID_PATTERN,
  DEVICE_SECRET_PATTERN,
  deviceLanguage,
  forgetDevice,
  readRemovalLink,
  removeDevices,
  removeWithToken,
  type RemovalLink,
} from './devices.ts';
import { REMOVAL_PAGE_HEADERS, removalPageHtml } from './removalPage.ts';
import { openWithDevice } from './verifyDevice.ts';

const errors = { '4xx': errorResponseSchema, '5xx': errorResponseSchema } as const;

const deviceBody = {
  type: 'object',
  required: ['deviceId', 'secret'],
  additionalProperties: false,
  properties: {
    deviceId: { type: 'string', pattern: DEVICE_ID_PATTERN },
    secret: { type: 'string', pattern: DEVICE_SECRET_PATTERN },
  },
} as const;

const verifyDeviceSchema = {
  params: {
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: { id: { type: 'string', pattern: MESSAGE_ID_PATTERN } },
  },
  body: deviceBody,
  response: { ...errors },
} as const;

const forgetSchema = { body: deviceBody, response: { ...errors } } as const;

const removeForAddressSchema = {
  querystring: {
    type: 'object',
    required: ['address'],
    additionalProperties: false,
    properties: { address: { type: 'string', minLength: 3, maxLength: 320 } },
  },
  response: { ...errors },
} as const;

const deviceIdPattern = new RegExp(DEVICE_ID_PATTERN);
const secretPattern = new RegExp(DEVICE_SECRET_PATTERN);

export const deviceRoutes: FastifyPluginAsync = async (app) => {
  const { config, db, clock } = app.deps;

  const replyFailure = (reply: FastifyReply, failure: Failure) =>
    replyError(reply, failure.code, failure.message, {
      ...(failure.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: failure.retryAfterSeconds }
        : {}),
    });

  app.post<{ Params: { id: string }; Body: VerifyDeviceRequest }>(
    '/api/v1/messages/:id/verify/device',
    { schema: verifyDeviceSchema, bodyLimit: ANONYMOUS_BODY_BYTES },
    async (request, reply) => {
      const messageId = request.params.id.toLowerCase();
      const now = clock.now();
      const result = await openWithDevice(
        { db, now, client: request.ip },
        messageId,
        request.body.deviceId,
        request.body.secret,
      );
      // The device's id is public (it is in the recipient's mail); never its secret.
      request.log.info(
        result.ok
          ? {
              messageId,
              lockId: result.lock.lock_id,
              deviceId: result.deviceId,
              outcome: 'released',
            }
          : { messageId, outcome: result.code },
        'verification by a remembered browser',
      );
      if (!result.ok) return replyFailure(reply, result);
      const response: VerifyDeviceResponse = {
        lockId: result.lock.lock_id,
        method: result.lock.method,
        ...(await releasedShareResponse(
          { db, now, repliesEnabled: config.replies.enabled },
          result.lock,
          result.serverShare,
        )),
      };
      return response;
    },
  );

  app.post<{ Body: ForgetDeviceRequest }>(
    '/api/v1/devices/forget',
    { schema: forgetSchema, bodyLimit: ANONYMOUS_BODY_BYTES },
    async (request, reply) => {
      // 204 whatever happened: the answer tells nothing about ids or secrets.
      const forgotten = await forgetDevice(
        db,
        request.body.deviceId,
        request.body.secret,
        clock.now(),
      );
      if (forgotten) request.log.info({ deviceId: request.body.deviceId }, 'browser forgotten');
      return reply.code(204).send();
    },
  );

  app.delete<{ Querystring: { address: string } }>(
    '/api/v1/recipient-devices',
    { schema: removeForAddressSchema, onRequest: requireSender },
    async (request) => {
      const removed = await removeDevices(
        db,
        { address: normaliseAddress(request.query.address) },
        clock.now(),
      );
      // The address stays out of the log, as query strings do.
      request.log.info(
        { removed, tokenId: request.sender!.tokenId },
        'remembered browsers removed by a sender',
      );
      const response: RemoveRecipientDevicesResponse = { removed };
      return response;
    },
  );

  // The removal link's page. Its own plugin: the form body parser serves these routes alone.
  await app.register(async (pages) => {
    pages.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: ANONYMOUS_BODY_BYTES },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );

    const sendPage = (reply: FastifyReply, link: RemovalLink, token: string) => {
      const language = link.valid ? deviceLanguage(link.device) : 'en';
      const html = !link.valid
        ? removalPageHtml('en', { kind: 'invalid' })
        : link.live
          ? removalPageHtml(language, {
              kind: 'confirm',
              organisationName: config.organisation.name,
              expiresAt: link.device.expires_at,
              token,
            })
          : removalPageHtml(language, { kind: 'done' });
      return reply
        .code(link.valid ? 200 : 404)
        .headers(REMOVAL_PAGE_HEADERS)
        .send(html);
    };
    const wellFormed = (deviceId: string, token: unknown): token is string =>
      deviceIdPattern.test(deviceId) && typeof token === 'string' && secretPattern.test(token);

    // A GET only shows the button: mail scanners and link previews fetch links.
    pages.get<{ Params: { deviceId: string }; Querystring: { token?: unknown } }>(
      '/devices/:deviceId/remove',
      async (request, reply) => {
        const { deviceId } = request.params;
        const token = request.query.token;
        if (!wellFormed(deviceId, token)) return sendPage(reply, { valid: false }, '');
        return sendPage(reply, await readRemovalLink(db, deviceId, token, clock.now()), token);
      },
    );

    pages.post<{ Params: { deviceId: string }; Body: unknown }>(
      '/devices/:deviceId/remove',
      { bodyLimit: ANONYMOUS_BODY_BYTES },
      async (request, reply) => {
        const { deviceId } = request.params;
        const body = request.body;
        const token =
          typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : null;
        if (!wellFormed(deviceId, token)) return sendPage(reply, { valid: false }, '');
        const link = await removeWithToken(db, deviceId, token, clock.now());
        if (link.valid) request.log.info({ deviceId }, 'browser removed by its removal link');
        // Removed now or before: the same "removed" page.
        return sendPage(reply, link.valid ? { ...link, live: false } : link, '');
      },
    );
  });
};
