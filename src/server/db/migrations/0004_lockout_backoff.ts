/**
 * Lock-outs end: a lock whose factor was guessed wrong too often is closed until `locked_until`
 * (15 minutes, doubling with each lock-out: `lockouts`), not for ever, so a stranger with the
 * link cannot lock a recipient out of a message for good. `locked_at` stays the time of the
 * latest lock-out, for the sender's status.
 */
import { sql, type Kysely } from 'kysely';

// Migrations see the schema as it was then, not as schema.ts describes it now (Kysely docs).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('message_locks')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('lockouts', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();
  // Locks locked for ever before: the first lock-out's wait from when they were locked.
  await sql`update message_locks set locked_until = locked_at + interval '15 minutes', lockouts = 1,
    wrong_access_codes = 0, codes_sent = 0 where locked_at is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('message_locks')
    .dropColumn('locked_until')
    .dropColumn('lockouts')
    .execute();
}
