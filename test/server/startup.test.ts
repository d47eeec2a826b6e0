/**
 * The server as an administrator starts it (`npm run server`, i.e. `src/server/main.ts`), as a
 * real process in an empty working directory: every problem it can find before serving is one
 * line and exit code 2, never a stack trace (wrong configuration, a mistyped option, PostgreSQL
 * down or without the database, a port in use); started, it says what nobody chose (the
 * development database, the example organisation), what is missing (the reader build), why
 * mail fails, and is ready only when all of that is in order.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/server/config.ts';
import { parseSecretKey } from '../../src/server/serverSecret.ts';
import { startupNotices } from '../../src/server/startup.ts';
import { freshPostgresDatabase } from '../helpers/postgres.ts';

const MAIN = resolve(import.meta.dirname, '../../src/server/main.ts');
const TSX = resolve(import.meta.dirname, '../../node_modules/tsx/dist/loader.mjs');

/** The environment of a fresh shell: no SEALPOST_* left over from the test run. */
function cleanEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...extra };
}

/** A port on 127.0.0.1 with nothing listening (bound once, then closed). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const { port } = probe.address() as { port: number };
  await new Promise((closed) => probe.close(closed));
  return port;
}

/** Settings a production start needs, on an in-memory database and any free port. */
const PRODUCTION = {
  SEALPOST_DATABASE_URL: 'pglite:memory',
  SEALPOST_PORT: '0',
  SEALPOST_SMTP_HOST: '127.0.0.1',
  SEALPOST_SMS_PROVIDER: 'webhook',
  SEALPOST_SMS_URL: 'http://127.0.0.1:9/sms',
};

