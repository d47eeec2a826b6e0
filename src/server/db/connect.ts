/**
 * Opens the database named by `databaseUrl`: PostgreSQL through `pg`, or embedded PGlite (the
 * default for one machine, `npm start` and tests). Both speak PostgreSQL, so the same Kysely
 * queries and migrations run on each.
 */
import { mkdir } from 'node:fs/promises';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.ts';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** Closes the pool or the embedded database. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * `pglite:memory` only: start from this data directory dump (`PGlite.dumpDataDir()`) instead
   * of running initdb, which takes seconds; tests keep one dump of an empty database.
   */
  pgliteDataDump?: Blob;
}

/** `postgres://…`, `postgresql://…`, `pglite:memory` or `pglite:<directory>`. */
export async function openDatabase(
  databaseUrl: string,
  options: OpenOptions = {},
): Promise<DatabaseHandle> {
  if (databaseUrl.startsWith('pglite:')) {
    // Loaded lazily: the WebAssembly build is only needed when embedded.
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGliteDialect } = await import('kysely-pglite-dialect');
    const location = databaseUrl.slice('pglite:'.length);
    let pglite;
    if (location === 'memory') {
      pglite = new PGlite(options.pgliteDataDump ? { loadDataDir: options.pgliteDataDump } : {});
    } else {
      await mkdir(location, { recursive: true });
      pglite = new PGlite(location);
    }
    await pglite.waitReady;
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      // Kysely's destroy() closes the dialect's driver, which closes PGlite.
      close: async () => {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      },
    };
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  throw new Error(`databaseUrl: expected postgres://… or pglite:memory or pglite:<directory>`);
}
