/**
 * JSON schemas of the message routes (Fastify validates every request against them before a
 * handler runs; unknown properties are refused). Shapes follow src/core/serverApi.ts.
 */
import { NOTIFICATION_LANGUAGES } from '../../core/languages.ts';
import { SERVER_LOCK_METHODS } from '../../core/methods.ts';
import { SHARE_BYTES } from '../../core/serverLock.ts';
import { errorResponseSchema } from '../errors.ts';
import { KEY_FINGERPRINT_PATTERN, REPLY_TOKEN_PATTERN } from './replies.ts';
import { HANDLE_PATTERN } from './verificationHandles.ts';

/** A message id in a path: a UUID in any case (looked up lower-case). */
export const MESSAGE_ID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/**
 * The id a message is registered under: a lower-case UUID (as `crypto.randomUUID()` makes it).
 * It salts the lock passwords, so the server must hand back exactly what the add-on used; an id
 * it would have to change is refused rather than changed.
 */
export const REGISTERED_MESSAGE_ID_PATTERN =
  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
/** 16 random bytes, base64url without padding (generateLockId). */
export const LOCK_ID_PATTERN = '^[A-Za-z0-9_-]{22}$';
/** 32 bytes, standard base64: 43 characters and one `=` (checked again when decoded). */
const SHARE_PATTERN = `^[A-Za-z0-9+/]{${Math.ceil((SHARE_BYTES * 4) / 3)}}=$`;
/** Standard base64 (checked again when decoded). */
const BASE64_PATTERN = '^[A-Za-z0-9+/]*={0,2}$';

/** Most locks one message may carry (recipients of one mail). */
export const MAX_LOCKS = 500;

const messageIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: MESSAGE_ID_PATTERN } },
} as const;

const errors = { '4xx': errorResponseSchema, '5xx': errorResponseSchema } as const;

export const registerSchema = {
  body: {
    type: 'object',
    required: ['messageId', 'locks'],
    additionalProperties: false,
    properties: {
      messageId: { type: 'string', pattern: REGISTERED_MESSAGE_ID_PATTERN },
      expiresInDays: { type: 'integer', minimum: 1 },
      senderName: { type: 'string', maxLength: 200 },
      senderLanguage: { type: 'string', enum: [...NOTIFICATION_LANGUAGES] },
      payload: { type: 'string', minLength: 1, pattern: BASE64_PATTERN },
      upload: {
        type: 'object',
        required: ['expectedBytes'],
        additionalProperties: false,
        properties: {
          expectedBytes: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        },
      },
      locks: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_LOCKS,
        items: {
          type: 'object',
          required: ['lockId', 'method', 'address', 'hidden', 'serverShare', 'language'],
          additionalProperties: false,
          properties: {
            lockId: { type: 'string', pattern: LOCK_ID_PATTERN },
            method: { type: 'string', enum: [...SERVER_LOCK_METHODS] },
            address: { type: 'string', minLength: 3, maxLength: 320 },
            hidden: { type: 'boolean' },
            phone: { type: 'string', minLength: 3, maxLength: 40 },
            accessCode: { type: 'string', minLength: 1, maxLength: 256 },
            serverShare: { type: 'string', pattern: SHARE_PATTERN },
            language: { type: 'string', enum: [...NOTIFICATION_LANGUAGES] },
          },
        },
      },
    },
  },
  response: { ...errors },
} as const;

export const messageIdOnlySchema = { params: messageIdParams, response: { ...errors } } as const;

/** `…/locks/:lockId/unlock`: the message and one of its locks. */
export const unlockSchema = {
  params: {
    type: 'object',
    required: ['id', 'lockId'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: MESSAGE_ID_PATTERN },
      lockId: { type: 'string', pattern: LOCK_ID_PATTERN },
    },
  },
  response: { ...errors },
} as const;

/** `PUT …/locks/:lockId/phone`: a new number for an SMS recipient. */
export const changePhoneSchema = {
  params: unlockSchema.params,
  body: {
    type: 'object',
    required: ['phone'],
    additionalProperties: false,
    properties: { phone: { type: 'string', minLength: 3, maxLength: 40 } },
  },
  response: { ...errors },
} as const;

export const verifyStartSchema = {
  params: messageIdParams,
  body: {
    type: 'object',
    required: ['address'],
    additionalProperties: false,
    properties: { address: { type: 'string', minLength: 1, maxLength: 320 } },
  },
  response: { ...errors },
} as const;

export const verifyResendSchema = {
  params: messageIdParams,
  body: {
    type: 'object',
    required: ['handle'],
    additionalProperties: false,
    properties: { handle: { type: 'string', pattern: HANDLE_PATTERN } },
  },
  response: { ...errors },
} as const;

export const verifyCompleteSchema = {
  params: messageIdParams,
  body: {
    type: 'object',
    required: ['handle', 'code'],
    additionalProperties: false,
    properties: {
      handle: { type: 'string', pattern: HANDLE_PATTERN },
      code: { type: 'string', minLength: 1, maxLength: 256 },
      rememberDevice: { type: 'boolean' },
    },
  },
  response: { ...errors },
} as const;

/** `verify/no-code`: the handle is the credential, as for `verify/resend`. */
export const noCodeSchema = verifyResendSchema;

/** The longest base64 text of `bytes` bytes. */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/**
 * `POST …/replies`. The payload comes last: a body whose only fault is a payload over
 * `maxLength` is known to be well-formed otherwise (Ajv checks `required`, then
 * `additionalProperties`, then the properties in this order), and is answered 413.
 */
export function replySchema(replyMaxBytes: number) {
  return {
    params: messageIdParams,
    body: {
      type: 'object',
      required: ['replyToken', 'keyFingerprint', 'payload'],
      additionalProperties: false,
      properties: {
        replyToken: { type: 'string', pattern: REPLY_TOKEN_PATTERN },
        keyFingerprint: { type: 'string', pattern: KEY_FINGERPRINT_PATTERN },
        payload: {
          type: 'string',
          minLength: 4,
          maxLength: base64Length(replyMaxBytes),
          pattern: BASE64_PATTERN,
        },
      },
    },
    response: { ...errors },
  } as const;
}

/** A Message-ID header value with its angle brackets; nothing that could end a header line. */
export const MAIL_MESSAGE_ID_PATTERN = '^<[^<>\\s]{1,500}>$';

/** `PUT …/mail-message-id` (the sender's own message). */
export const mailMessageIdSchema = {
  params: messageIdParams,
  body: {
    type: 'object',
    required: ['mailMessageId'],
    additionalProperties: false,
    properties: { mailMessageId: { type: 'string', pattern: MAIL_MESSAGE_ID_PATTERN } },
  },
  response: { ...errors },
} as const;
