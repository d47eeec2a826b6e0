import { describe, expect, it } from 'vitest';
import {
  readPackageMetadata,
  repositoryUrlOf,
} from '../../../scripts/packaging/packageMetadata.ts';

describe('readPackageMetadata', () => {
  it('reads name, exact version, license and a browsable repository URL', () => {
    expect(
      readPackageMetadata(
        {
          name: 'openpgp',
          version: '6.3.2',
          license: 'LGPL-3.0+',
          repository: { type: 'git', url: 'git+https://github.com/openpgpjs/openpgpjs.git' },
        },
        'openpgp',
      ),
    ).toEqual({
      ok: true,
      metadata: {
        name: 'openpgp',
        version: '6.3.2',
        license: 'LGPL-3.0+',
        repository: 'https://github.com/openpgpjs/openpgpjs',
      },
    });
  });

  it('refuses a package without a version', () => {
    const result = readPackageMetadata({ name: 'x', license: 'MIT' }, 'x');
    expect(result).toEqual({ ok: false, reason: 'x: package.json has no version' });
    expect(readPackageMetadata({ name: 'x', version: ' ' }, 'x').ok).toBe(false);
  });

  it('refuses a package.json that names another package (a nested type-only package.json)', () => {
    const result = readPackageMetadata({ type: 'module' }, 'postal-mime');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('postal-mime');
    expect(readPackageMetadata(null, 'x').ok).toBe(false);
  });

  it('reads the legacy license forms and leaves an unstated license undefined', () => {
    const license = (fields: Record<string, unknown>) => {
      const result = readPackageMetadata({ name: 'x', version: '1.0.0', ...fields }, 'x');
      return result.ok ? result.metadata.license : 'failed';
    };
    expect(license({ license: { type: 'BSD-3-Clause' } })).toBe('BSD-3-Clause');
    expect(license({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe(
      '(MIT OR Apache-2.0)',
    );
    expect(license({ licenses: [{ type: 'ISC' }] })).toBe('ISC');
    expect(license({})).toBeUndefined();
  });

  it('falls back to the homepage when no repository is named', () => {
    const result = readPackageMetadata(
      { name: 'x', version: '1.0.0', homepage: 'https://example.org/x' },
      'x',
    );
    expect(result.ok && result.metadata.repository).toBe('https://example.org/x');
  });
});

describe('repositoryUrlOf', () => {
  it.each([
    ['git+https://github.com/cure53/DOMPurify.git', 'https://github.com/cure53/DOMPurify'],
    ['git://github.com/dankogai/js-base64.git', 'https://github.com/dankogai/js-base64'],
    ['git+ssh://git@github.com/owner/name.git', 'https://github.com/owner/name'],
    [
      'git@gitlab.com:catamphetamine/libphonenumber-js.git',
      'https://gitlab.com/catamphetamine/libphonenumber-js',
    ],
    ['github:sveltejs/svelte', 'https://github.com/sveltejs/svelte'],
    ['gitlab:owner/name', 'https://gitlab.com/owner/name'],
    ['owner/name', 'https://github.com/owner/name'],
    ['https://github.com/vitejs/vite', 'https://github.com/vitejs/vite'],
  ])('%s → %s', (repository, expected) => {
    expect(repositoryUrlOf(repository)).toBe(expected);
    expect(repositoryUrlOf({ type: 'git', url: repository })).toBe(expected);
  });

  it('gives nothing for what is not a URL', () => {
    expect(repositoryUrlOf(undefined)).toBeUndefined();
    expect(repositoryUrlOf('')).toBeUndefined();
    expect(repositoryUrlOf({ type: 'git' })).toBeUndefined();
    expect(repositoryUrlOf('see the README')).toBeUndefined();
  });
});
