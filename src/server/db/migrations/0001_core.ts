/**
 * Core tables: the shared outbox, sender sign-in and device tokens, throttles and rate counters
 * (kept in the database so several processes share them), and the organisation directory with
 * its audit trail. See ../schema.ts for what each column means.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema type (Kysely's advice): they run against every older one. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (column) => column.notNull())
    .addColumn('channel', 'text', (column) =>
      column.notNull().check(sql`channel in ('sms', 'email')`),
    )
    .addColumn('recipient', 'text', (column) => column.notNull())
    .addColumn('text', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('outbox_at').on('outbox').column('at').execute();

  await db.schema
    .createTable('sign_in_challenges')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('address', 'text', (column) => column.notNull())
    .addColumn('code_digest', 'text', (column) => column.notNull())
    .addColumn('code_key', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
    .addColumn('tries', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('completed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('sign_in_challenges_address')
    .on('sign_in_challenges')
    .column('address')
    .execute();

  await db.schema
    .createTable('device_tokens')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('token_digest', 'text', (column) => column.notNull().unique())
    .addColumn('address', 'text', (column) => column.notNull())
    .addColumn('device_name', 'text', (column) => column.notNull())
    .addColumn('created_at', 'timestamptz', (column) => column.notNull())
    .addColumn('last_used_at', 'timestamptz', (column) => column.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('device_tokens_address')
    .on('device_tokens')
    .column('address')
    .execute();

  await db.schema
    .createTable('throttles')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('last_at', 'timestamptz', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('rate_counters')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('window_start', 'timestamptz', (column) => column.notNull())
    .addColumn('count', 'integer', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('directory_entries')
    .addColumn('address', 'text', (column) => column.primaryKey())
    .addColumn('method', 'text', (column) =>
      column.check(
        sql`method is null or method in ('account', 'sms', 'org-code', 'code', 'email')`,
      ),
    )
    .addColumn('phone', 'text')
    .addColumn('org_code', 'text')
    .addColumn('language', 'text')
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
    .addColumn('updated_by', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('directory_audit')
    .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('address', 'text', (column) => column.notNull())
    .addColumn('at', 'timestamptz', (column) => column.notNull())
    .addColumn('by', 'text', (column) => column.notNull())
    .addColumn('field', 'text', (column) => column.notNull())
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .execute();
  await db.schema
    .createIndex('directory_audit_address_at')
    .on('directory_audit')
    .columns(['address', 'at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'directory_audit',
    'directory_entries',
    'rate_counters',
    'throttles',
    'device_tokens',
    'sign_in_challenges',
    'outbox',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
