import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

/** Pure layers must not reach the browser/extension APIs (house style: pure core, thin adapters). */
const pureLayers = ['src/core/**', 'src/crypto/**', 'src/i18n/**', 'src/messaging/**'];
const extensionGlobals = ['browser', 'messenger', 'chrome'].map((name) => ({
  name,
  message:
    'Pure modules take what they need as arguments; only src/platform touches extension APIs.',
}));

/**
 * The layers of src/ and which others each may import (docs/architecture.md, "Layers"). A layer
 * not listed for a folder is refused by `no-restricted-imports`, so the table in the docs is a
 * rule, not a wish.
 */
const LAYERS = {
  core: ['crypto'],
  crypto: [],
  i18n: ['core'],
  messaging: ['core'],
  platform: ['core', 'messaging'],
  background: ['core', 'crypto', 'i18n', 'messaging', 'platform'],
  ui: ['core', 'i18n', 'messaging', 'platform'],
  popup: ['core', 'i18n', 'messaging', 'platform', 'ui'],
  options: ['core', 'i18n', 'messaging', 'platform', 'ui'],
  sentCopy: ['core', 'i18n', 'messaging', 'platform', 'reader', 'ui'],
  sendProgress: ['core', 'i18n', 'messaging', 'platform', 'ui'],
  reader: ['core', 'crypto', 'i18n'],
  server: ['core', 'crypto', 'i18n'],
};
const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => {
  const refused = Object.keys(LAYERS).filter(
    (other) => other !== layer && !allowed.includes(other),
  );
  return {
    files: [`src/${layer}/**/*.{ts,js,svelte}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${refused.join('|')})/`,
              message: `src/${layer} may import only ${allowed.join(', ') || 'packages'} (docs/architecture.md, "Layers").`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tmp/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
    rules: { 'svelte/no-at-html-tags': 'error' },
  },
  { files: pureLayers, rules: { 'no-restricted-globals': ['error', ...extensionGlobals] } },
  ...layerRules,
  {
    files: ['src/background/**', 'src/platform/**', 'src/popup/**', 'src/options/**'],
    languageOptions: { globals: { messenger: 'readonly', browser: 'readonly' } },
  },
);
