/**
 * The server as an administrator starts it (`npm run server`, i.e. `src/server/main.ts`), as a
 * real process in an empty working directory: with the default configuration it refuses to
 * start and names each missing setting; with the documented production settings and nothing
 * else it starts, and creates its secret key file (outside the database) on the way.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSecretKey } from '../../src/server/serverSecret.ts';

const MAIN = resolve(import.meta.dirname, '../../src/server/main.ts');
const TSX = resolve(import.meta.dirname, '../../node_modules/tsx/dist/loader.mjs');

/** The environment of a fresh shell: no SEALPOST_* left over from the test run. */
function cleanEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...extra };
}

describe('starting the server', () => {
  let directory: string | null = null;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
    directory = null;
  });

  it('refuses the default configuration with exit code 2, naming each missing setting', async () => {
    directory = await mkdtemp(join(tmpdir(), 'sealpost-start-'));
    const result = spawnSync(process.execPath, ['--import', TSX, MAIN], {
      cwd: directory,
      env: cleanEnvironment({}),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('smtp.host: required (SEALPOST_SMTP_HOST)');
    expect(result.stderr).toContain('sms.provider: set "webhook" or "twilio"');
  }, 90_000);

  it('starts with the documented production settings alone, creating its secret key file', async () => {
    directory = await mkdtemp(join(tmpdir(), 'sealpost-start-'));
    const child = spawn(process.execPath, ['--import', TSX, MAIN], {
      cwd: directory,
      env: cleanEnvironment({
        SEALPOST_DATABASE_URL: 'pglite:memory',
        SEALPOST_PORT: '0',
        SEALPOST_SMTP_HOST: '127.0.0.1',
        SEALPOST_SMS_PROVIDER: 'webhook',
        SEALPOST_SMS_URL: 'http://127.0.0.1:9/sms',
      }),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await new Promise<void>((ready, failed) => {
        const timer = setTimeout(() => failed(new Error(`no start: ${output}`)), 60_000);
        child.stdout.on('data', () => {
          if (!output.includes('sealpost server ready')) return;
          clearTimeout(timer);
          ready();
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          failed(new Error(`exited with ${code}: ${output}`));
        });
      });
      const keyFile = join(directory, 'sealpost-secret.key');
      expect(parseSecretKey(await readFile(keyFile, 'utf8'))).not.toBeNull();
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      expect(output).toContain('generated a new server secret key');
      // The key itself never reaches the log.
      expect(output).not.toContain((await readFile(keyFile, 'utf8')).trim());
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);
});
