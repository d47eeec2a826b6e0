/**
 * The built reader (`dist/reader/secure-message.html`), rebuilt when any of its sources is newer.
 * The server's hosted reader serves the same file.
 */
import { execFileSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from './build.ts';

export const READER_PATH = join(PROJECT_ROOT, 'dist/reader/secure-message.html');

const READER_SOURCES = [
  'src/reader',
  'src/i18n',
  'src/core',
  'src/crypto',
  'src/messaging',
  'vite.config.ts',
  'package-lock.json',
];

/** Builds the reader unless dist/ is newer than everything it is built from; returns its path. */
export async function ensureReaderBuilt(): Promise<string> {
  const newestSource = Math.max(
    ...(await Promise.all(READER_SOURCES.map((path) => newestMtime(join(PROJECT_ROOT, path))))),
  );
  const built = await stat(READER_PATH).catch(() => null);
  if (!built || built.mtimeMs < newestSource) {
    execFileSync('npx', ['vite', 'build', '--mode', 'reader', '--logLevel', 'warn'], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
      // Under vitest NODE_ENV is `test`, which vite keeps: Svelte would compile in development
      // mode and the reader would come out about 16 KB larger than the real build.
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
  return READER_PATH;
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}
