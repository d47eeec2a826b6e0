/**
 * The development outbox: SMS and emails that development providers "send" are rows in the
 * `outbox` table, shown at `/dev/outbox` when `devOutbox` is on, so a newcomer and the tests can
 * read codes without a phone or a mail server.
 */
import type { Kysely } from 'kysely';
import type { Clock, SmsSender } from './deps.ts';
import type { Database, OutboxRow } from './db/schema.ts';

export async function writeOutbox(
  db: Kysely<Database>,
  clock: Clock,
  entry: { channel: 'sms' | 'email'; recipient: string; text: string },
): Promise<void> {
  await db
    .insertInto('outbox')
    .values({ at: clock.now(), ...entry })
    .execute();
}

/** Newest first. */
export async function readOutbox(db: Kysely<Database>, limit = 200): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/** An SMS sender that only writes to the outbox (the `dev` provider). */
export function outboxSmsSender(db: Kysely<Database>, clock: Clock): SmsSender {
  return {
    send: ({ to, text }) => writeOutbox(db, clock, { channel: 'sms', recipient: to, text }),
  };
}
