import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { wkdHash, wkdUrls, zBase32 } from '../../../src/core/wkd.ts';

const run = promisify(execFile);
/** GnuPG's own WKD client (Debian's gnupg, a system package of the tests). */
const GPG_WKS_CLIENT = '/usr/lib/gnupg/gpg-wks-client';

describe('Web Key Directory lookups', () => {
  it("follow the draft's example", async () => {
    expect(await wkdHash('Joe.Doe')).toBe('iy9q119eutrkn8s1mk4r39qejnbu3n5q');
    expect(await wkdUrls('Joe.Doe@Example.ORG')).toEqual({
      advanced:
        'https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe',
      direct:
        'https://example.org/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe',
    });
  });

  it('hash as GnuPG does, for addresses of every shape', async () => {
    const addresses = [
      'bob@partner.example',
      'Dora.Meyer+tax@Partner.DE',
      'x@a.example',
      'o\u2019brien@example.ie',
      'müller@example.de',
      'first_last-99@sub.domain.example',
    ];
    for (const address of addresses) {
      const { stdout } = await run(GPG_WKS_CLIENT, ['--print-wkd-hash', address]);
      const expected = stdout.trim().split(/\s+/)[0];
      expect(await wkdHash(address.slice(0, address.lastIndexOf('@'))), address).toBe(expected);
    }
  });

  it('write z-base-32 five bits at a time, the last group padded with zero bits', () => {
    expect(zBase32(new Uint8Array([]))).toBe('');
    expect(zBase32(new Uint8Array([0]))).toBe('yy');
    expect(zBase32(new Uint8Array([0xff]))).toBe('9h');
    expect(zBase32(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]))).toBe('99999999');
    expect(zBase32(new Uint8Array(20)).length).toBe(32);
  });

  it('refuse what is not an address WKD can look up', async () => {
    for (const bad of [
      '',
      'no-at-sign',
      '@example.org',
      'bob@',
      'bob@localhost',
      'bob@exa mple.org',
      'a b@example.org',
    ]) {
      expect(await wkdUrls(bad), bad).toBeNull();
    }
  });
});