describe('starting the server', () => {
  let directory: string;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function workingDirectory(): Promise<string> {
    directory = await mkdtemp(join(tmpdir(), 'sealpost-start-'));
    const made = directory;
    cleanups.push(() => rm(made, { recursive: true, force: true }));
    return made;
  }

  /** Runs the server to its refusal: exit code and what it printed. */
  async function refusal(
    environment: Record<string, string>,
    args: string[] = [],
  ): Promise<{ status: number | null; lines: string[]; output: string }> {
    const result = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], {
      cwd: await workingDirectory(),
      env: cleanEnvironment(environment),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = result.stdout + result.stderr;
    // One line per problem and never a stack trace.
    expect(output).not.toMatch(/^\s+at /m);
    return { status: result.status, lines: result.stderr.trim().split('\n'), output };
  }

  /** Starts the server; resolves once it says it is ready or started, with its base URL. */
  async function started(
    environment: Record<string, string>,
  ): Promise<{ baseUrl: string; output: () => string }> {
    const child = spawn(process.execPath, ['--import', TSX, MAIN], {
      cwd: await workingDirectory(),
      env: cleanEnvironment(environment),
    });
    cleanups.push(async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((ready, failed) => {
      const timer = setTimeout(() => failed(new Error(`no start: ${output}`)), 90_000);
      child.stdout.on('data', () => {
        if (!/sealpost server (ready|started, but)/.test(output)) return;
        clearTimeout(timer);
        ready();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        failed(new Error(`exited with ${code}: ${output}`));
      });
    });
    const port = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
    if (!port) throw new Error(`no port in: ${output}`);
    return { baseUrl: `http://127.0.0.1:${port}`, output: () => output };
  }

  /** The `msg` of every JSON log line. */
  const messages = (output: string): string[] =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);

  it('refuses the default configuration with exit code 2, naming each missing setting', async () => {
    const { status, lines } = await refusal({});
    expect(status).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(/^sealpost server: smtp\.host: required \(SEALPOST_SMTP_HOST\)/),
      expect.stringMatching(/^sealpost server: sms\.provider: set "webhook" or "twilio"/),
      'sealpost server: not started; see docs/server.md, "Configuration"',
    ]);
  }, 90_000);

  it('names every configuration problem at once, one line each: the file, the environment, an empty variable', async () => {
    const configFile = join(await workingDirectory(), 'server.json');
    await writeFile(configFile, JSON.stringify({ prot: 8080, developmentMode: true }));
    const { status, lines } = await refusal(
      { SEALPOST_PORT: 'abc', SEALPOST_ORGANISATION_DOMAINS: '' },
      ['--config', configFile],
    );
    expect(status).toBe(2);
    expect(lines).toEqual([
      'sealpost server: SEALPOST_PORT: expected a number, got "abc"',
      'sealpost server: SEALPOST_ORGANISATION_DOMAINS: set but empty; give it a value, or unset it for the default',
      'sealpost server: prot: unknown key',
      'sealpost server: not started; see docs/server.md, "Configuration"',
    ]);
  }, 90_000);

  it('refuses a mistyped option in one line with the usage', async () => {
    const { status, lines } = await refusal({}, ['--conf', 'server.json']);
    expect(status).toBe(2);
    expect(lines[0]).toBe(
      "sealpost server: Unknown option '--conf' (usage: npm run server -- [--config <file.json>])",
    );
  }, 90_000);

  it('says PostgreSQL cannot be reached, without the password, beside a bad secret key file and alone (exit 2; alone it says to try again)', async () => {
    const port = await closedPort();
    const { status, lines, output } = await refusal({
      ...PRODUCTION,
      SEALPOST_DATABASE_URL: `postgres://sealpost:pg-password-1@127.0.0.1:${port}/sealpost`,
      SEALPOST_SECRET_KEY_FILE: '/dev/null',
    });
    expect(status).toBe(2);
    expect(lines).toEqual([
      'sealpost server: secretKeyFile /dev/null: expected 32 bytes, base64url',
      `sealpost server: databaseUrl postgres://sealpost:***@127.0.0.1:${port}/sealpost: cannot connect (connect ECONNREFUSED 127.0.0.1:${port}); is PostgreSQL running there?`,
      'sealpost server: not started; see docs/server.md, "Configuration"',
    ]);
    expect(output).not.toContain('pg-password-1');
    // PostgreSQL down alone: exit code 2 as for every refusal, but nothing to fix in the
    // configuration: the start may work when tried again.
    const down = await refusal({
      ...PRODUCTION,
      SEALPOST_DATABASE_URL: `postgres://sealpost@127.0.0.1:${port}/sealpost`,
    });
    expect(down.status).toBe(2);
    expect(down.lines).toEqual([
      `sealpost server: databaseUrl postgres://sealpost@127.0.0.1:${port}/sealpost: cannot connect (connect ECONNREFUSED 127.0.0.1:${port}); is PostgreSQL running there?`,
      'sealpost server: not started; it may work when tried again',
    ]);
  }, 120_000);

  it('says the PostgreSQL database does not exist', async () => {
    const existing = await freshPostgresDatabase();
    cleanups.push(() => existing.drop());
    const missing = new URL(existing.url);
    missing.pathname = '/sealpost_not_created';
    const { status, lines } = await refusal({
      ...PRODUCTION,
      SEALPOST_DATABASE_URL: missing.toString(),
    });
    expect(status).toBe(2);
    expect(lines[0]).toBe(
      `sealpost server: databaseUrl ${missing.toString()}: database "sealpost_not_created" does not exist; create it (docs/server.md, "Setting up PostgreSQL")`,
    );
  }, 90_000);

  it('refuses a payload store that cannot take a payload: a directory it cannot make, or that is a file', async () => {
    const cannotMake = await refusal({
      ...PRODUCTION,
      SEALPOST_PAYLOADS_DIRECTORY: '/dev/null/payloads',
    });
    expect(cannotMake.status).toBe(2);
    expect(cannotMake.lines[0]).toMatch(
      /^sealpost server: could not start: payloads\.directory \/dev\/null\/payloads: ENOTDIR/,
    );
    const file = join(await workingDirectory(), 'a-file');
    await writeFile(file, '');
    const notADirectory = await refusal({ ...PRODUCTION, SEALPOST_PAYLOADS_DIRECTORY: file });
    expect(notADirectory.status).toBe(2);
    expect(notADirectory.lines).toEqual([
      expect.stringMatching(new RegExp(`^sealpost server: payloads\\.directory ${file}: ENOTDIR`)),
      'sealpost server: not started; see docs/server.md, "Configuration"',
    ]);
  }, 90_000);

  it('says the port is in use (it may be free soon)', async () => {
    const occupied: Server = createServer();
    await new Promise<void>((listening) => occupied.listen(0, '127.0.0.1', listening));
    cleanups.push(() => new Promise((closed) => occupied.close(() => closed())));
    const { port } = occupied.address() as { port: number };
    const { status, lines } = await refusal({ ...PRODUCTION, SEALPOST_PORT: String(port) });
    expect(status).toBe(2);
    expect(lines.at(-2)).toBe(
      `sealpost server: cannot listen on 127.0.0.1:${port}: the port is in use (EADDRINUSE); stop the other process or set port (SEALPOST_PORT)`,
    );
  }, 90_000);

  it('on the defaults, says plainly what nobody chose and what is missing, and is not ready without the reader', async () => {
    const server = await started({
      SEALPOST_DEVELOPMENT_MODE: 'true',
      SEALPOST_PORT: '0',
      SEALPOST_READER_FILE: 'reader/secure-message.html',
    });
    const said = messages(server.output());
    expect(said).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^development mode: codes that cannot be mailed/),
        `using the development database pglite:.tmp/server-data (embedded, in ${join(directory, '.tmp/server-data')}): set databaseUrl (SEALPOST_DATABASE_URL) to PostgreSQL for real use (docs/server.md, "Setting up PostgreSQL")`,
        'the organisation is the built-in example ("Example organisation", example.org): set organisation.name and organisation.domains (SEALPOST_ORGANISATION_NAME, SEALPOST_ORGANISATION_DOMAINS)',
        expect.stringMatching(/^publicUrl is the default http:\/\/127\.0\.0\.1:8787/),
        `the reader is missing: readerFile ${join(directory, 'reader/secure-message.html')} does not exist; until it does /r/<id> and /readyz answer 503`,
        'sealpost server started, but not ready: the reader is not installed (run `npm run build`).',
      ]),
    );
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      error: {
        code: 'unavailable',
        message: 'Not ready: the reader is not installed (run `npm run build`).',
      },
    });
  }, 120_000);

  it('starts with the documented production settings alone, creating its secret key file; says why mail fails and is not ready', async () => {
    const smtpPort = await closedPort();
    const server = await started({ ...PRODUCTION, SEALPOST_SMTP_PORT: String(smtpPort) });
    const keyFile = join(directory, 'sealpost-secret.key');
    expect(parseSecretKey(await readFile(keyFile, 'utf8'))).not.toBeNull();
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const said = messages(server.output());
    expect(said).toContain(
      'generated a new server secret key: back this file up, apart from the database backups',
    );
    // The key itself never reaches the log.
    expect(server.output()).not.toContain((await readFile(keyFile, 'utf8')).trim());
    // The SMTP server was tried at start: its cause is logged, and readiness says mail fails.
    expect(said).toContain(`mail is failing: ESOCKET: connect ECONNREFUSED 127.0.0.1:${smtpPort}`);
    expect(
      said.filter((line) => line.startsWith('sealpost server started, but not ready')),
    ).toEqual([expect.stringMatching(/mail is failing \(the cause is in the log\)\.$/)]);
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(503);
  }, 120_000);
});

describe('what the server says at start', () => {
  it('names the command that builds a missing reader of this checkout', () => {
    const resolved = resolveConfig({ developmentMode: true }, {});
    if (!resolved.ok) throw new Error(resolved.errors.join('; '));
    const root = resolve(import.meta.dirname, '../..');
    expect(startupNotices(resolved.config, false)).toContain(
      `the reader is not built (${join(root, 'dist/reader/secure-message.html')} is missing): run \`npm run build\` in ${root}; until then /r/<id> and /readyz answer 503`,
    );
  });

  it('says nothing when everything was chosen and the reader is there', () => {
    const resolved = resolveConfig(
      {
        databaseUrl: 'postgres://sealpost@db.internal/sealpost',
        publicUrl: 'https://sealpost.acme.example',
        organisation: { name: 'Acme', domains: ['acme.example'] },
        smtp: { host: 'smtp.acme.example' },
        sms: { provider: 'webhook', url: 'https://sms.acme.example/send' },
      },
      {},
    );
    if (!resolved.ok) throw new Error(resolved.errors.join('; '));
    expect(startupNotices(resolved.config, true)).toEqual([]);
  });
});
