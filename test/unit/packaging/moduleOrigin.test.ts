import { describe, expect, it } from 'vitest';
import { moduleOrigin, projectFileOf } from '../../../scripts/packaging/moduleOrigin.ts';

const root = '/work/project';

describe('moduleOrigin', () => {
  it('names the package of a file under node_modules and the directory holding its package.json', () => {
    expect(moduleOrigin('/work/project/node_modules/dompurify/dist/purify.es.mjs', root)).toEqual({
      kind: 'package',
      name: 'dompurify',
      directory: '/work/project/node_modules/dompurify',
    });
  });

  it('takes two segments for a scoped package', () => {
    expect(
      moduleOrigin('/work/project/node_modules/@zxcvbn-ts/core/dist/data/const.mjs', root),
    ).toEqual({
      kind: 'package',
      name: '@zxcvbn-ts/core',
      directory: '/work/project/node_modules/@zxcvbn-ts/core',
    });
  });

  it('attributes a nested install to the innermost package, the copy that was bundled', () => {
    expect(
      moduleOrigin('/work/project/node_modules/mimetext/node_modules/js-base64/base64.mjs', root),
    ).toEqual({
      kind: 'package',
      name: 'js-base64',
      directory: '/work/project/node_modules/mimetext/node_modules/js-base64',
    });
    expect(
      moduleOrigin(
        '/work/project/node_modules/.pnpm/@babel+runtime@7.0.0/node_modules/@babel/runtime/helpers/x.js',
        root,
      ),
    ).toMatchObject({ kind: 'package', name: '@babel/runtime' });
  });

  it('ignores queries and the virtual marker around a package file', () => {
    expect(
      moduleOrigin(
        '\0/work/project/node_modules/core-js-pure/internals/fails.js?commonjs-proxy',
        root,
      ),
    ).toEqual({
      kind: 'package',
      name: 'core-js-pure',
      directory: '/work/project/node_modules/core-js-pure',
    });
  });

  it('reads Windows paths too', () => {
    expect(
      moduleOrigin('C:\\project\\node_modules\\@scope\\name\\index.js', 'C:\\project'),
    ).toEqual({
      kind: 'package',
      name: '@scope/name',
      directory: 'C:/project/node_modules/@scope/name',
    });
  });

  it('recognises the runtime modules Vite and Rolldown inject', () => {
    expect(moduleOrigin('\0vite/preload-helper.js', root)).toEqual({
      kind: 'bundler-runtime',
      name: 'vite',
    });
    expect(moduleOrigin('\0vite/modulepreload-polyfill.js', root)).toEqual({
      kind: 'bundler-runtime',
      name: 'vite',
    });
    expect(moduleOrigin('\0rolldown/runtime.js', root)).toEqual({
      kind: 'bundler-runtime',
      name: 'rolldown',
    });
  });

  it("counts the project's files and its own vite.config replacement modules as the project", () => {
    expect(
      moduleOrigin('/work/project/src/popup/App.svelte?svelte&type=style&lang.css', root),
    ).toEqual({
      kind: 'project',
    });
    expect(moduleOrigin('\0sealpost-reader-unsupported', root)).toEqual({ kind: 'project' });
  });

  it('does not place what it cannot attribute, so the list cannot silently miss code', () => {
    expect(moduleOrigin('\0commonjsHelpers.js', root)).toEqual({ kind: 'unknown' });
    expect(moduleOrigin('/work/project-other/src/x.ts', root)).toEqual({ kind: 'unknown' });
    expect(moduleOrigin('/usr/lib/x.js', root)).toEqual({ kind: 'unknown' });
    expect(moduleOrigin('/work/project/node_modules/@scope', root)).toEqual({ kind: 'unknown' });
    expect(moduleOrigin('/work/project/node_modules/.vite/deps/x.js', root)).toEqual({
      kind: 'unknown',
    });
  });
});

describe('projectFileOf', () => {
  it('gives the project-relative path of a source file, without its query', () => {
    expect(
      projectFileOf('/work/project/src/popup/App.svelte?svelte&type=style&lang.css', root),
    ).toBe('src/popup/App.svelte');
    expect(projectFileOf('/work/project/src/background/index.ts', `${root}/`)).toBe(
      'src/background/index.ts',
    );
  });

  it('gives nothing for virtual modules, packages and files elsewhere', () => {
    expect(projectFileOf('\0sealpost-reader-unsupported', root)).toBeUndefined();
    expect(projectFileOf('/work/project/node_modules/svelte/src/index.js', root)).toBeUndefined();
    expect(projectFileOf('/work/projectile/src/index.ts', root)).toBeUndefined();
  });
});
