/**
 * The reader build (`dist/reader/secure-message.html`, made by `npm run build`): the same file
 * the add-on attaches to a sealed mail. The server serves it as the hosted reader and attaches
 * it, with a reply's envelope inside, to the mail that carries a recipient's reply.
 */
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const READER_HTML_PATH = fileURLToPath(
  new URL('../../../dist/reader/secure-message.html', import.meta.url),
);

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
