/**
 * Versioned migrations run by Kysely's Migrator from a static list (no file system scanning, so
 * it works the same under tsx, vitest and bundlers). Run at start; safe to run from several
 * processes at once (Kysely takes a lock table on PostgreSQL).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema type (Kysely's advice): they run against every older one. */
import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.ts';

function migratorFor(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/** Brings the schema to the latest version; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await migratorFor(db).migrateToLatest();
  if (result.error) {
    const failed =
      result.results?.find((entry) => entry.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `migration ${failed} failed: ${(result.error as Error).message ?? String(result.error)}`,
      {
        cause: result.error,
      },
    );
  }
  return result;
}

/** Names of migrations not yet applied (empty = up to date); used by `/readyz`. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const all = await migratorFor(db).getMigrations();
  return all
    .filter((migration) => migration.executedAt === undefined)
    .map((migration) => migration.name);
}
