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
  {
    files: ['src/background/**', 'src/platform/**', 'src/popup/**', 'src/options/**'],
    languageOptions: { globals: { messenger: 'readonly', browser: 'readonly' } },
  },
);
