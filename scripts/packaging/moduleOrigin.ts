/**
 * Where a module in a built bundle comes from, judged by its bundler module id alone. The ids
 * are what Vite/Rolldown report in an output chunk's `modules`: absolute file paths, possibly
 * with a query (`App.svelte?svelte&type=style&lang.css`), or virtual ids starting with `\0`.
 */

/** An npm package (the directory holding its package.json), bundler runtime, or our own code. */
export type ModuleOrigin =
  | { kind: 'package'; name: string; directory: string }
  | { kind: 'bundler-runtime'; name: 'vite' | 'rolldown' }
  | { kind: 'project' }
  | { kind: 'unknown' };

const nodeModulesSegment = '/node_modules/';

/**
 * The origin of one module id. A file under `node_modules` belongs to the package named by the
 * segments after the last `node_modules/` (one segment, or two for a `@scope/name`), so nested
 * and pnpm-style installs resolve to the copy that was really bundled. Virtual modules that Vite
 * and Rolldown inject (`\0vite/preload-helper.js`, `\0rolldown/runtime.js`) are their code too;
 * `\0sealpost-…` ids are the replacement modules defined in our own vite.config.ts.
 */
export function moduleOrigin(moduleId: string, projectRoot: string): ModuleOrigin {
  const isVirtual = moduleId.startsWith('\0');
  const withoutMarker = isVirtual ? moduleId.slice(1) : moduleId;
  const path = withoutQuery(withoutMarker).replaceAll('\\', '/');

  const lastNodeModules = path.lastIndexOf(nodeModulesSegment);
  if (lastNodeModules !== -1) {
    const packagePath = path.slice(lastNodeModules + nodeModulesSegment.length).split('/');
    const [first, second] = packagePath;
    const name = first?.startsWith('@') ? (second ? `${first}/${second}` : '') : (first ?? '');
    if (name === '' || name.startsWith('.')) return { kind: 'unknown' };
    return {
      kind: 'package',
      name,
      directory: path.slice(0, lastNodeModules + nodeModulesSegment.length) + name,
    };
  }

  if (isVirtual) {
    if (path.startsWith('vite/')) return { kind: 'bundler-runtime', name: 'vite' };
    if (path.startsWith('rolldown/')) return { kind: 'bundler-runtime', name: 'rolldown' };
    if (path.startsWith('sealpost-')) return { kind: 'project' };
    return { kind: 'unknown' };
  }

  const root = projectRoot.replaceAll('\\', '/').replace(/\/+$/, '');
  return path.startsWith(`${root}/`) ? { kind: 'project' } : { kind: 'unknown' };
}

/**
 * The project-relative file path of a module of our own, or undefined for virtual modules and
 * anything outside the project (used to check that every bundled source file is tracked by git).
 */
export function projectFileOf(moduleId: string, projectRoot: string): string | undefined {
  if (moduleId.startsWith('\0')) return undefined;
  const path = withoutQuery(moduleId).replaceAll('\\', '/');
  const root = projectRoot.replaceAll('\\', '/').replace(/\/+$/, '');
  if (!path.startsWith(`${root}/`) || path.includes(nodeModulesSegment)) return undefined;
  return path.slice(root.length + 1);
}

function withoutQuery(id: string): string {
  const queryStart = id.indexOf('?');
  return queryStart === -1 ? id : id.slice(0, queryStart);
}
