import { describe, expect, it } from 'vitest';
import {
  groupBundledOrigins,
  mergeVendorEntries,
  npmPageUrl,
  renderVendorsMarkdown,
  type VendorEntry,
} from '../../../scripts/packaging/vendors.ts';

const root = '/p';

describe('groupBundledOrigins', () => {
  it('lists each package and bundler runtime once, with every bundle that includes it', () => {
    const { origins, unplaced } = groupBundledOrigins(
      [
        {
          bundle: 'background.js',
          moduleIds: [
            '/p/src/background/index.ts',
            '/p/node_modules/openpgp/dist/openpgp.min.mjs',
            '/p/node_modules/openpgp/dist/other.mjs',
            '\0rolldown/runtime.js',
          ],
        },
        {
          bundle: 'reader/secure-message.html',
          moduleIds: ['/p/node_modules/openpgp/dist/lightweight/openpgp.min.mjs', '\0sealpost-x'],
        },
        { bundle: 'assets/a.js', moduleIds: ['/p/node_modules/@zxcvbn-ts/core/dist/index.mjs'] },
      ],
      root,
    );
    expect(unplaced).toEqual([]);
    expect(origins).toEqual([
      {
        origin: { kind: 'package', name: 'openpgp', directory: '/p/node_modules/openpgp' },
        bundles: ['background.js', 'reader/secure-message.html'],
      },
      { origin: { kind: 'bundler-runtime', name: 'rolldown' }, bundles: ['background.js'] },
      {
        origin: {
          kind: 'package',
          name: '@zxcvbn-ts/core',
          directory: '/p/node_modules/@zxcvbn-ts/core',
        },
        bundles: ['assets/a.js'],
      },
    ]);
  });

  it('keeps two installed copies of one package apart (they may differ in version)', () => {
    const { origins } = groupBundledOrigins(
      [
        {
          bundle: 'background.js',
          moduleIds: [
            '/p/node_modules/js-base64/base64.mjs',
            '/p/node_modules/mimetext/node_modules/js-base64/base64.mjs',
          ],
        },
      ],
      root,
    );
    expect(origins.map(({ origin }) => origin.kind === 'package' && origin.directory)).toEqual([
      '/p/node_modules/js-base64',
      '/p/node_modules/mimetext/node_modules/js-base64',
    ]);
  });

  it('returns the modules it cannot place instead of dropping them', () => {
    const { origins, unplaced } = groupBundledOrigins(
      [{ bundle: 'background.js', moduleIds: ['\0commonjsHelpers.js', '/elsewhere/x.js'] }],
      root,
    );
    expect(origins).toEqual([]);
    expect(unplaced).toEqual(['\0commonjsHelpers.js', '/elsewhere/x.js']);
  });
});

const entry = (name: string, version: string, bundles: string[]): VendorEntry => ({
  name,
  version,
  license: 'MIT',
  repository: undefined,
  bundles,
});

describe('mergeVendorEntries', () => {
  it('merges one package at one version found twice and sorts by name, then version', () => {
    expect(
      mergeVendorEntries([
        entry('svelte', '5.0.0', ['b.js']),
        entry('js-base64', '3.9.7', ['background.js']),
        entry('js-base64', '3.7.0', ['background.js']),
        entry('svelte', '5.0.0', ['a.js', 'b.js']),
      ]).map(({ name, version, bundles }) => `${name}@${version} ${bundles.join(',')}`),
    ).toEqual([
      'js-base64@3.7.0 background.js',
      'js-base64@3.9.7 background.js',
      'svelte@5.0.0 a.js,b.js',
    ]);
  });
});

describe('renderVendorsMarkdown', () => {
  const markdown = renderVendorsMarkdown({
    addonName: 'Sealpost',
    addonVersion: '1.2.3',
    vendors: [
      {
        name: '@zxcvbn-ts/core',
        version: '4.2.0',
        license: 'MIT',
        repository: 'https://github.com/zxcvbn-ts/zxcvbn',
        bundles: ['assets/accessCode-X.js', 'reader/secure-message.html'],
      },
      {
        name: 'vite',
        version: '8.3.8',
        license: undefined,
        repository: undefined,
        bundles: ['background.js'],
        note: 'runtime helpers the bundler adds',
      },
      {
        name: 'odd',
        version: '1.0.0',
        license: 'MIT | Apache',
        repository: undefined,
        bundles: ['x.js'],
      },
    ],
  });
  const rows = markdown.split('\n').filter((line) => line.startsWith('| `'));

  it('has one table row per package with its exact version, npm page and bundles', () => {
    expect(markdown).toContain('# Third-party code in Sealpost 1.2.3');
    expect(markdown).toContain('3 packages.');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toBe(
      '| `@zxcvbn-ts/core` | 4.2.0 | MIT | https://www.npmjs.com/package/@zxcvbn-ts/core/v/4.2.0 | https://github.com/zxcvbn-ts/zxcvbn | `assets/accessCode-X.js`, `reader/secure-message.html` |',
    );
  });

  it('says when a license is not stated and why a bundler is listed', () => {
    expect(rows[1]).toContain('| not stated in its package.json |');
    expect(rows[1]).toContain('`background.js`, runtime helpers the bundler adds |');
  });

  it('keeps a table cell from breaking the table', () => {
    expect(rows[2]).toContain('| MIT \\| Apache |');
    expect(rows[2]?.split(' | ')).toHaveLength(6);
  });
});

describe('npmPageUrl', () => {
  it('points at the exact version on npmjs.com, scoped names included', () => {
    expect(npmPageUrl('@babel/runtime-corejs3', '7.29.14')).toBe(
      'https://www.npmjs.com/package/@babel/runtime-corejs3/v/7.29.14',
    );
    expect(npmPageUrl('svelte', '5.57.3')).toBe('https://www.npmjs.com/package/svelte/v/5.57.3');
  });
});
