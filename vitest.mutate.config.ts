import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * The tests `npm run mutate` (StrykerJS) runs against each mutant: the unit tests in Node, and
 * the server tests that judge verification and its limits (over real HTTP, on PGlite only:
 * `SEALPOST_TEST_DATABASES`, set in package.json, because every mutant runs them again). E2E and
 * fuzz suites stay out: too slow to run once per mutant. See stryker.config.json.
 */
export default defineConfig({
  plugins: [svelte()],
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/server/verify.test.ts',
      'test/server/housekeeping.test.ts',
      'test/server/signin-limits.test.ts',
      'test/server/sender-new-number.test.ts',
      'test/security/server-brute-force.test.ts',
      'test/security/server-stranger-lockout.test.ts',
      'test/security/server-share-isolation.test.ts',
      'test/server/public-keys.test.ts',
      'test/security/server-public-keys.test.ts',
    ],
    exclude: ['test/unit/fuzz.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
