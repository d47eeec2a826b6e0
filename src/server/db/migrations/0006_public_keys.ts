/**
 * Senders' OpenPGP public keys, which the server hands to colleagues' add-ons and publishes in
 * its Web Key Directory. Public parts only: a private key is refused, never stored. `domain` and
 * `wkd_hash` (z-base-32 SHA-1 of the local part, src/core/wkd.ts) let a WKD request find its key
 * with one indexed lookup, whatever the size of the organisation.
 */
import type { Kysely } from 'kysely';

// Migrations see the schema as it was then, not as schema.ts describes it now (Kysely docs).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('public_keys')
    .addColumn('address', 'text', (column) => column.primaryKey())
    .addColumn('domain', 'text', (column) => column.notNull())
    .addColumn('wkd_hash', 'text', (column) => column.notNull())
    .addColumn('fingerprint', 'text', (column) => column.notNull())
    .addColumn('armored', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
    .execute();
  // Unique: distinct lower-cased local parts of one domain never share a SHA-1.
  await db.schema
    .createIndex('public_keys_wkd')
    .on('public_keys')
    .columns(['domain', 'wkd_hash'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('public_keys').ifExists().execute();
}
