/**
 * Opens the database named by `databaseUrl`: PostgreSQL through `pg`, or embedded PGlite (the
 * default for one machine, `npm start` and tests). Both speak PostgreSQL, so the same Kysely
 * queries and migrations run on each.
 */
import { mkdir } from 'node:fs/promises';
import { Kysely, PostgresDialect, sql } from 'kysely';
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
    // A host that drops packets must fail the start (or a request), not hang it.
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 10,
      connectionTimeoutMillis: 10_000,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  throw new Error(`databaseUrl: expected postgres://… or pglite:memory or pglite:<directory>`);
}

/** The URL as it may be shown: a password in it becomes `***`. */
export function displayDatabaseUrl(databaseUrl: string): string {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl) || !URL.canParse(databaseUrl)) return databaseUrl;
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

/** Error codes of a database that is not there right now, rather than configured wrongly. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  // PostgreSQL's SQLSTATE: starting up or shutting down, too many connections.
  '57P03',
  '57P01',
  '53300',
]);

/** Why a database could not be opened: one sentence an administrator can act on. */
export interface DatabaseProblem {
  error: string;
  /** Down or unreachable (try again later), not a wrong setting (fix the configuration). */
  transient: boolean;
}

function databaseProblem(databaseUrl: string, failure: unknown): DatabaseProblem {
  const shown = `databaseUrl ${displayDatabaseUrl(databaseUrl)}`;
  const { code, message } = failure as { code?: string; message?: string };
  const reason = (message ?? String(failure)).replace(/\s+/g, ' ').trim();
  // PostgreSQL's SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
  if (code === '3D000') {
    return {
      error: `${shown}: ${reason}; create it (docs/server.md, "Setting up PostgreSQL")`,
      transient: false,
    };
  }
  if (code === '28P01' || code === '28000')
    return { error: `${shown}: ${reason}; check the user and password`, transient: false };
  // pg's own connection timeout has no code, only its message.
  if ((code !== undefined && TRANSIENT_CODES.has(code)) || /timeout/i.test(reason)) {
    return {
      error: `${shown}: cannot connect (${reason}); is PostgreSQL running there?`,
      transient: true,
    };
  }
  return { error: `${shown}: ${reason}`, transient: false };
}

/**
 * Opens the database and asks it one question, so a wrong URL, a server that is down or a
 * missing database stops the start with one sentence (never a stack trace).
 */
export async function openCheckedDatabase(
  databaseUrl: string,
): Promise<{ ok: true; database: DatabaseHandle } | ({ ok: false } & DatabaseProblem)> {
  let database: DatabaseHandle;
  try {
    database = await openDatabase(databaseUrl);
  } catch (error) {
    return { ok: false, ...databaseProblem(databaseUrl, error) };
  }
  try {
    await sql`select 1`.execute(database.db);
    return { ok: true, database };
  } catch (error) {
    // The database did not answer: closing it can fail the same way, and says nothing new.
    await database.close().catch(() => undefined);
    return { ok: false, ...databaseProblem(databaseUrl, error) };
  }
}
