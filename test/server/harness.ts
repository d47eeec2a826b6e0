/**
 * Starts the real server over real HTTP on 127.0.0.1 for a test file, on PGlite (in memory) or
 * on a fresh PostgreSQL database, with a clock the test moves, the log captured as parsed JSON
 * lines, and mail/SMS going to the outbox (unless the test injects a mailer).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { buildServer } from '../../src/server/app.ts';
import { resolveConfig, type ServerConfig } from '../../src/server/config.ts';
import { openDatabase } from '../../src/server/db/connect.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import type { Database } from '../../src/server/db/schema.ts';
import type { Clock, SmsSender } from '../../src/server/deps.ts';
import { outboxMailer, type Mailer } from '../../src/server/mail/mailer.ts';
import { outboxSmsSender } from '../../src/server/outbox.ts';
import { openPayloadStore, type PayloadStore } from '../../src/server/payloads/payloadStore.ts';
import { generateServerSecret, type ServerSecret } from '../../src/server/serverSecret.ts';
import { freshPostgresDatabase } from '../helpers/postgres.ts';

/**
 * A dump of an empty PGlite database, kept in /tmp per PGlite version: loading it takes about a
 * third of the time of PGlite's own initdb, which dominates the server tests' run time.
 */
async function emptyPgliteDump(): Promise<Blob> {
  // The package's exports hide package.json; read it from the installed folder.
  const packageJson = fileURLToPath(
    new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url),
  );
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
  const path = `/tmp/sealpost-pglite-empty-${version}.tar.gz`;
  if (!existsSync(path)) {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = new PGlite();
    const dump = await pglite.dumpDataDir('gzip');
    await pglite.close();
    const temporary = `${path}.${process.pid}`;
    await writeFile(temporary, Buffer.from(await dump.arrayBuffer()));
    await rename(temporary, path);
  }
  return new Blob([await readFile(path)]);
}

export type DatabaseKind = 'pglite' | 'postgres';
/**
 * For `describe.each(DATABASE_KINDS)`: both, unless SEALPOST_TEST_DATABASES names a subset
 * (`npm run mutate` runs the server tests once per mutant, on PGlite only).
 */
export const DATABASE_KINDS: DatabaseKind[] = (['pglite', 'postgres'] as const).filter(
  (kind) =>
    !process.env.SEALPOST_TEST_DATABASES ||
    process.env.SEALPOST_TEST_DATABASES.split(',').includes(kind),
);

/** A clock that stands still until the test moves it. */
export interface TestClock extends Clock {
  advanceSeconds(seconds: number): void;
}

export function testClock(start = new Date('2026-03-01T09:00:00Z')): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advanceSeconds: (seconds) => {
      current += seconds * 1000;
    },
  };
}

export interface TestServer {
  baseUrl: string;
  app: FastifyInstance;
  db: Kysely<Database>;
  config: ServerConfig;
  clock: TestClock;
  /** The secret the server runs with (kept outside the database: not part of a dump). */
  secret: ServerSecret;
  /** Where the server keeps payloads (a fresh directory per server unless `payloads` says). */
  payloads: PayloadStore;
  /** Every log line so far, parsed, plus the raw text (to search for leaked secrets). */
  logLines: () => Record<string, unknown>[];
  logText: () => string;
  /** `fetch` relative to the server, JSON in and out. */
  request: (
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ) => Promise<{
    status: number;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked by expect(), not by the type
    body: any;
    headers: Headers;
  }>;
  /** GET a binary answer (a hosted payload): its status, headers and bytes. */
  download: (
    path: string,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; bytes: Buffer; headers: Headers }>;
  /** Outbox rows for a recipient, newest first. */
  outboxFor: (recipient: string) => Promise<{ channel: string; text: string }[]>;
  close: () => Promise<void>;
}

