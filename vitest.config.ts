import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * unit: pure code in Node (core, crypto, i18n, messaging) plus attack tests.
 * server: the Sealpost server over real HTTP, on PGlite and PostgreSQL (test/server).
 * e2e: the built add-on in a real Thunderbird and the built reader in a real Chromium; these
 * share machine-wide resources (ports, Thunderbird) so they run one file at a time.
 */
export default defineConfig({
  plugins: [svelte()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/security/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      {
        extends: true,
        test: {
          // The server over real HTTP on PGlite and on a throw-away PostgreSQL cluster that the
          // global setup starts once (or SEALPOST_TEST_PG_URL); one file at a time.
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/server/globalSetup.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
