import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatSha256Sums,
  releaseFileNames,
  releaseVersion,
  renderBuildInstructions,
  type BuildEnvironment,
} from '../../../scripts/packaging/release.ts';

describe('releaseVersion', () => {
  it('accepts the same dotted version in manifest.json and package.json', () => {
    expect(releaseVersion('0.1.0', '0.1.0')).toEqual({ ok: true, version: '0.1.0' });
    expect(releaseVersion('2', '2')).toEqual({ ok: true, version: '2' });
  });

  it('refuses versions that disagree, naming both', () => {
    const result = releaseVersion('0.2.0', '0.1.0');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('0.2.0');
    expect(!result.ok && result.reason).toContain('"0.1.0"');
  });

  it('refuses a manifest version Thunderbird would not compare or a file name could not hold', () => {
    for (const version of ['0.1.0-beta', '../1', '1.2.3.4.5', '', undefined, 1]) {
      expect(releaseVersion(version, version).ok).toBe(false);
    }
  });
});

describe('releaseFileNames', () => {
  it('names the xpi and source archive after the version', () => {
    expect(releaseFileNames('1.4.0')).toEqual({
      xpi: 'sealpost-1.4.0.xpi',
      sourceArchive: 'sealpost-1.4.0-source.zip',
      vendors: 'VENDORS.md',
      checksums: 'SHA256SUMS',
    });
  });
});

describe('formatSha256Sums', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  it('is read by GNU sha256sum -c', () => {
    const directory = mkdtempSync(join(tmpdir(), 'sealpost-sums-'));
    try {
      const files = { 'b.xpi': 'add-on bytes', 'a-source.zip': 'source bytes', 'VENDORS.md': '#' };
      for (const [name, content] of Object.entries(files)) {
        writeFileSync(join(directory, name), content);
      }
      const sums = formatSha256Sums(
        Object.entries(files).map(([fileName, content]) => ({ fileName, sha256: sha256(content) })),
      );
      writeFileSync(join(directory, 'SHA256SUMS'), sums);
      const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], {
        cwd: directory,
        encoding: 'utf8',
      });
      expect(check.status).toBe(0);
      expect(check.stdout.trim().split('\n')).toEqual([
        'VENDORS.md: OK',
        'a-source.zip: OK',
        'b.xpi: OK',
      ]);

      writeFileSync(join(directory, 'b.xpi'), 'tampered');
      expect(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: directory }).status).not.toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses what is not a hex digest or a plain file name', () => {
    expect(() => formatSha256Sums([{ fileName: 'a', sha256: 'abc' }])).toThrow(/SHA-256/);
    expect(() => formatSha256Sums([{ fileName: 'a\nb', sha256: sha256('') }])).toThrow(/name/);
  });
});

describe('renderBuildInstructions', () => {
  const environment: BuildEnvironment = {
    operatingSystem: 'Debian GNU/Linux 12 (bookworm), x86_64',
    nodeVersion: 'v20.20.2',
    npmVersion: '11.19.1',
    nodeEngines: '>=20',
    commit: 'a'.repeat(40),
    workingTreeChanged: false,
  };
  const text = renderBuildInstructions({
    version: '0.3.0',
    sourceFolder: 'sealpost-0.3.0',
    environment,
  });

  it('states the system and tool versions the release was built with', () => {
    expect(text).toContain('Operating system: Debian GNU/Linux 12 (bookworm), x86_64');
    expect(text).toContain('Node.js: v20.20.2');
    expect(text).toContain('`engines.node`: `>=20`');
    expect(text).toContain('npm: 11.19.1');
    expect(text).toContain(`in its git repository, from git commit ${'a'.repeat(40)}.`);
  });

  it('gives the steps in order and where the xpi appears', () => {
    const steps = [
      'unzip sealpost-0.3.0-source.zip',
      'cd sealpost-0.3.0',
      '\n   npm ci\n',
      '\n   npm run build\n',
    ];
    const positions = steps.map((step) => text.indexOf(step));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('`dist/sealpost.xpi` is the add-on');
    expect(text).toContain('sealpost-0.3.0.xpi');
    expect(text).toContain('diff -r submitted dist/extension');
  });

  it('says when the working tree differed from the commit', () => {
    const changed = renderBuildInstructions({
      version: '0.3.0',
      sourceFolder: 'sealpost-0.3.0',
      environment: { ...environment, workingTreeChanged: true, nodeEngines: undefined },
    });
    expect(changed).toContain('plus uncommitted changes');
    expect(changed).toContain('`engines.node`: `not set`');
  });
});