export interface TestServerOptions {
  /** Deep-merged over the test defaults (organisation `example.org`, devOutbox on). */
  config?: Record<string, unknown>;
  mailer?: (db: Kysely<Database>, clock: Clock) => Mailer;
  sms?: (db: Kysely<Database>, clock: Clock) => SmsSender;
  clock?: TestClock;
  /** How often the server deletes ended payloads (default: its hourly schedule). */
  housekeepingIntervalMs?: number;
  /** The server's secret key (default: a new random one). */
  secret?: ServerSecret;
  /**
   * The payload store (default: files in a new temporary directory, removed at close). Given
   * one, `config.payloads` should describe it.
   */
  payloads?: PayloadStore;
}

export async function startTestServer(
  kind: DatabaseKind,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const postgres = kind === 'postgres' ? await freshPostgresDatabase() : null;
  const databaseUrl = postgres ? postgres.url : 'pglite:memory';
  const payloadDirectory = options.payloads
    ? null
    : await mkdtemp(join(tmpdir(), 'sealpost-payloads-'));
  const configured = (options.config ?? {}) as { payloads?: Record<string, unknown> };
  const resolved = resolveConfig(
    {
      databaseUrl,
      port: 0,
      organisation: { name: 'Example Ltd', domains: ['example.org', 'example.net'] },
      developmentMode: true,
      devOutbox: true,
      logLevel: 'info',
      ...options.config,
      payloads: {
        ...(payloadDirectory ? { directory: payloadDirectory } : {}),
        ...configured.payloads,
      },
    },
    {},
  );
  if (!resolved.ok) throw new Error(`test config invalid: ${resolved.errors.join('; ')}`);
  const config = resolved.config;
  const database = await openDatabase(
    databaseUrl,
    postgres ? {} : { pgliteDataDump: await emptyPgliteDump() },
  );
  await migrateToLatest(database.db);
  const clock = options.clock ?? testClock();
  const logChunks: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      logChunks.push(chunk.toString());
      callback();
    },
  });
  const secret = options.secret ?? generateServerSecret();
  const payloads = options.payloads ?? openPayloadStore(config.payloads);
  const app = await buildServer({
    payloads,
    config,
    db: database.db,
    clock,
    mailer: (options.mailer ?? outboxMailer)(database.db, clock),
    sms: (options.sms ?? outboxSmsSender)(database.db, clock),
    secret,
    logStream,
    ...(options.housekeepingIntervalMs === undefined
      ? {}
      : { housekeepingIntervalMs: options.housekeepingIntervalMs }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || !address) throw new Error('server has no address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  // URLs the server hands out (an upload's Location) point where it really listens.
  if ((options.config ?? {}).publicUrl === undefined) config.publicUrl = baseUrl;

  return {
    baseUrl,
    app,
    db: database.db,
    config,
    clock,
    secret,
    payloads,
    logText: () => logChunks.join(''),
    logLines: () =>
      logChunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async request(method, path, { body, token, headers = {} } = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        ...(body !== undefined
          ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
          : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON (HTML pages): keep the text.
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async download(path, headers = {}) {
      const response = await fetch(baseUrl + path, { headers });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { status: response.status, bytes, headers: response.headers };
    },
    async outboxFor(recipient) {
      return database.db
        .selectFrom('outbox')
        .select(['channel', 'text'])
        .where('recipient', '=', recipient)
        .orderBy('id', 'desc')
        .execute();
    },
    async close() {
      // A keep-alive connection whose streamed answer finished a moment after the client read
      // it is not idle yet when closing starts, and would hold the close for the keep-alive
      // timeout: the test is over, so every connection goes.
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      await database.close();
      await postgres?.drop();
      if (payloadDirectory) await rm(payloadDirectory, { recursive: true, force: true });
    },
  };
}

/** POST JSON from a chosen local address (another client, as far as the server can tell). */
/** The admin CLI's input and output for commands run against `server`: every line it says, in order. */
export function adminIo(server: Pick<TestServer, 'db' | 'secret' | 'clock'>) {
  const lines: string[] = [];
  const io = {
    db: server.db,
    secret: server.secret,
    clock: server.clock,
    out: (line: string) => lines.push(line),
    error: (line: string) => lines.push(line),
  };
  return { lines, io };
}

export function postFrom(
  server: TestServer,
  localAddress: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: { error?: { code: string } } }> {
  const url = new URL(path, server.baseUrl);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : {} }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(data);
  });
}
