/**
 * `npm run package`: a release for organisations and for addons.thunderbird.net review.
 * Runs `npm run build`, then writes into dist/release:
 *   sealpost-<version>.xpi          the add-on (a copy of dist/sealpost.xpi)
 *   sealpost-<version>-source.zip   every git-tracked file plus BUILD.md (how to rebuild) and
 *                                   VENDORS.md, in a folder sealpost-<version>/
 *   VENDORS.md                      the third-party packages bundled into the add-on, computed
 *                                   from the builds' module graph, with exact versions
 *   SHA256SUMS                      checksums of the three files above (`sha256sum -c`)
 * It refuses to package when the two version fields disagree, when a bundled source file is not
 * tracked by git (the source archive could not rebuild the add-on), or when the built files differ
 * from an in-memory build of the same sources (sources edited while packaging).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { release as kernelRelease, type as kernelName, machine } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import JSZip from 'jszip';
import { analyseBuilds } from './packaging/bundleAnalysis.ts';
import { projectFileOf } from './packaging/moduleOrigin.ts';
import { readPackageMetadata } from './packaging/packageMetadata.ts';
import {
  formatSha256Sums,
  releaseFileNames,
  releaseVersion,
  renderBuildInstructions,
  type BuildEnvironment,
} from './packaging/release.ts';
import {
  groupBundledOrigins,
  mergeVendorEntries,
  renderVendorsMarkdown,
  type BundledOrigin,
  type VendorEntry,
} from './packaging/vendors.ts';

const root = resolve(import.meta.dirname, '..');
const dist = resolve(root, 'dist');
const releaseDirectory = resolve(dist, 'release');
const warnings: string[] = [];

function fail(message: string): never {
  console.error(`package: ${message}`);
  process.exit(1);
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    fail(`${command} ${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
  }
  return result.stdout;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Relative paths (with `/`) of every file below a directory. */
function listFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Node's own lookup: the nearest `node_modules/<name>` from a directory upwards. */
function packageDirectoryFrom(startDirectory: string, name: string): string {
  for (let directory = startDirectory; ; directory = dirname(directory)) {
    const candidate = join(directory, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(directory) === directory) fail(`cannot find the installed package ${name}`);
  }
}

function operatingSystem(): string {
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const prettyName = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1];
  return `${prettyName ?? `${kernelName()} ${kernelRelease()}`}, ${machine()}`;
}

// A release is a production build, also when started from a shell or test runner that set
// NODE_ENV otherwise (Vite would then compile Svelte in development mode).
process.env.NODE_ENV = 'production';

// 1. One version, stated identically in both places.
const manifest = readJson(resolve(root, 'extension/manifest.json')) as Record<string, unknown>;
const packageJson = readJson(resolve(root, 'package.json')) as Record<string, unknown>;
const versionCheck = releaseVersion(manifest.version, packageJson.version);
if (!versionCheck.ok) fail(versionCheck.reason);
const version = versionCheck.version;
const names = releaseFileNames(version);

