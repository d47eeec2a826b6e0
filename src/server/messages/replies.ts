/**
 * Replies through the server. A recipient who passed their factor (`verify/complete`) gets a
 * reply token; with it the reader posts a reply it encrypted in the browser to the sender's
 * public key, and the server mails it to the sender as a sealed Sealpost mail: a neutral text in
 * the sender's language and `secure-message.html` with the reply's envelope, which the add-on's
 * "Open secure message" opens with the sender's own key. The server never sees plaintext and
 * keeps no payload: each reply is recorded by id, lock, size and time only.
 *
 * Reply tokens are 32 random bytes; only their SHA-256 is stored (a database copy holds no token
 * that works), bound to the message and the lock, and deleted when the message is revoked or
 * expires, like the other per-message secrets.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ENVELOPE_FORMAT, ENVELOPE_VERSION, type Envelope } from '../../core/envelope.ts';
import { renderReaderHtmlFromParts } from '../../core/envelopeCodec.ts';
import type { ReplyRequest } from '../../core/serverApi.ts';
import type { LimitsConfig } from '../config.ts';
import { countInWindow } from '../db/limits.ts';
import type { Database, Timestamp } from '../db/schema.ts';
import type { Mailer, OutgoingMail } from '../mail/mailer.ts';
import { randomToken, sha256Hex } from '../secrets.ts';
import { fail, type Failure } from './outcomes.ts';
import { checkPayload, endedMessageIds } from './registration.ts';
import { replyLanguage, replyMail } from './replyText.ts';
import { activeMessage, whileMessageActive } from './verification.ts';

/** 32 bytes, base64url without padding. */
export const REPLY_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';
/** An OpenPGP v4 (40 hex digits) or v6 (64) fingerprint, upper case. */
export const KEY_FINGERPRINT_PATTERN = '^([0-9A-F]{40}|[0-9A-F]{64})$';
/** Tokens a lock keeps at once (each successful verification gives one: tabs, devices). */
export const REPLY_TOKENS_PER_LOCK = 5;
/**
 * Wrong reply tokens per message, client and hour; beyond it every reply to that message from
 * that client is refused until the hour is over. Tokens have 256 bits, so this bounds load and
 * log noise rather than guessing.
 */
export const MAX_REPLY_TOKEN_MISSES_PER_HOUR = 20;
const REPLY_TOKEN_MISS_WINDOW_SECONDS = 3600;
/** The attachment's name: what the add-on recognises as a sealed message. */
export const REPLY_ATTACHMENT_NAME = 'secure-message.html';

export interface ReplyTokensTable {
  /** SHA-256 of the token, hex. */
  token_digest: string;
  message_id: string;
  lock_id: string;
  created_at: Timestamp;
}

/** One reply that was mailed: no payload, no token, only what the limits and the sender need. */
export interface MessageRepliesTable {
  /** The reply's envelope message id (a UUID), also in its mail's `X-Sealpost-Message-Id`. */
  id: string;
  message_id: string;
  lock_id: string;
  /** The encrypted payload's size in bytes. */
  size_bytes: number;
  sent_at: Timestamp;
}

declare module '../db/schema.ts' {
  interface Database {
    reply_tokens: ReplyTokensTable;
    message_replies: MessageRepliesTable;
  }
}

/** A new reply token for this lock; the lock's tokens beyond the newest few go. */
export async function issueReplyToken(
  db: Kysely<Database>,
  lock: { message_id: string; lock_id: string },
  now: Date,
): Promise<string> {
  const token = randomToken(32);
  await db
    .insertInto('reply_tokens')
    .values({
      token_digest: sha256Hex(token),
      message_id: lock.message_id,
      lock_id: lock.lock_id,
      created_at: now,
    })
    .execute();
  const kept = db
    .selectFrom('reply_tokens')
    .select('token_digest')
    .where('message_id', '=', lock.message_id)
    .where('lock_id', '=', lock.lock_id)
    .orderBy('created_at', 'desc')
    .orderBy('token_digest')
    .limit(REPLY_TOKENS_PER_LOCK);
  await db
    .deleteFrom('reply_tokens')
    .where('message_id', '=', lock.message_id)
    .where('lock_id', '=', lock.lock_id)
    .where('token_digest', 'not in', kept)
    .execute();
  return token;
}

