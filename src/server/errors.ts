/**
 * The contract's error shape `{error:{code,message}}` and the HTTP status of each code, so every
 * route answers failures the same way.
 */
import type { FastifyReply } from 'fastify';
import type { ApiError, ErrorCode } from '../core/serverApi.ts';

export const STATUS_OF: Record<ErrorCode, number> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'payload-too-large': 413,
  'quota-exceeded': 413,
  'rate-limited': 429,
  'wrong-code': 403,
  locked: 423,
  'code-expired': 410,
  expired: 410,
  revoked: 410,
  unavailable: 503,
  internal: 500,
};

export type ErrorExtras = Pick<ApiError['error'], 'attemptsLeft' | 'retryAfterSeconds'>;

/** The body of an error response. */
export function errorBody(code: ErrorCode, message: string, extras: ErrorExtras = {}): ApiError {
  return { error: { code, message, ...extras } };
}

/** Sends an error with the status the contract gives its code (and `Retry-After` when known). */
export function replyError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  extras: ErrorExtras = {},
): FastifyReply {
  if (extras.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(extras.retryAfterSeconds));
  return reply.code(STATUS_OF[code]).send(errorBody(code, message, extras));
}

/** The JSON schema of an error response, for route `response` schemas. */
export const errorResponseSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        attemptsLeft: { type: 'integer' },
        retryAfterSeconds: { type: 'integer' },
      },
    },
  },
} as const;

/**
 * The largest body a route that anyone may call without signing in accepts (sign-in, the
 * recipient's verification): its JSON is an address, an id and a code. Sender routes check the
 * device token before the body is even read (`onRequest`), so strangers cannot make the server
 * read and parse large bodies.
 */
export const ANONYMOUS_BODY_BYTES = 4096;
