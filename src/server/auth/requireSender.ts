/**
 * The sender guard: `Authorization: Bearer <device token>` → the signed-in sender, or 401.
 * Use as a route's `onRequest` hook (before the body is read, so a stranger cannot make the
 * server read and parse a large body); afterwards `request.sender` is set.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { replyError } from '../errors.ts';
import { sha256Hex } from '../secrets.ts';

/** Who is calling: their normalised address and the id of the device token they used. */
export interface Sender {
  address: string;
  tokenId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireSender`; null on routes without it. */
    sender: Sender | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,128})$/;

/**
 * Looks the token up by its SHA-256 (a unique index, so the lookup itself reveals nothing about
 * near misses); revoked tokens are refused.
 */
export async function requireSender(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match) {
    await replyError(reply, 'unauthorized', 'Sign in first: missing or malformed device token.');
    return reply;
  }
  const { db, clock, config } = request.server.deps;
  const now = clock.now();
  // A token unused for too long is dead (a lost laptop stops working by itself); each use
  // renews it.
  const idleSince = new Date(now.getTime() - config.limits.deviceTokenIdleDays * 86_400_000);
  const row = await db
    .updateTable('device_tokens')
    .set({ last_used_at: now })
    .where('token_digest', '=', sha256Hex(match[1]!))
    .where('revoked_at', 'is', null)
    .where('last_used_at', '>', idleSince)
    .returning(['id', 'address'])
    .executeTakeFirst();
  if (!row) {
    await replyError(
      reply,
      'unauthorized',
      'This device token is unknown, was revoked or was unused for too long: sign in again.',
    );
    return reply;
  }
  request.sender = { address: row.address, tokenId: row.id };
}
