/**
 * Payloads move out of the database into the payload store (src/server/payloads/): a row keeps
 * only the object's key, its length so far, when it was created and when it finished (null while
 * an upload is in progress). The old `payload` bytes become nullable; the server moves any left
 * into the store at start (../../payloads/movePayloadsToStore.ts) and empties them, so a dump
 * holds no payload bytes. `messages.upload_expected_bytes` marks a message registered for link
 * delivery (the sender's estimate of its size).
 */
import { sql, type Kysely } from 'kysely';

// Migrations see the schema as it was then, not as schema.ts describes it now (Kysely docs).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('message_payloads')
    .alterColumn('payload', (column) => column.dropNotNull())
    .execute();
  await db.schema
    .alterTable('message_payloads')
    .addColumn('store_key', 'text', (column) => column.unique())
    .addColumn('byte_length', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  // Payloads registered before: whole, and as old as their message.
  await sql`
    update message_payloads set
      byte_length = length(payload),
      created_at = (select created_at from messages where messages.id = message_id),
      finished_at = (select created_at from messages where messages.id = message_id)
    where payload is not null`.execute(db);
  await db.schema.alterTable('messages').addColumn('upload_expected_bytes', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('upload_expected_bytes').execute();
  // Payloads only in the store cannot come back into the row: their rows go.
  await db
    .deleteFrom('message_payloads' as never)
    .where(sql`payload`, 'is', null)
    .execute();
  await db.schema
    .alterTable('message_payloads')
    .dropColumn('store_key')
    .dropColumn('byte_length')
    .dropColumn('created_at')
    .dropColumn('finished_at')
    .execute();
  await db.schema
    .alterTable('message_payloads')
    .alterColumn('payload', (column) => column.setNotNull())
    .execute();
}
