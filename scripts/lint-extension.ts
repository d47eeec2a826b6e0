/**
 * `npm run lint:ext`: `web-ext lint` on the built add-on. Fails on any error, and on any warning
 * except the ones that are expected for a MailExtension:
 * - MANIFEST_PERMISSIONS for Thunderbird-only permissions (`compose`, `compose.send`, `compose.save`,
 *   `addressBooks`, `messagesRead`, `accountsRead`, `accountsFolders`, `messagesDelete`,
 *   `messagesImport`), which the
 *   Firefox-based linter does not know (THUNDERBIRD-TESTING.md, "Installing an unsigned add-on");
 * - UNSAFE_VAR_ASSIGNMENT in Svelte's runtime, which clones its compiled static templates through
 *   `innerHTML` (no message content ever reaches it: see the DOM-sink test).
 * - MISSING_DATA_COLLECTION_PERMISSIONS: that key needs Firefox 140+, and declaring it makes the
 *   linter reject `strict_min_version` 128 (the ESR Sealpost supports).
 * An eval (DANGEROUS_EVAL) or anything else fails the build.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const result = spawnSync(
  process.execPath,
  [
    resolve(root, 'node_modules/web-ext/bin/web-ext.js'),
    'lint',
    '--source-dir',
    resolve(root, 'dist/extension'),
    '--output',
    'json',
  ],
  { cwd: root, encoding: 'utf8' },
);
interface Finding {
  code: string;
  message: string;
  file?: string;
}
const report = JSON.parse(result.stdout) as { errors: Finding[]; warnings: Finding[] };
const thunderbirdPermissions =
  /Invalid permissions "(compose|compose\.send|compose\.save|addressBooks|messagesRead|accountsRead|accountsFolders|messagesDelete|messagesImport)"/;
const unexpected = [
  ...report.errors,
  ...report.warnings.filter(
    (warning) =>
      !(warning.code === 'MANIFEST_PERMISSIONS' && thunderbirdPermissions.test(warning.message)) &&
      warning.code !== 'MISSING_DATA_COLLECTION_PERMISSIONS' &&
      !(warning.code === 'UNSAFE_VAR_ASSIGNMENT' && /^assets\//.test(warning.file ?? '')),
  ),
];
console.log(
  `web-ext lint: ${report.errors.length} errors, ${report.warnings.length} warnings (${unexpected.length} unexpected)`,
);
for (const finding of unexpected)
  console.error(`  ${finding.code} ${finding.file ?? ''}: ${finding.message}`);
process.exit(unexpected.length === 0 ? 0 : 1);
