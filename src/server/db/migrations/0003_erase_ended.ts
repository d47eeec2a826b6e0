/**
 * Ended messages keep nothing that opens them: when a message is revoked or expires, its locks'
 * server shares and code verifiers are erased (set to null), so the mail alone can never be
 * opened again, whoever later gets a copy of the database. The lock rows stay for the sender's
 * read status.
 */
import type { Kysely } from 'kysely';

// Migrations see the schema as it was then, not as schema.ts describes it now (Kysely docs).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('message_locks')
    .alterColumn('server_share', (column) => column.dropNotNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('message_locks')
    .alterColumn('server_share', (column) => column.setNotNull())
    .execute();
}
