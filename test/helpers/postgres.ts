/**
 * A fresh PostgreSQL database per test file. The cluster comes from, in order:
 * `SEALPOST_TEST_PG_URL` (an admin URL of a server you run), the cluster the `server` vitest
 * project's global setup started (`inject('postgresAdminUrl')`), or a throw-away cluster this
 * process starts itself. A throw-away cluster is Debian's `postgresql` (initdb + pg_ctl) with its
 * data directory under /tmp, a free port, its unix socket in the data directory and trust auth,
 * run as user `postgres` when we are root (PostgreSQL refuses to run as root).
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string | undefined;
  }
}

const run = promisify(execFile);

export interface TestPostgresCluster {
  /** Superuser URL (database `postgres`) over TCP on 127.0.0.1. */
  adminUrl: string;
  stop(): Promise<void>;
}

function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions
    .map((version) => join(root, version, 'bin'))
    .find((bin) => existsSync(join(bin, 'initdb')));
  if (!found) {
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `npm run system-deps`, or set SEALPOST_TEST_PG_URL.',
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Starts a throw-away cluster (about 2 s); `stop()` shuts it down and deletes its directory. */
export async function startPostgresCluster(): Promise<TestPostgresCluster> {
  const bin = postgresBinaries();
  const asRoot = process.getuid?.() === 0;
  const dataDirectory = mkdtempSync('/tmp/sealpost-pg-');
  if (asRoot) {
    const { uid, gid } = {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
    };
    chownSync(dataDirectory, uid, gid);
  }
  const asPostgres = (program: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args])
      : run(join(bin, program), args);
  await asPostgres('initdb', [
    '-D',
    dataDirectory,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  const port = await freePort();
  // Durability is pointless for a throw-away cluster; turning it off makes tests faster.
  const serverOptions = `-p ${port} -h 127.0.0.1 -k ${dataDirectory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  await asPostgres('pg_ctl', [
    'start',
    '-w',
    '-t',
    '60',
    '-D',
    dataDirectory,
    '-l',
    join(dataDirectory, 'server.log'),
    '-o',
    serverOptions,
  ]);
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      const args = [join(bin, 'pg_ctl'), 'stop', '-m', 'immediate', '-w', '-D', dataDirectory];
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
      else execFileSync(args[0]!, args.slice(1), { stdio: 'ignore' });
    } finally {
      rmSync(dataDirectory, { recursive: true, force: true });
    }
  };
  // A crashed test run must not leave a postgres running.
  process.once('exit', stopNow);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}

let ownCluster: Promise<TestPostgresCluster> | undefined;

// A cluster this test file started itself is stopped after the file: vitest ends its worker
// processes without an 'exit' event, which would leave the postmaster running. (Outside a
// test file, e.g. in the global setup, there is no file to hook into; the caller stops it.)
try {
  afterAll(async () => {
    const cluster = ownCluster;
    ownCluster = undefined;
    if (cluster) await (await cluster).stop();
  });
} catch {
  // Not in a test file.
}

async function adminUrl(): Promise<string> {
  const fromEnvironment = process.env.SEALPOST_TEST_PG_URL;
  if (fromEnvironment) return fromEnvironment;
  const provided = inject('postgresAdminUrl');
  if (provided) return provided;
  ownCluster ??= startPostgresCluster();
  return (await ownCluster).adminUrl;
}

export interface TestPostgresDatabase {
  /** URL of the new, empty database. */
  url: string;
  /** Drops it (closing other sessions first). */
  drop(): Promise<void>;
}

/** Creates an empty database with a random name in the test cluster. */
export async function freshPostgresDatabase(): Promise<TestPostgresDatabase> {
  const admin = await adminUrl();
  const name = `sealpost_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      try {
        // The server's pool has just ended, but its backends may still be exiting. Killing them
        // (`with (force)`) then makes each client that is still closing emit an error nobody
        // listens to any more (seen as an unhandled 57P01): wait for them first, force last.
        for (let attempt = 0; attempt < 50; attempt++) {
          try {
            await dropper.query(`drop database if exists ${name}`);
            return;
          } catch (error) {
            if ((error as { code?: string }).code !== '55006') throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