/** Deletes the reply tokens of one message (revocation) or of every ended one (housekeeping). */
export async function deleteReplyTokens(
  db: Kysely<Database>,
  which: { messageId: string } | { endedBy: Date },
): Promise<number> {
  const query =
    'messageId' in which
      ? db.deleteFrom('reply_tokens').where('message_id', '=', which.messageId)
      : db.deleteFrom('reply_tokens').where('message_id', 'in', endedMessageIds(db, which.endedBy));
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** What sending a reply needs from the server. */
export interface ReplyContext {
  db: Kysely<Database>;
  now: Date;
  /** Who asks (IP address, see `trustProxy`): wrong tokens are limited per client. */
  client: string;
  limits: Pick<LimitsConfig, 'repliesPerLock' | 'replyMaxBytes'>;
  /** The server's public URL: the reply's envelope names it. */
  publicUrl: string;
  mailer: Mailer;
  /** The reader build the reply travels in (null while none is installed). */
  readerTemplate: () => Promise<string | null>;
}

export type ReplyResult =
  { ok: true; replyId: string; sentAt: Date; lockId: string; sizeBytes: number } | Failure;

function missKey(messageId: string, client: string): string {
  return `reply-token-miss:${messageId}:${client}`;
}

function tooManyMisses(retryAfterSeconds: number): Failure {
  return fail('rate-limited', 'Too many invalid replies for this message; try again later.', {
    retryAfterSeconds: Math.max(1, retryAfterSeconds),
  });
}

/**
 * What is checked before a reply's body is even read: the message exists and is active, and
 * this client has not sent too many wrong tokens for it this hour.
 */
export async function replyGate(
  db: Kysely<Database>,
  messageId: string,
  client: string,
  now: Date,
): Promise<{ ok: true } | Failure> {
  const gate = await activeMessage(db, messageId, now);
  if (!gate.ok) return gate;
  const misses = await db
    .selectFrom('rate_counters')
    .select(['count', 'window_start'])
    .where('key', '=', missKey(messageId, client))
    .executeTakeFirst();
  if (misses !== undefined && misses.count > MAX_REPLY_TOKEN_MISSES_PER_HOUR) {
    const windowEnds = misses.window_start.getTime() + REPLY_TOKEN_MISS_WINDOW_SECONDS * 1000;
    const waitMilliseconds = windowEnds - now.getTime();
    if (waitMilliseconds > 0) return tooManyMisses(Math.ceil(waitMilliseconds / 1000));
  }
  return { ok: true };
}

/** The bytes a base64 text decodes to (for a size check before decoding). */
export function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
}

/**
 * POST …/replies: checks, in this order, that the message is active (410), the token is one of
 * this message's (403), the lock has replies left (429), the payload is within the size limit
 * (413) and is base64 (400); then mails the reply to the sender and records it.
 */
