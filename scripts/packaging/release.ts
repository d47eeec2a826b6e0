/** Pure parts of `npm run package`: names, the version check, SHA256SUMS and BUILD.md. */

/** The files `npm run package` writes into dist/release for one version. */
export function releaseFileNames(version: string): {
  xpi: string;
  sourceArchive: string;
  vendors: string;
  checksums: string;
} {
  return {
    xpi: `sealpost-${version}.xpi`,
    sourceArchive: `sealpost-${version}-source.zip`,
    vendors: 'VENDORS.md',
    checksums: 'SHA256SUMS',
  };
}

/**
 * The release version: extension/manifest.json and package.json must state the same one, in the
 * dotted-numbers form Thunderbird compares for updates (also safe in a file name).
 */
export function releaseVersion(
  manifestVersion: unknown,
  packageVersion: unknown,
): { ok: true; version: string } | { ok: false; reason: string } {
  if (typeof manifestVersion !== 'string' || !/^\d+(\.\d+){0,3}$/.test(manifestVersion)) {
    return {
      ok: false,
      reason: `extension/manifest.json "version" must be 1 to 4 dot-separated numbers, found ${JSON.stringify(manifestVersion)}`,
    };
  }
  if (manifestVersion !== packageVersion) {
    return {
      ok: false,
      reason: `extension/manifest.json has version ${manifestVersion} but package.json has ${JSON.stringify(packageVersion)}; set both to the release version`,
    };
  }
  return { ok: true, version: manifestVersion };
}

/**
 * SHA256SUMS in the format of GNU `sha256sum` (hash, two spaces, file name), sorted by name, so
 * `sha256sum -c SHA256SUMS` checks the release.
 */
export function formatSha256Sums(files: readonly { fileName: string; sha256: string }[]): string {
  for (const { fileName, sha256 } of files) {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
    if (fileName === '' || /[\n\\]/.test(fileName)) {
      throw new Error(`file name not representable in SHA256SUMS: ${JSON.stringify(fileName)}`);
    }
  }
  return [...files]
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0))
    .map(({ fileName, sha256 }) => `${sha256}  ${fileName}\n`)
    .join('');
}

/** What the packaging machine was, stated in BUILD.md. */
export interface BuildEnvironment {
  operatingSystem: string;
  nodeVersion: string;
  npmVersion: string;
  /** package.json "engines.node". */
  nodeEngines: string | undefined;
  /** The git commit the tracked files were taken from, and whether they differed from it. */
  commit: string;
  workingTreeChanged: boolean;
}

/**
 * BUILD.md for addons.thunderbird.net reviewers: how to rebuild the submitted xpi from the
 * source archive, on the system and tool versions the release was made with.
 */
export function renderBuildInstructions(input: {
  version: string;
  sourceFolder: string;
  environment: BuildEnvironment;
}): string {
  const { version, sourceFolder, environment } = input;
  const names = releaseFileNames(version);
  const commit = environment.workingTreeChanged
    ? `git commit ${environment.commit} plus uncommitted changes in the working tree`
    : `git commit ${environment.commit}`;
  return [
    `# Building Sealpost ${version} from source`,
    '',
    `This archive holds the complete source of the Sealpost add-on ${version}: every file tracked`,
    `in its git repository, from ${commit}.`,
    `The add-on file submitted for review, \`${names.xpi}\`, was built from exactly these`,
    'files with the steps below.',
    '',
    '## Build environment of this release',
    '',
    `- Operating system: ${environment.operatingSystem}`,
    `- Node.js: ${environment.nodeVersion} (package.json \`engines.node\`: \`${environment.nodeEngines ?? 'not set'}\`)`,
    `- npm: ${environment.npmVersion}`,
    '',
    'No other tools are needed: the build runs entirely on Node.js with the packages that',
    '`npm ci` installs.',
    '',
    '## Steps',
    '',
    `1. Install Node.js ${environment.nodeVersion} (it brings npm; to use the same npm:`,
    `   \`npm install --global npm@${environment.npmVersion}\`).`,
    '2. Unpack the archive and enter its folder:',
    '   ```sh',
    `   unzip sealpost-${version}-source.zip`,
    `   cd ${sourceFolder}`,
    '   ```',
    '3. Install the exact dependency versions recorded in `package-lock.json`:',
    '   ```sh',
    '   npm ci',
    '   ```',
    '4. Build:',
    '   ```sh',
    '   npm run build',
    '   ```',
    '   This runs `scripts/build.ts`: Vite builds the recipient reader',
    '   (`dist/reader/secure-message.html`) and the add-on (`dist/extension/`, with the reader',
    '   copied into `dist/extension/reader/`), then web-ext packs `dist/extension/` into',
    '   `dist/sealpost.xpi`.',
    '',
    '## Result',
    '',
    `\`dist/sealpost.xpi\` is the add-on. Its files are identical to those in the submitted`,
    `\`${names.xpi}\`; the two zip files themselves differ only in the file dates stored`,
    'inside them. To compare the contents:',
    '',
    '```sh',
    'mkdir submitted',
    `unzip -q /path/to/${names.xpi} -d submitted`,
    'diff -r submitted dist/extension && echo identical',
    '```',
    '',
    'The build minifies the code and does not obfuscate it. Third-party packages bundled into',
    'the add-on, with their exact versions, are listed in `VENDORS.md` (also in this archive).',
    '',
  ].join('\n');
}
