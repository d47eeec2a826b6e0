/**
 * The admin CLI as an administrator runs it (`npm run server:admin`, i.e. src/server/admin.ts),
 * as a real process in an empty working directory: it never falls back to the development
 * database unasked, says which configuration and database it uses, and refuses what it cannot
 * use in one line with exit code 2 (never a stack trace).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../helpers/postgres.ts';

const ADMIN = resolve(import.meta.dirname, '../../src/server/admin.ts');
const TSX = resolve(import.meta.dirname, '../../node_modules/tsx/dist/loader.mjs');

/** The server's production settings (the CLI checks the same configuration as the server). */
const SERVER_SETTINGS = {
  smtp: { host: 'smtp.example.org' },
  sms: { provider: 'webhook', url: 'https://sms.example.org/send' },
};

describe('the admin CLI', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function workingDirectory(): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), 'sealpost-admin-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    return directory;
  }

  /** Runs one command: exit code, stdout and stderr lines; never a stack trace. */
  function admin(
    cwd: string,
    args: string[],
    environment: Record<string, string> = {},
  ): { status: number | null; out: string[]; err: string[] } {
    const result = spawnSync(process.execPath, ['--import', TSX, ADMIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...environment },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
    const lines = (text: string) => text.trim().split('\n').filter(Boolean);
    return { status: result.status, out: lines(result.stdout), err: lines(result.stderr) };
  }

  it('without a configuration refuses with exit code 2 and opens no database', async () => {
    const cwd = await workingDirectory();
    const { status, err } = admin(cwd, ['tokens', 'list']);
    expect(status).toBe(2);
    expect(err[0]).toBe(
      "sealpost admin: which server? give --config <file.json> (or SEALPOST_CONFIG, or the server's SEALPOST_* variables with SEALPOST_DATABASE_URL); --dev uses the development database",
    );
    expect(existsSync(join(cwd, '.tmp'))).toBe(false);
    expect(existsSync(join(cwd, 'sealpost-secret.key'))).toBe(false);
  }, 120_000);

  it('with --dev says it uses the development database, with the key of npm start', async () => {
    const cwd = await workingDirectory();
    const { status, out, err } = admin(cwd, ['--dev', 'tokens', 'list']);
    expect(status).toBe(0);
    expect(err).toEqual([
      'sealpost admin: the development configuration (--dev), database pglite:.tmp/server-data',
    ]);
    expect(out).toEqual(['id\taddress\tdevice\tcreated\tlast used\trevoked']);
    // The database and the key of `npm start`'s server, side by side in .tmp.
    expect(existsSync(join(cwd, '.tmp/server-data'))).toBe(true);
    expect(existsSync(join(cwd, '.tmp/server-secret.key'))).toBe(true);
  }, 120_000);

  it('with the server configuration says which file and database, without the password', async () => {
    const cwd = await workingDirectory();
    const database = await freshPostgresDatabase();
    cleanups.push(() => database.drop());
    const url = new URL(database.url);
    url.password = 'admin-secret-pw';
    const configFile = join(cwd, 'server.json');
    await writeFile(
      configFile,
      JSON.stringify({ ...SERVER_SETTINGS, databaseUrl: url.toString() }),
    );
    const { status, err } = admin(cwd, ['payloads', 'usage'], { SEALPOST_CONFIG: configFile });
    expect(status).toBe(0);
    url.password = '***';
    expect(err).toEqual([`sealpost admin: configuration ${configFile}, database ${url}`]);
    expect(err.join('\n')).not.toContain('admin-secret-pw');
  }, 120_000);

  it('refuses a database it cannot reach, --config with --dev and a mistyped option, one line each and exit 2', async () => {
    const cwd = await workingDirectory();
    const probe = createServer();
    await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
    const { port } = probe.address() as { port: number };
    await new Promise((closed) => probe.close(closed));
    const unreachable = admin(cwd, ['tokens', 'list'], {
      SEALPOST_DATABASE_URL: `postgres://sealpost@127.0.0.1:${port}/sealpost`,
      SEALPOST_SMTP_HOST: 'smtp.example.org',
      SEALPOST_SMS_PROVIDER: 'webhook',
      SEALPOST_SMS_URL: 'https://sms.example.org/send',
    });
    expect(unreachable.status).toBe(2);
    expect(unreachable.err).toEqual([
      `sealpost admin: databaseUrl postgres://sealpost@127.0.0.1:${port}/sealpost: cannot connect (connect ECONNREFUSED 127.0.0.1:${port}); is PostgreSQL running there?`,
    ]);

    const both = admin(cwd, ['--dev', '--config', 'server.json', 'tokens', 'list']);
    expect(both.status).toBe(2);
    expect(both.err[0]).toBe('sealpost admin: give --config or --dev, not both');

    const mistyped = admin(cwd, ['--dev=yes', 'tokens', 'list']);
    expect(mistyped.status).toBe(2);
    expect(mistyped.err[0]).toBe("sealpost admin: Option '--dev' does not take an argument");
  }, 120_000);
});
