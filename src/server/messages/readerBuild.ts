/**
 * The reader build (`dist/reader/secure-message.html`, made by `npm run build`): the same file
 * the add-on attaches to a sealed mail. The server serves it as the hosted reader and attaches
 * it, with a reply's envelope inside, to the mail that carries a recipient's reply.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from '../configDefaults.ts';

export const READER_HTML_PATH = fileURLToPath(
  new URL('../../../dist/reader/secure-message.html', import.meta.url),
);

/** The build this server serves: `readerFile` (relative to the working directory) or this checkout's. */
export function readerFilePath(config: Pick<ServerConfig, 'readerFile'>): string {
  return config.readerFile === undefined ? READER_HTML_PATH : resolve(config.readerFile);
}

/**
 * A reader of the build that re-reads the file only when it changed (a deploy replaces it while
 * the server runs); null while there is no build.
 */
export function readerBuildLoader(path: string = READER_HTML_PATH): () => Promise<string | null> {
  let cached: { mtimeMs: number; html: string } | null = null;
  return async () => {
    try {
      const { mtimeMs } = await stat(path);
      if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, html: await readFile(path, 'utf8') };
      return cached.html;
    } catch {
      return null;
    }
  };
}