// 2. The normal build, exactly as `npm run build` does it.
const buildResult = spawnSync('npm', ['run', '--silent', 'build'], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
if (buildResult.status !== 0) fail('npm run build failed');

// 3. The same builds in memory, for their module graph.
const analysis = await analyseBuilds(root);
const builtFiles = listFiles(resolve(dist, 'extension'));
const publicFiles = listFiles(resolve(root, 'extension'));

// 4. The source archive must be able to rebuild this: every source the build read is tracked.
const trackedEntries = run('git', ['ls-files', '--stage', '-z'])
  .split('\0')
  .filter((line) => line !== '')
  .map((line) => {
    const [info = '', path = ''] = line.split('\t');
    return { mode: info.split(' ')[0] ?? '', path };
  });
const tracked = new Set(trackedEntries.map((entry) => entry.path));
const untrackedSources = [
  ...analysis.loadedModuleIds.map((moduleId) => projectFileOf(moduleId, root)),
  ...publicFiles.map((file) => `extension/${file}`),
].filter((file): file is string => file !== undefined && !tracked.has(file));
if (untrackedSources.length > 0) {
  fail(
    `the build uses files git does not track, so the source archive could not rebuild it; commit them first:\n  ${[...new Set(untrackedSources)].join('\n  ')}`,
  );
}

// 5. The module graph describes the files that were shipped: the in-memory outputs equal
//    dist/extension byte for byte, and dist/extension holds nothing else but the public files.
const expectedFiles = new Set([...analysis.files.keys(), ...publicFiles]);
const unexplained = builtFiles.filter((file) => !expectedFiles.has(file));
const missing = [...expectedFiles].filter((file) => !builtFiles.includes(file));
const differing = [...analysis.files].filter(
  ([file, bytes]) =>
    builtFiles.includes(file) &&
    sha256(readFileSync(resolve(dist, 'extension', file))) !== sha256(bytes),
);
if (unexplained.length > 0 || missing.length > 0 || differing.length > 0) {
  fail(
    [
      'dist/extension does not match an in-memory build of the same sources (were files edited while packaging? run it again):',
      ...unexplained.map((file) => `  not from the build: ${file}`),
      ...missing.map((file) => `  missing: ${file}`),
      ...differing.map(([file]) => `  different: ${file}`),
    ].join('\n'),
  );
}

// 6. The xpi holds exactly dist/extension.
const xpiBytes = readFileSync(resolve(dist, 'sealpost.xpi'));
const xpi = await JSZip.loadAsync(xpiBytes);
const xpiFiles = Object.values(xpi.files).filter((entry) => !entry.dir);
const xpiMismatch =
  xpiFiles.length !== builtFiles.length ||
  (
    await Promise.all(
      xpiFiles.map(
        async (entry) =>
          builtFiles.includes(entry.name) &&
          sha256(await entry.async('uint8array')) ===
            sha256(readFileSync(resolve(dist, 'extension', entry.name))),
      ),
    )
  ).includes(false);
if (xpiMismatch) fail('dist/sealpost.xpi does not hold exactly the files of dist/extension');

// 7. VENDORS.md from the module graph.
const { origins, unplaced } = groupBundledOrigins(analysis.bundles, root);
if (unplaced.length > 0) {
  fail(`cannot tell where these bundled modules come from:\n  ${unplaced.join('\n  ')}`);
}
const viteDirectory = packageDirectoryFrom(root, 'vite');
function vendorEntryOf({ origin, bundles }: BundledOrigin): VendorEntry {
  const directory =
    origin.kind === 'package'
      ? origin.directory
      : origin.name === 'vite'
        ? viteDirectory
        : packageDirectoryFrom(viteDirectory, origin.name);
  const read = readPackageMetadata(readJson(join(directory, 'package.json')), origin.name);
  if (!read.ok) fail(`cannot list a bundled package: ${read.reason} (${directory})`);
  if (read.metadata.license === undefined) {
    warnings.push(`${origin.name} ${read.metadata.version} states no license`);
  }
  return origin.kind === 'bundler-runtime'
    ? { ...read.metadata, bundles, note: 'runtime helpers the bundler adds' }
    : { ...read.metadata, bundles };
}
const vendors = mergeVendorEntries(origins.map(vendorEntryOf));
const vendorsMarkdown = renderVendorsMarkdown({
  addonName: 'Sealpost',
  addonVersion: version,
  vendors,
});

// 8. The source archive: the tracked files as they are in the working tree (what was built).
const commit = run('git', ['rev-parse', 'HEAD']).trim();
const commitDate = new Date(run('git', ['log', '-1', '--format=%cI']).trim());
const changedTracked = run('git', ['status', '--porcelain', '--untracked-files=no']).trim();
if (changedTracked !== '') {
  warnings.push(
    `tracked files differ from commit ${commit.slice(0, 12)}; the source archive holds the working tree, which is what was built:\n    ${changedTracked.split('\n').join('\n    ')}`,
  );
}
const npmVersion = run('npm', ['--version']).trim();
const environment: BuildEnvironment = {
  operatingSystem: operatingSystem(),
  nodeVersion: process.version,
  npmVersion,
  nodeEngines: (packageJson.engines as Record<string, string> | undefined)?.node,
  commit,
  workingTreeChanged: changedTracked !== '',
};
const sourceFolder = `sealpost-${version}`;
const buildInstructions = renderBuildInstructions({ version, sourceFolder, environment });
const archive = new JSZip();
// Fixed dates and a sorted order: the same tree gives the same archive, byte for byte.
const archiveEntry = { date: commitDate, createFolders: false };
for (const { mode, path } of [...trackedEntries].sort((a, b) => (a.path < b.path ? -1 : 1))) {
  if (path === 'BUILD.md' || path === 'VENDORS.md') {
    fail(`${path} is tracked, but the source archive writes its own ${path}`);
  }
  const file = resolve(root, path);
  if (!existsSync(file)) {
    warnings.push(`tracked file deleted in the working tree, left out of the archive: ${path}`);
    continue;
  }
  if (mode === '120000' || lstatSync(file).isSymbolicLink() || mode === '160000') {
    fail(`${path} is a symbolic link or submodule; the source archive supports plain files only`);
  }
  archive.file(`${sourceFolder}/${path}`, readFileSync(file), {
    ...archiveEntry,
    unixPermissions: mode === '100755' ? 0o100755 : 0o100644,
  });
}
archive.file(`${sourceFolder}/BUILD.md`, buildInstructions, {
  ...archiveEntry,
  unixPermissions: 0o100644,
});
archive.file(`${sourceFolder}/VENDORS.md`, vendorsMarkdown, {
  ...archiveEntry,
  unixPermissions: 0o100644,
});
const archiveBytes = await archive.generateAsync({
  type: 'nodebuffer',
  platform: 'UNIX',
  compression: 'DEFLATE',
  compressionOptions: { level: 9 },
});

// 9. Write the release.
rmSync(releaseDirectory, { recursive: true, force: true });
mkdirSync(releaseDirectory, { recursive: true });
copyFileSync(resolve(dist, 'sealpost.xpi'), resolve(releaseDirectory, names.xpi));
writeFileSync(resolve(releaseDirectory, names.sourceArchive), archiveBytes);
writeFileSync(resolve(releaseDirectory, names.vendors), vendorsMarkdown);
const released = [names.xpi, names.sourceArchive, names.vendors];
writeFileSync(
  resolve(releaseDirectory, names.checksums),
  formatSha256Sums(
    released.map((fileName) => ({
      fileName,
      sha256: sha256(readFileSync(resolve(releaseDirectory, fileName))),
    })),
  ),
);

for (const warning of warnings) console.warn(`package: warning: ${warning}`);
console.log(`package: Sealpost ${version} in dist/release`);
for (const fileName of [...released, names.checksums]) {
  const size = statSync(resolve(releaseDirectory, fileName)).size;
  console.log(`  ${fileName.padEnd(32)} ${size.toLocaleString('en').padStart(12)} bytes`);
}
console.log(
  `  ${vendors.length} third-party packages in ${analysis.bundles.length} bundles; ${trackedEntries.length} tracked files in the source archive`,
);
