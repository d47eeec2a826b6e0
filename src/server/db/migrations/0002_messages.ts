/**
 * Registered messages: one row per message, its recipients' locks, and the optional
 * hosted payload in a table of its own (so listing and status queries never read the bytes).
 * What each column means: src/server/messages/tables.ts.
 */
import { sql, type Kysely } from 'kysely';

// Migrations see the schema as it was then, not as schema.ts describes it now (Kysely docs).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('sender', 'text', (column) => column.notNull())
    .addColumn('sender_name', 'text')
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('messages_sender').on('messages').column('sender').execute();

  await db.schema
    .createTable('message_payloads')
    .addColumn('message_id', 'text', (column) =>
      column.primaryKey().references('messages.id').onDelete('cascade'),
    )
    .addColumn('payload', 'bytea', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('message_locks')
    .addColumn('message_id', 'text', (column) =>
      column.notNull().references('messages.id').onDelete('cascade'),
    )
    .addColumn('lock_id', 'text', (column) => column.notNull())
    .addColumn('position', 'integer', (column) => column.notNull())
    .addColumn('method', 'text', (column) =>
      column.notNull().check(sql`method in ('sms', 'email', 'org-code', 'code')`),
    )
    .addColumn('address', 'text', (column) => column.notNull())
    .addColumn('hidden', 'boolean', (column) => column.notNull())
    .addColumn('phone', 'text')
    .addColumn('language', 'text', (column) => column.notNull())
    .addColumn('server_share', 'bytea', (column) => column.notNull())
    .addColumn('access_code_salt', 'bytea')
    .addColumn('access_code_digest', 'bytea')
    .addColumn('wrong_access_codes', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('code_salt', 'bytea')
    .addColumn('code_digest', 'bytea')
    .addColumn('code_expires_at', 'timestamptz')
    .addColumn('code_tries', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('code_sent_at', 'timestamptz')
    .addColumn('codes_sent', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('locked_at', 'timestamptz')
    .addColumn('opened_at', 'timestamptz')
    .addPrimaryKeyConstraint('message_locks_pkey', ['message_id', 'lock_id'])
    .execute();
  await db.schema
    .createIndex('message_locks_message_address')
    .on('message_locks')
    .columns(['message_id', 'address'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['message_locks', 'message_payloads', 'messages']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
