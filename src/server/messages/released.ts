/**
 * What a recipient gets once the server share is released, whichever way they passed
 * (`verify/complete` with a code, `verify/device` with a remembered browser): the share and,
 * when the server takes replies, a reply token bound to the lock (./replies.ts).
 */
import type { Kysely } from 'kysely';
import type { VerifyCompleteResponse } from '../../core/serverApi.ts';
import type { Database } from '../db/schema.ts';
import { issueReplyToken } from './replies.ts';

export async function releasedShareResponse(
  context: { db: Kysely<Database>; now: Date; repliesEnabled: boolean },
  lock: { message_id: string; lock_id: string },
  serverShare: string,
): Promise<VerifyCompleteResponse> {
  // The factor is passed: this reader may reply (the token is bound to this lock).
  const replyToken = context.repliesEnabled
    ? await issueReplyToken(context.db, lock, context.now)
    : undefined;
  // No cache keeps it: every answer is `Cache-Control: no-store` (app.ts).
  return { serverShare, ...(replyToken === undefined ? {} : { replyToken }) };
}
