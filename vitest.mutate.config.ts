import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * The tests `npm run mutate` (StrykerJS) runs against each mutant: the unit tests in Node, which
 * cover the security-critical modules it mutates (see stryker.config.json). The server, e2e and
 * fuzz suites stay out: too slow to run once per mutant.
 */
export default defineConfig({
  plugins: [svelte()],
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: ['test/unit/fuzz.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
