/**
 * Replies through the server: a recipient who passed their factor gets a reply token (only its
 * SHA-256 is stored, bound to the message and the lock, deleted when the message ends), each lock
 * counts the replies it sent (`replies_sent`, the limit's atomic counter), and every reply is
 * recorded by id, lock, size and time only (the encrypted payload is mailed, never kept).
 * Messages learn the Message-ID of their mail (replies are threaded to it) and the language the
 * sender reads Sealpost in (a reply's mail to them uses it).
 */
import type { Kysely } from 'kysely';

// Migrations see the schema as it was then, not as schema.ts describes it now (Kysely docs).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('mail_message_id', 'text')
    .addColumn('sender_language', 'text')
    .execute();
  await db.schema
    .alterTable('message_locks')
    .addColumn('replies_sent', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('reply_tokens')
    .addColumn('token_digest', 'text', (column) => column.primaryKey())
    .addColumn('message_id', 'text', (column) =>
      column.notNull().references('messages.id').onDelete('cascade'),
    )
    .addColumn('lock_id', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('reply_tokens_lock')
    .on('reply_tokens')
    .columns(['message_id', 'lock_id'])
    .execute();

  await db.schema
    .createTable('message_replies')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('message_id', 'text', (column) =>
      column.notNull().references('messages.id').onDelete('cascade'),
    )
    .addColumn('lock_id', 'text', (column) => column.notNull())
    .addColumn('size_bytes', 'integer', (column) => column.notNull())
    .addColumn('sent_at', 'timestamptz', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('message_replies_lock')
    .on('message_replies')
    .columns(['message_id', 'lock_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_replies').ifExists().execute();
  await db.schema.dropTable('reply_tokens').ifExists().execute();
  await db.schema.alterTable('message_locks').dropColumn('replies_sent').execute();
  await db.schema
    .alterTable('messages')
    .dropColumn('mail_message_id')
    .dropColumn('sender_language')
    .execute();
}
