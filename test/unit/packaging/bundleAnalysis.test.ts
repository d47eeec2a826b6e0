import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseBuilds, type BuildAnalysis } from '../../../scripts/packaging/bundleAnalysis.ts';
import { groupBundledOrigins } from '../../../scripts/packaging/vendors.ts';

/**
 * The module graph of the project's real builds (in memory, nothing written), as
 * `npm run package` reads it for VENDORS.md.
 */
const root = resolve(import.meta.dirname, '../../..');
const packageJson = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
let analysis: BuildAnalysis;
const previousNodeEnv = process.env.NODE_ENV;

beforeAll(async () => {
  // Like the release: vitest's NODE_ENV=test would compile Svelte in development mode.
  process.env.NODE_ENV = 'production';
  analysis = await analyseBuilds(root);
});
afterAll(() => {
  process.env.NODE_ENV = previousNodeEnv;
});

function packagesIn(bundle: (name: string) => boolean): Set<string> {
  const { origins } = groupBundledOrigins(
    analysis.bundles.filter((entry) => bundle(entry.bundle)),
    root,
  );
  return new Set(origins.map(({ origin }) => origin.name));
}

describe('analyseBuilds on the project', () => {
  it('places every bundled module (nothing third-party could go unlisted)', () => {
    expect(analysis.bundles.length).toBeGreaterThan(1);
    expect(groupBundledOrigins(analysis.bundles, root).unplaced).toEqual([]);
  });

  it('takes the reader as the single HTML file the add-on ships, with openpgp inlined', () => {
    const readerFiles = [...analysis.files.keys()].filter((path) => path.startsWith('reader/'));
    expect(readerFiles).toEqual(['reader/secure-message.html']);
    expect(packagesIn((bundle) => bundle === 'reader/secure-message.html')).toContain('openpgp');
  });

  it('finds the add-on bundles under their real file names, with openpgp in the add-on too', () => {
    expect(analysis.files.has('background.js')).toBe(true);
    for (const { bundle } of analysis.bundles) expect(analysis.files.has(bundle)).toBe(true);
    expect(packagesIn((bundle) => !bundle.startsWith('reader/'))).toContain('openpgp');
  });

  it('bundles no server-only dependency into the add-on', () => {
    const bundled = packagesIn(() => true);
    const serverOnly = ['fastify', '@fastify/cors', 'kysely', 'pg', '@electric-sql/pglite'];
    expect(serverOnly.every((name) => name in packageJson.dependencies)).toBe(true);
    expect(serverOnly.filter((name) => bundled.has(name))).toEqual([]);
  });

  it('lists only modules that contribute code: a tree-shaken module is loaded but not listed', () => {
    const listed = new Set(analysis.bundles.flatMap(({ moduleIds }) => moduleIds));
    expect(listed.size).toBeGreaterThan(0);
    for (const moduleId of listed) expect(analysis.loadedModuleIds).toContain(moduleId);
    // Svelte's development helpers, for one, are imported but render to nothing in production.
    expect(analysis.loadedModuleIds.filter((moduleId) => !listed.has(moduleId))).not.toEqual([]);
  });
});
