/**
 * "I don't have the code" and remembered browsers. A lock records when its recipient last said,
 * from the reader, that they have no code (`code_requested_at`, shown to the sender) and how
 * many mails that sent the sender (`no_code_mails`, the limit's atomic counter).
 * `recipient_devices` holds the browsers recipients chose to remember (an organisation opt-in):
 * only SHA-256 digests of a device's secret and of its removal link's token are stored, so a
 * database copy holds nothing that works as a device.
 */
import type { Kysely } from 'kysely';

// Migrations see the schema as it was then, not as schema.ts describes it now (Kysely docs).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('message_locks')
    .addColumn('code_requested_at', 'timestamptz')
    .addColumn('no_code_mails', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('recipient_devices')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('address', 'text', (column) => column.notNull())
    .addColumn('secret_digest', 'text', (column) => column.notNull())
    .addColumn('removal_token_digest', 'text', (column) => column.notNull())
    .addColumn('language', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('removed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('recipient_devices_address')
    .on('recipient_devices')
    .column('address')
    .execute();
  await db.schema
    .createIndex('recipient_devices_expiry')
    .on('recipient_devices')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('recipient_devices').ifExists().execute();
  await db.schema
    .alterTable('message_locks')
    .dropColumn('code_requested_at')
    .dropColumn('no_code_mails')
    .execute();
}
