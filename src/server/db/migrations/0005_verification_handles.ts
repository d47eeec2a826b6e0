/**
 * Verification handles: `verify/start` with the recipient's address hands out a short-lived
 * random handle, and only that handle lets `verify/complete` and `verify/resend` reach the lock.
 * A stranger with the link cannot name a lock without knowing the recipient's address. Only the
 * handle's SHA-256 is stored, so a database copy holds no handle that works.
 */
import type { Kysely } from 'kysely';

// Migrations see the schema as it was then, not as schema.ts describes it now (Kysely docs).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('verification_handles')
    .addColumn('handle_digest', 'text', (column) => column.primaryKey())
    .addColumn('message_id', 'text', (column) =>
      column.notNull().references('messages.id').onDelete('cascade'),
    )
    .addColumn('lock_id', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('verification_handles_lock')
    .on('verification_handles')
    .columns(['message_id', 'lock_id'])
    .execute();
  await db.schema
    .createIndex('verification_handles_expiry')
    .on('verification_handles')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('verification_handles').ifExists().execute();
}
