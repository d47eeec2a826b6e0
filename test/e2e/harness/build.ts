import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');
/** What `npm run build` produces: the packed add-on. */
export const SEALPOST_XPI = join(PROJECT_ROOT, 'dist', 'sealpost.xpi');

/**
 * Builds the add-on when `dist/sealpost.xpi` is missing; returns its path. `SEALPOST_E2E_XPI`
 * points the end-to-end tests at another build (to bisect, or to try a patched package).
 */
export function ensureSealpostBuilt(): string {
  const override = process.env.SEALPOST_E2E_XPI;
  if (override) {
    if (!existsSync(override)) throw new Error(`SEALPOST_E2E_XPI=${override} does not exist`);
    return resolve(override);
  }
  if (existsSync(SEALPOST_XPI)) return SEALPOST_XPI;
  console.log('dist/sealpost.xpi is missing: running npm run build');
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    // Under vitest NODE_ENV is `test`, which vite keeps: the build would be a development one.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0 || !existsSync(SEALPOST_XPI)) {
    throw new Error('npm run build did not produce dist/sealpost.xpi');
  }
  return SEALPOST_XPI;
}

/**
 * A copy of the add-on with a packaged `defaults.json` (what development and test builds carry:
 * `serverUrl`, `wkdBaseUrl`; docs/keys.md), written to `outPath`.
 */
export async function xpiWithDefaults(
  xpi: string,
  defaults: Record<string, string>,
  outPath: string,
): Promise<string> {
  const { default: JSZip } = await import('jszip');
  const { readFile, writeFile } = await import('node:fs/promises');
  const zip = await JSZip.loadAsync(await readFile(xpi));
  zip.file('defaults.json', `${JSON.stringify(defaults, null, 2)}\n`);
  await writeFile(outPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return outPath;
}
