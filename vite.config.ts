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
    plugins: [
      svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') }),
      noCoreJsEval(),
    ],
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
          'sent-copy': resolve(import.meta.dirname, 'src/sent-copy.html'),
          'send-progress': resolve(import.meta.dirname, 'src/send-progress.html'),
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
    plugins: [
      // The root is src/reader, so the project's svelte.config.js must be named explicitly.
      svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') }),
      readerOnlyOpenpgp(),
      viteSingleFile({ removeViteModuleLoader: true }),
    ],
    resolve: {
      // The lightweight build loads optional algorithms lazily; see readerOnlyOpenpgp().
      alias: {
        openpgp: 'openpgp/lightweight',
        // mimetext (a secure reply's MIME) reaches core-js-pure only for `trim` and a
        // defineProperty helper, both native in every engine the reader supports.
        '@babel/runtime-corejs3/core-js/instance/trim': resolve(
          import.meta.dirname,
          'src/platform/shims/instanceTrim.js',
        ),
        '@babel/runtime-corejs3/helpers/esm/defineProperty':
          '@babel/runtime/helpers/esm/defineProperty',
      },
    },
    build: {
      outDir: resolve(import.meta.dirname, 'dist/reader'),
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      assetsInlineLimit: Number.MAX_SAFE_INTEGER,
      // One inlined module: nothing to preload, so no preload polyfill either.
      modulePreload: { polyfill: false },
      rollupOptions: { input: resolve(import.meta.dirname, 'src/reader/secure-message.html') },
    },
  };
}

/**
 * The reader only opens password (SKESK v6) locks with AEAD (SEIPDv2) and Argon2. The lightweight
 * openpgp build pulls other algorithms in by dynamic import; the single-file build would inline
 * them all, so the ones a reader never needs are replaced by a module that refuses clearly (its
 * error is named like openpgp's own UnsupportedError, so it is reported as 'unsupported'):
 * legacy ciphers, the curves and their hashes (public-key locks), bzip2, and the JavaScript
 * hashes, which only serve streamed hashing (signatures, SEIPDv1's SHA-1 MDC). SEIPDv2 needs no
 * hash; SKESK v6 derives its key with WebCrypto HKDF.
 */
function readerOnlyOpenpgp(): Plugin {
  const unused =
    /(legacy_ciphers|nacl-fast|noble_curves|noble_hashes|unbzip2-stream)(\.min)?\.mjs$/;
  const stubId = '\0sealpost-reader-unsupported';
  // postal-mime's full HTML entity table (about 45 KB) only serves its HTML-to-text conversion
  // of HTML-only messages; the reader shows such messages as HTML and never that text.
  const entityTable = /postal-mime\/dist\/esm\/html-entities\.js$/;
  const entityStubId = '\0sealpost-reader-html-entities';
  return {
    name: 'sealpost-reader-only-openpgp',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (unused.test(source)) return stubId;
      if (source.endsWith('html-entities.js') && importer?.includes('postal-mime')) {
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
        if (resolved && entityTable.test(resolved.id)) return entityStubId;
      }
      return null;
    },
    load(id) {
      if (id === stubId) {
        return [
          'const error = new Error("This algorithm is not supported by the Sealpost reader");',
          'error.name = "UnsupportedError";',
          'throw error;',
        ].join('\n');
      }
      if (id === entityStubId) {
        return `export const htmlEntities = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&nbsp;': '\\u00a0' };`;
      }
      return null;
    },
  };
}

/**
 * mimetext pulls in core-js-pure (through @babel/runtime-corejs3), whose global-this helper ends
 * in `Function('return this')()`: an eval that the no-eval rule and add-on review reject. Every
 * engine Sealpost runs on has `globalThis`, so that one module is replaced.
 */
function noCoreJsEval(): Plugin {
  const shim = resolve(import.meta.dirname, 'src/platform/shims/globalThis.cjs');
  return {
    name: 'sealpost-no-core-js-eval',
    enforce: 'pre',
    resolveId(source, importer) {
      return importer?.includes('core-js-pure') && /\/internals\/global-this(\.js)?$/.test(source)
        ? shim
        : null;
    },
  };
}
