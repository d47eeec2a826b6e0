/** What VENDORS.md states about one npm package, read from its package.json. */
export interface PackageMetadata {
  name: string;
  version: string;
  /** SPDX expression as the package states it, or undefined when it states none. */
  license: string | undefined;
  /** A browsable https URL of its repository (or homepage), when it names one. */
  repository: string | undefined;
}

/**
 * Reads name, version, license and repository from a parsed package.json. A package without a
 * version, or whose package.json names a different package than the directory it was found in,
 * cannot be listed honestly, so that is a failure value.
 */
export function readPackageMetadata(
  manifest: unknown,
  expectedName: string,
): { ok: true; metadata: PackageMetadata } | { ok: false; reason: string } {
  if (typeof manifest !== 'object' || manifest === null) {
    return { ok: false, reason: `${expectedName}: package.json is not an object` };
  }
  const fields = manifest as Record<string, unknown>;
  if (fields.name !== expectedName) {
    return {
      ok: false,
      reason: `${expectedName}: package.json names ${JSON.stringify(fields.name)} instead`,
    };
  }
  if (typeof fields.version !== 'string' || fields.version.trim() === '') {
    return { ok: false, reason: `${expectedName}: package.json has no version` };
  }
  return {
    ok: true,
    metadata: {
      name: expectedName,
      version: fields.version,
      license: licenseOf(fields),
      repository: repositoryUrlOf(fields.repository) ?? httpsUrl(fields.homepage),
    },
  };
}

/** `license` as a string or a legacy `{type}` object, or the legacy `licenses` array. */
function licenseOf(fields: Record<string, unknown>): string | undefined {
  const typeOf = (value: unknown): string | undefined => {
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'object' && value !== null) {
      const type = (value as Record<string, unknown>).type;
      if (typeof type === 'string' && type.trim() !== '') return type.trim();
    }
    return undefined;
  };
  const license = typeOf(fields.license);
  if (license) return license;
  if (Array.isArray(fields.licenses)) {
    const types = fields.licenses.map(typeOf).filter((type) => type !== undefined);
    if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return undefined;
}

/**
 * npm's `repository` as a browsable URL: `git+https://…/x.git` and `git://…` become
 * `https://…/x`, and the `github:owner/name` or bare `owner/name` shorthands become GitHub URLs.
 */
export function repositoryUrlOf(repository: unknown): string | undefined {
  const raw =
    typeof repository === 'string'
      ? repository
      : typeof repository === 'object' && repository !== null
        ? (repository as Record<string, unknown>).url
        : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const value = raw.trim();
  const shorthand = /^(?:(github|gitlab|bitbucket):)?([\w.-]+\/[\w.-]+)$/.exec(value);
  if (shorthand) {
    const host = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' }[
      (shorthand[1] ?? 'github') as 'github' | 'gitlab' | 'bitbucket'
    ];
    return `https://${host}/${shorthand[2]}`;
  }
  const sshScp = /^git@([\w.-]+):(.+)$/.exec(value);
  const url = sshScp
    ? `https://${sshScp[1]}/${sshScp[2]}`
    : value.replace(/^git\+/, '').replace(/^(git|ssh):\/\/(git@)?/, 'https://');
  return httpsUrl(url.replace(/\.git$/, ''));
}

function httpsUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^https?:\/\/[^\s|]+$/.test(value.trim()) ? value.trim() : undefined;
}
