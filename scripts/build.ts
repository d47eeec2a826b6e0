/**
 * `npm run build`: the reader (one self-contained HTML file), then the MailExtension with that
 * reader inside it, then the installable `.xpi`.
 *   dist/reader/secure-message.html   the reader template (envelope placeholder inside)
 *   dist/extension/                   the unpacked add-on (load as a temporary add-on)
 *   dist/sealpost.xpi                 the packed add-on
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = resolve(root, 'dist');

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `build: ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(1);
  }
}

rmSync(resolve(dist, 'extension'), { recursive: true, force: true });
rmSync(resolve(dist, 'sealpost.xpi'), { force: true });
run(process.execPath, [
  resolve(root, 'node_modules/vite/bin/vite.js'),
  'build',
  '--mode',
  'reader',
  '--logLevel',
  'warn',
]);
run(process.execPath, [
  resolve(root, 'node_modules/vite/bin/vite.js'),
  'build',
  '--logLevel',
  'warn',
]);
mkdirSync(resolve(dist, 'extension/reader'), { recursive: true });
copyFileSync(
  resolve(dist, 'reader/secure-message.html'),
  resolve(dist, 'extension/reader/secure-message.html'),
);
run(process.execPath, [
  resolve(root, 'node_modules/web-ext/bin/web-ext.js'),
  'build',
  '--source-dir',
  resolve(dist, 'extension'),
  '--artifacts-dir',
  dist,
  '--filename',
  'sealpost.xpi',
  '--overwrite-dest',
]);
console.log('build: dist/extension, dist/sealpost.xpi');
