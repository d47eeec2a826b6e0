/**
 * Runs the project's two Vite builds (the add-on and the reader, from vite.config.ts) in memory,
 * without writing anything, and reports which modules each output file holds and the output
 * files' bytes. `npm run package` lists the third-party code from this module graph and checks
 * the bytes against what `npm run build` wrote, so the list describes the files really shipped.
 */
import { resolve } from 'node:path';
import { build, type Plugin, type Rolldown } from 'vite';
import type { BundleModules } from './vendors.ts';

/** The modules and output files of both builds, with paths as they are inside the xpi. */
export interface BuildAnalysis {
  /** Per output file, the modules that contribute code to it (rendered length above zero). */
  bundles: BundleModules[];
  /** Every module id the builds loaded, tree-shaken or not (to check all sources are tracked). */
  loadedModuleIds: string[];
  /** Output path inside the xpi → bytes, as the build produced them. */
  files: Map<string, Uint8Array>;
}

/** The reader build's single HTML file, copied to this path inside the add-on by build.ts. */
const readerPathInAddon = 'reader/secure-message.html';

/**
 * Builds both Vite configurations in memory. The reader's JavaScript is inlined into its HTML by
 * vite-plugin-singlefile in a late `generateBundle` step, so the module lists are taken in an
 * early one, before that plugin removes the chunks.
 */
export async function analyseBuilds(projectRoot: string): Promise<BuildAnalysis> {
  const analysis: BuildAnalysis = { bundles: [], loadedModuleIds: [], files: new Map() };
  const loaded = new Set<string>();
  for (const mode of ['production', 'reader'] as const) {
    const pathInAddon = (fileName: string) => (mode === 'reader' ? readerPathInAddon : fileName);
    const recorder: Plugin = {
      name: 'sealpost-package-module-recorder',
      generateBundle: {
        order: 'pre',
        handler(_options, bundle) {
          for (const item of Object.values(bundle)) {
            if (item.type !== 'chunk') continue;
            for (const moduleId of Object.keys(item.modules)) loaded.add(moduleId);
            analysis.bundles.push({
              bundle: pathInAddon(item.fileName),
              moduleIds: Object.entries(item.modules)
                .filter(([, module]) => module.renderedLength > 0)
                .map(([moduleId]) => moduleId),
            });
          }
        },
      },
    };
    const result = await build({
      configFile: resolve(projectRoot, 'vite.config.ts'),
      mode,
      logLevel: 'warn',
      plugins: [recorder],
      build: { write: false },
    });
    for (const output of outputsOf(result)) {
      for (const item of output.output) {
        const bytes =
          item.type === 'chunk'
            ? new TextEncoder().encode(item.code)
            : typeof item.source === 'string'
              ? new TextEncoder().encode(item.source)
              : item.source;
        const path = mode === 'reader' ? `reader/${item.fileName}` : item.fileName;
        analysis.files.set(path, bytes);
      }
    }
  }
  // Vite drops a chunk that only carried CSS (a page's shared stylesheet) after this step: it
  // renders no code, so it has nothing to list and no file of its own.
  analysis.bundles = analysis.bundles.filter(
    ({ bundle, moduleIds }) => analysis.files.has(bundle) || moduleIds.length > 0,
  );
  analysis.loadedModuleIds = [...loaded].sort();
  return analysis;
}

function outputsOf(result: Awaited<ReturnType<typeof build>>): Rolldown.RolldownOutput[] {
  const outputs = Array.isArray(result) ? result : [result];
  return outputs.map((output) => {
    if (!('output' in output)) throw new Error('vite build returned a watcher, not an output');
    return output;
  });
}
