import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { resolve } from 'node:path';

/**
 * Two builds from one config:
 * - default mode: the MailExtension pages and background into dist/extension
 *   (extension/ is copied in as the public dir: manifest, _locales, icons);
 * - `--mode reader`: the recipient's reader as one self-contained HTML file into dist/reader.
 *   It runs from file:// so everything, openpgp included, is inlined.
 */
export default defineConfig(({ mode }) => (mode === 'reader' ? readerConfig() : extensionConfig()));

function extensionConfig() {
  return {
    root: resolve(import.meta.dirname, 'src'),
    publicDir: resolve(import.meta.dirname, 'extension'),
    plugins: [svelte()],
    build: {
      outDir: resolve(import.meta.dirname, 'dist/extension'),
      emptyOutDir: false,
      target: 'firefox128',
      minify: true,
      sourcemap: false,
      // The background, popup and options share chunks as ES modules (allowed in MV3 pages).
      rollupOptions: {
        input: {
          background: resolve(import.meta.dirname, 'src/background/index.ts'),
          popup: resolve(import.meta.dirname, 'src/popup.html'),
          options: resolve(import.meta.dirname, 'src/options.html'),
        },
        output: {
          entryFileNames: (chunk: { name: string }) =>
            chunk.name === 'background' ? 'background.js' : 'assets/[name]-[hash].js',
        },
      },
    },
  };
}

function readerConfig() {
  return {
    root: resolve(import.meta.dirname, 'src/reader'),
    publicDir: false as const,
    plugins: [svelte(), readerOnlyOpenpgp(), viteSingleFile({ removeViteModuleLoader: true })],
    resolve: {
      // The lightweight build loads optional algorithms lazily; see readerOnlyOpenpgp().
      alias: { openpgp: 'openpgp/lightweight' },
    },
    build: {
      outDir: resolve(import.meta.dirname, 'dist/reader'),
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      assetsInlineLimit: Number.MAX_SAFE_INTEGER,
      rollupOptions: { input: resolve(import.meta.dirname, 'src/reader/secure-message.html') },
    },
  };
}

/**
 * The reader only opens password (SKESK) locks with AEAD (SEIPDv2) and Argon2. The lightweight
 * openpgp build pulls other algorithms in by dynamic import; the single-file build would inline
 * them all, so the ones a reader never needs are replaced by a module that refuses clearly.
 */
function readerOnlyOpenpgp(): Plugin {
  const unused = /(legacy_ciphers|nacl-fast|noble_curves|unbzip2-stream)\.min\.mjs$/;
  const stubId = '\0sealpost-reader-unsupported';
  return {
    name: 'sealpost-reader-only-openpgp',
    enforce: 'pre',
    resolveId(source) {
      return unused.test(source) ? stubId : null;
    },
    load(id) {
      if (id !== stubId) return null;
      return 'throw new Error("This algorithm is not supported by the Sealpost reader");';
    },
  };
}