export async function sendReply(
  context: ReplyContext,
  messageId: string,
  request: ReplyRequest,
): Promise<ReplyResult> {
  const { db, now, limits } = context;
  const gate = await replyGate(db, messageId, context.client, now);
  if (!gate.ok) return gate;
  // A hash lookup in a unique index: a wrong token learns nothing from timing.
  const found = await db
    .selectFrom('reply_tokens')
    .innerJoin('message_locks', (join) =>
      join
        .onRef('message_locks.message_id', '=', 'reply_tokens.message_id')
        .onRef('message_locks.lock_id', '=', 'reply_tokens.lock_id'),
    )
    .innerJoin('messages', 'messages.id', 'reply_tokens.message_id')
    .select([
      'message_locks.lock_id',
      'message_locks.address',
      'message_locks.replies_sent',
      'messages.sender',
      'messages.sender_language',
      'messages.mail_message_id',
      'messages.created_at',
    ])
    .where('reply_tokens.token_digest', '=', sha256Hex(request.replyToken))
    .where('reply_tokens.message_id', '=', messageId)
    .executeTakeFirst();
  if (found === undefined) {
    const counted = await countInWindow(
      db,
      missKey(messageId, context.client),
      now,
      REPLY_TOKEN_MISS_WINDOW_SECONDS,
      MAX_REPLY_TOKEN_MISSES_PER_HOUR,
    );
    if (!counted.ok) return tooManyMisses(counted.retryAfterSeconds);
    return fail('forbidden', 'This reply is not allowed: open the message again to reply.');
  }
  const tooMany = fail(
    'rate-limited',
    `At most ${limits.repliesPerLock} replies to one message can be sent through the server.`,
  );
  if (found.replies_sent >= limits.repliesPerLock) return tooMany;
  const sizeBytes = decodedLength(request.payload);
  if (sizeBytes > limits.replyMaxBytes) {
    return fail('payload-too-large', `A reply may carry at most ${limits.replyMaxBytes} bytes.`);
  }
  const payload = checkPayload(request.payload);
  if (!payload.ok) return fail('bad-request', payload.message);
  if (payload.payload === null) return fail('bad-request', 'payload: empty');
  const template = await context.readerTemplate();
  if (template === null) return fail('unavailable', 'The reader is not installed on this server.');

  // The limit is taken atomically (concurrent replies cannot pass it together), and only while
  // the message is still active.
  const reserved = await db
    .updateTable('message_locks')
    .set((expression) => ({ replies_sent: expression('replies_sent', '+', 1) }))
    .where('message_id', '=', messageId)
    .where('lock_id', '=', found.lock_id)
    .where('replies_sent', '<', limits.repliesPerLock)
    .where(whileMessageActive(messageId, now))
    .returning('replies_sent')
    .executeTakeFirst();
  if (reserved === undefined) {
    const ended = await activeMessage(db, messageId, now);
    return ended.ok ? tooMany : ended;
  }

  const replyId = randomUUID();
  const language = replyLanguage(found.sender_language);
  const metadata: Omit<Envelope, 'payload'> = {
    format: ENVELOPE_FORMAT,
    version: ENVELOPE_VERSION,
    messageId: replyId,
    createdAt: now.toISOString(),
    serverUrl: context.publicUrl,
    sender: { name: '', address: found.address },
    languages: [language],
    locks: [{ method: 'account', language, fingerprint: request.keyFingerprint }],
  };
  const html = renderReaderHtmlFromParts(template, metadata, [payload.payload.base64]).join('');
  const { subject, text } = replyMail(language, found.address, found.created_at);
  const mail: OutgoingMail = {
    to: found.sender,
    subject,
    text,
    // Answering it in a mail client goes to the recipient who passed their factor.
    replyTo: found.address,
    ...(found.mail_message_id === null ? {} : { inReplyTo: found.mail_message_id }),
    headers: {
      'X-Sealpost': '1',
      'X-Sealpost-Message-Id': replyId,
      'X-Sealpost-Reply-To': messageId,
    },
    attachments: [{ filename: REPLY_ATTACHMENT_NAME, contentType: 'text/html', content: html }],
  };
  try {
    await context.mailer.send(mail);
  } catch {
    // Not sent: the reply does not count, and the recipient can try again.
    await db
      .updateTable('message_locks')
      .set((expression) => ({ replies_sent: expression('replies_sent', '-', 1) }))
      .where('message_id', '=', messageId)
      .where('lock_id', '=', found.lock_id)
      .where('replies_sent', '>', 0)
      .execute();
    return fail('unavailable', 'The reply could not be mailed; try again later.');
  }
  await db
    .insertInto('message_replies')
    .values({
      id: replyId,
      message_id: messageId,
      lock_id: found.lock_id,
      size_bytes: sizeBytes,
      sent_at: now,
    })
    .execute();
  return { ok: true, replyId, sentAt: now, lockId: found.lock_id, sizeBytes };
}
