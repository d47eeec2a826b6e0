/**
 * `/api/v1/auth/start|complete|me|signout`: sender sign-in by a code mailed to the sender.
 */
import type { FastifyPluginAsync } from 'fastify';
import type {
  MeResponse,
  SignInCompleteResponse,
  SignInStartResponse,
} from '../../core/serverApi.ts';
import { ANONYMOUS_BODY_BYTES, replyError } from '../errors.ts';
import { requireSender } from './requireSender.ts';
import { completeSignIn, revokeDeviceToken, startSignIn } from './signIn.ts';

const startSchema = {
  body: {
    type: 'object',
    required: ['address'],
    additionalProperties: false,
    properties: { address: { type: 'string', minLength: 3, maxLength: 254 } },
  },
} as const;

const completeSchema = {
  body: {
    type: 'object',
    required: ['challengeId', 'code', 'deviceName'],
    additionalProperties: false,
    properties: {
      challengeId: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' },
      code: { type: 'string', pattern: '^[0-9]{6}$' },
      deviceName: { type: 'string', minLength: 1, maxLength: 120 },
    },
  },
} as const;

export const authRoutes: FastifyPluginAsync = async (app) => {
  const { config, db, clock, mailer, secret } = app.deps;
  const context = { config, db, clock, mailer, secret };
  const organisation = { name: config.organisation.name, domains: config.organisation.domains };

  app.post<{ Body: { address: string } }>(
    '/api/v1/auth/start',
    { schema: startSchema, bodyLimit: ANONYMOUS_BODY_BYTES },
    async (request, reply) => {
      const result = await startSignIn(context, request.body.address, request.ip);
      if (result.ok) {
        const body: SignInStartResponse = {
          challengeId: result.challengeId,
          expiresAt: result.expiresAt.toISOString(),
        };
        return body;
      }
      switch (result.reason) {
        case 'bad-address':
          return replyError(reply, 'bad-request', 'That is not an email address.');
        case 'foreign-domain':
          return replyError(
            reply,
            'forbidden',
            `Only addresses of ${config.organisation.domains.join(', ')} can sign in.`,
          );
        case 'throttled':
          return replyError(
            reply,
            'rate-limited',
            'A code was sent recently: wait before asking for another.',
            {
              retryAfterSeconds: result.retryAfterSeconds,
            },
          );
        case 'mail-failed':
          request.log.error('sign-in code could not be mailed');
          return replyError(reply, 'unavailable', 'The code could not be mailed; try again later.');
      }
    },
  );

  app.post<{ Body: { challengeId: string; code: string; deviceName: string } }>(
    '/api/v1/auth/complete',
    { schema: completeSchema, bodyLimit: ANONYMOUS_BODY_BYTES },
    async (request, reply) => {
      const { challengeId, code, deviceName } = request.body;
      const result = await completeSignIn(context, challengeId, code, deviceName);
      if (result.ok) {
        request.log.info({ tokenId: result.tokenId }, 'sender signed in');
        const body: SignInCompleteResponse = {
          token: result.token,
          address: result.address,
          organisation,
        };
        return body;
      }
      switch (result.reason) {
        case 'not-found':
          return replyError(reply, 'not-found', 'No such sign-in is pending: start again.');
        case 'code-expired':
          return replyError(reply, 'code-expired', 'The code has expired: ask for a new one.');
        case 'locked':
          return replyError(reply, 'locked', 'Too many wrong codes: ask for a new one.');
        case 'wrong-code':
          return replyError(reply, 'wrong-code', 'That code is not right.', {
            attemptsLeft: result.attemptsLeft,
          });
      }
    },
  );

  app.get('/api/v1/auth/me', { onRequest: requireSender }, async (request) => {
    const body: MeResponse = { address: request.sender!.address, organisation };
    return body;
  });

  app.post('/api/v1/auth/signout', { onRequest: requireSender }, async (request, reply) => {
    await revokeDeviceToken(db, clock, request.sender!.tokenId);
    return reply.code(204).send();
  });
};
