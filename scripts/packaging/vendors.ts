import { moduleOrigin, type ModuleOrigin } from './moduleOrigin.ts';
import type { PackageMetadata } from './packageMetadata.ts';

/** One output file of a build (its path inside the xpi) and the modules whose code it holds. */
export interface BundleModules {
  bundle: string;
  moduleIds: readonly string[];
}

/** A third-party origin found in the bundles, before its package.json is read. */
export interface BundledOrigin {
  origin: Extract<ModuleOrigin, { kind: 'package' | 'bundler-runtime' }>;
  bundles: string[];
}

/**
 * Groups the modules of every bundle by where they come from: each npm package directory (two
 * copies of one package at different places stay apart, as they may differ in version) and each
 * bundler runtime, with the bundles that include it. Module ids that cannot be placed are
 * returned in `unplaced`, so the caller can refuse to write an incomplete list.
 */
export function groupBundledOrigins(
  bundles: readonly BundleModules[],
  projectRoot: string,
): { origins: BundledOrigin[]; unplaced: string[] } {
  const byKey = new Map<string, { origin: BundledOrigin['origin']; bundles: Set<string> }>();
  const unplaced: string[] = [];
  for (const { bundle, moduleIds } of bundles) {
    for (const moduleId of moduleIds) {
      const origin = moduleOrigin(moduleId, projectRoot);
      if (origin.kind === 'project') continue;
      if (origin.kind === 'unknown') {
        unplaced.push(moduleId);
        continue;
      }
      const key = origin.kind === 'package' ? origin.directory : `\0${origin.name}`;
      const entry = byKey.get(key) ?? { origin, bundles: new Set<string>() };
      entry.bundles.add(bundle);
      byKey.set(key, entry);
    }
  }
  return {
    origins: [...byKey.values()].map(({ origin, bundles: included }) => ({
      origin,
      bundles: [...included].sort(),
    })),
    unplaced,
  };
}

/** One row of VENDORS.md. */
export interface VendorEntry extends PackageMetadata {
  bundles: readonly string[];
  /** Why the package is there when its code is not imported by ours (bundler runtime). */
  note?: string;
}

/**
 * Merges entries that are the same package at the same version (found in two directories) and
 * sorts by name, then version, so the list reads the same on every run.
 */
export function mergeVendorEntries(entries: readonly VendorEntry[]): VendorEntry[] {
  const merged = new Map<string, VendorEntry>();
  for (const entry of entries) {
    const key = `${entry.name}@${entry.version}`;
    const existing = merged.get(key);
    merged.set(
      key,
      existing
        ? { ...existing, bundles: [...new Set([...existing.bundles, ...entry.bundles])].sort() }
        : { ...entry, bundles: [...entry.bundles].sort() },
    );
  }
  return [...merged.values()].sort(
    (a, b) => compareText(a.name, b.name) || compareText(a.version, b.version),
  );
}

/** The npm registry page of one exact version. */
export function npmPageUrl(name: string, version: string): string {
  return `https://www.npmjs.com/package/${name}/v/${encodeURIComponent(version)}`;
}

/**
 * VENDORS.md: every third-party package whose code is in the add-on, with its exact version,
 * license, where to get that version, and which bundles include it.
 */
export function renderVendorsMarkdown(input: {
  addonName: string;
  addonVersion: string;
  vendors: readonly VendorEntry[];
}): string {
  const rows = input.vendors.map((vendor) => [
    `\`${vendor.name}\``,
    vendor.version,
    vendor.license ?? 'not stated in its package.json',
    npmPageUrl(vendor.name, vendor.version),
    vendor.repository ?? '',
    [...vendor.bundles.map((bundle) => `\`${bundle}\``), ...(vendor.note ? [vendor.note] : [])]
      .join(', ')
      .trim(),
  ]);
  const table = [
    '| Package | Version | License | Source | Repository | Included in |',
    '| ------- | ------- | ------- | ------ | ---------- | ----------- |',
    ...rows.map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`),
  ];
  return [
    `# Third-party code in ${input.addonName} ${input.addonVersion}`,
    '',
    `The ${input.addonName} add-on bundles the npm packages below, at exactly these versions.`,
    'This list is computed by `npm run package` from the module graph of the production builds',
    '(Vite with Rolldown, the same configuration as `npm run build`): a package is listed when',
    'code from it is in an output file. Everything else in the add-on is its own source, which',
    'is in the source archive. The bundles are minified; the original files are those of the',
    'packages at the versions listed, installed by `npm ci` from `package-lock.json`. The few',
    'modules the build replaces are defined, with the reason, in `vite.config.ts`.',
    '',
    `${input.vendors.length} packages.`,
    '',
    ...table,
    '',
  ].join('\n');
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
