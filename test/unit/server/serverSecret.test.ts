import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateServerSecret,
  loadServerSecret,
  makeVerifier,
  openAtRest,
  parseSecretKey,
  sealAtRest,
  verifierMatches,
} from '../../../src/server/serverSecret.ts';

describe('code verifiers keyed with the server secret', () => {
  it('match the same code under the same secret only', () => {
    const secret = generateServerSecret();
    const first = makeVerifier(secret, '123456');
    const second = makeVerifier(secret, '123456');
    expect(Buffer.from(first.digest).equals(Buffer.from(second.digest))).toBe(false);
    expect(verifierMatches(secret, first, '123456')).toBe(true);
    expect(verifierMatches(secret, first, '123457')).toBe(false);
    expect(
      verifierMatches(secret, { salt: first.salt, digest: first.digest.subarray(0, 8) }, '123456'),
    ).toBe(false);
    // Another server (another secret) cannot check it: the database row alone is not enough.
    expect(verifierMatches(generateServerSecret(), first, '123456')).toBe(false);
  });

  it('cannot be tested with the salt alone, as an unkeyed HMAC could', () => {
    const secret = generateServerSecret();
    const stored = makeVerifier(secret, '424242');
    // What an attacker with the row would compute without the key: it never matches.
    const unkeyed = createHmac('sha256', stored.salt).update('424242').digest();
    expect(unkeyed.equals(Buffer.from(stored.digest))).toBe(false);
  });

  it('pins the verifier formula (known answer)', () => {
    const secret = { current: new Uint8Array(32).fill(7), previous: [] };
    const verifier = makeVerifier(secret, 'ABC123', new Uint8Array(16).fill(1));
    const verifierKey = createHmac('sha256', secret.current)
      .update('sealpost-verifier-v1')
      .digest();
    expect(Buffer.from(verifier.digest).toString('hex')).toBe(
      createHmac('sha256', verifierKey)
        .update(Buffer.concat([Buffer.alloc(16, 1), Buffer.from([0]), Buffer.from('ABC123')]))
        .digest('hex'),
    );
  });

  it('still matches verifiers made under a previous key after rotation', () => {
    const old = generateServerSecret();
    const stored = makeVerifier(old, '777777');
    const rotated = { current: generateServerSecret().current, previous: [old.current] };
    expect(verifierMatches(rotated, stored, '777777')).toBe(true);
    expect(verifierMatches(rotated, stored, '777778')).toBe(false);
    expect(verifierMatches({ current: rotated.current, previous: [] }, stored, '777777')).toBe(
      false,
    );
  });
});

describe('values sealed at rest', () => {
  it('round-trip, are not readable without the key, and open under a previous key', () => {
    const secret = generateServerSecret();
    const sealed = sealAtRest(secret, 'Blue Harbour 42');
    expect(sealed).not.toContain('Blue');
    expect(sealed).not.toBe(sealAtRest(secret, 'Blue Harbour 42'));
    expect(openAtRest(secret, sealed)).toBe('Blue Harbour 42');
    expect(() => openAtRest(generateServerSecret(), sealed)).toThrow(/none of the server/);
    const rotated = { current: generateServerSecret().current, previous: [secret.current] };
    expect(openAtRest(rotated, sealed)).toBe('Blue Harbour 42');
  });

  it('refuses a tampered value', () => {
    const secret = generateServerSecret();
    const sealed = sealAtRest(secret, 'Blue Harbour 42');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'AB' : 'AA');
    expect(() => openAtRest(secret, tampered)).toThrow();
  });
});

describe('loading the secret', () => {
  let directory: string | null = null;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
    directory = null;
  });

  it('accepts 32 bytes in base64url or base64, nothing else', () => {
    const key = Buffer.alloc(32, 9);
    expect(parseSecretKey(key.toString('base64url'))).toEqual(new Uint8Array(key));
    expect(parseSecretKey(key.toString('base64'))).toEqual(new Uint8Array(key));
    expect(parseSecretKey(Buffer.alloc(16).toString('base64url'))).toBeNull();
    expect(parseSecretKey('not a key!')).toBeNull();
  });

  it('generates a key file (mode 0600) on the first start and reads the same key after', async () => {
    directory = await mkdtemp(join(tmpdir(), 'sealpost-secret-'));
    const keyFile = join(directory, 'keys', 'sealpost-secret.key');
    const first = await loadServerSecret({ key: undefined, keyFile, previousKeys: [] });
    expect(first).toMatchObject({ ok: true, generatedAt: keyFile });
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const second = await loadServerSecret({ key: undefined, keyFile, previousKeys: [] });
    expect(second).toMatchObject({ ok: true, generatedAt: null });
    if (!first.ok || !second.ok) return;
    expect(second.secret.current).toEqual(first.secret.current);
    expect(parseSecretKey(await readFile(keyFile, 'utf8'))).toEqual(first.secret.current);
  });

  it('prefers the configured key, and refuses a damaged key file instead of replacing it', async () => {
    directory = await mkdtemp(join(tmpdir(), 'sealpost-secret-'));
    const keyFile = join(directory, 'sealpost-secret.key');
    await writeFile(keyFile, 'damaged');
    const configured = Buffer.alloc(32, 3).toString('base64url');
    const loaded = await loadServerSecret({ key: configured, keyFile, previousKeys: [] });
    expect(loaded.ok && Buffer.from(loaded.secret.current).toString('base64url')).toBe(configured);
    const refused = await loadServerSecret({ key: undefined, keyFile, previousKeys: [] });
    expect(refused).toMatchObject({ ok: false });
    expect(await readFile(keyFile, 'utf8')).toBe('damaged');
  });
});
