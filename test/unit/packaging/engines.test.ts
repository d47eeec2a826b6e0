import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * The Node versions `package.json` promises (`engines.node`) must be ones every installed
 * package accepts: npm only warns (EBADENGINE) and only about the Node it runs on, so a
 * dependency that drops a Node line the project still claims would otherwise slip in unnoticed.
 * The same range check npm uses (semver) decides.
 *
 * `overrides` in package.json holds light-my-request (Fastify's `inject`, used by the fuzz
 * targets; Fastify asks for ^6.0.0) at 6.6.0: 6.8 moved to cookie 2, which requires Node 22.
 */
const root = resolve(import.meta.dirname, '../../..');
const declared = readJson(join(root, 'package.json')).engines?.node;

interface PackageJson {
  name?: string;
  version?: string;
  engines?: { node?: unknown };
}

function readJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}

/** Every installed package (nested `node_modules` included) that states a Node range. */
function installedEngines(): Array<{ where: string; version: string; node: string }> {
  const found: Array<{ where: string; version: string; node: string }> = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.name.startsWith('@')) {
        visit(path);
        continue;
      }
      const manifest = join(path, 'package.json');
      if (existsSync(manifest)) {
        const node = readJson(manifest).engines?.node;
        if (node !== undefined) {
          found.push({
            where: relative(root, path),
            version: String(readJson(manifest).version),
            node: String(node),
          });
        }
      }
      if (existsSync(join(path, 'node_modules'))) visit(join(path, 'node_modules'));
    }
  };
  visit(join(root, 'node_modules'));
  return found;
}

/** The packages whose Node range leaves out some version inside `ours`. */
function engineConflicts(
  ours: string,
  packages: Array<{ where: string; version: string; node: string }>,
): string[] {
  return packages
    .filter(({ node }) => semver.validRange(node) === null || !semver.subset(ours, node))
    .map(({ where, version, node }) => `${where}@${version} requires node ${node}`);
}

describe('engines.node in package.json', () => {
  it('is a valid range that the Node running the tests (as CI does) satisfies', () => {
    expect(typeof declared).toBe('string');
    expect(semver.validRange(declared as string)).not.toBeNull();
    expect(semver.satisfies(process.version, declared as string)).toBe(true);
  });

  it('is accepted by every installed package that states a Node range', () => {
    const packages = installedEngines();
    // The walk must have found the tree (hundreds of packages state a range).
    expect(packages.length).toBeGreaterThan(100);
    expect(engineConflicts(declared as string, packages)).toEqual([]);
  });

  it('reports a package whose range leaves out part of ours, and one with no valid range', () => {
    const packages = [
      { where: 'node_modules/fits', version: '1.0.0', node: '>=20.19' },
      { where: 'node_modules/newer', version: '2.0.0', node: '>=22' },
      { where: 'node_modules/garbled', version: '0.1.0', node: 'twenty' },
    ];
    expect(engineConflicts('^20.19.0 || >=22', packages)).toEqual([
      'node_modules/newer@2.0.0 requires node >=22',
      'node_modules/garbled@0.1.0 requires node twenty',
    ]);
  });
});
