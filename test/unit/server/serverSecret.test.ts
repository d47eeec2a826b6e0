import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateServerSecret,
  isSealedAtRest,
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

  it('passes a value written before encryption at rest through, and refuses a cut one', () => {
    const secret = generateServerSecret();
    expect(isSealedAtRest('Blue Harbour 42')).toBe(false);
    expect(openAtRest(secret, 'Blue Harbour 42')).toBe('Blue Harbour 42');
    const sealed = sealAtRest(secret, '');
    expect(isSealedAtRest(sealed)).toBe(true);
    expect(openAtRest(secret, sealed)).toBe('');
    expect(() => openAtRest(secret, 'sealed1:AAAA')).toThrow(/damaged/);
    expect(() => openAtRest(secret, sealed.slice(0, -3))).toThrow();
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
    // Bytes whose base64 has '+' and '/' (base64url: '-' and '_').
    const key = Buffer.from(Array.from({ length: 32 }, (_, index) => 0xfb + (index % 5)));
    expect(key.toString('base64')).toMatch(/[+/]/);
    expect(parseSecretKey(key.toString('base64url'))).toEqual(new Uint8Array(key));
    expect(parseSecretKey(key.toString('base64'))).toEqual(new Uint8Array(key));
    expect(parseSecretKey(` ${key.toString('base64url')}\n`)).toEqual(new Uint8Array(key));
    expect(parseSecretKey(Buffer.alloc(16).toString('base64url'))).toBeNull();
    expect(parseSecretKey('not a key!')).toBeNull();
    // A foreign character anywhere, even where a lenient decoder would skip it, is refused.
    const text = key.toString('base64url');
    expect(parseSecretKey(`${text.slice(0, 20)}!${text.slice(20)}`)).toBeNull();
    expect(parseSecretKey(`${text}.`)).toBeNull();
    expect(parseSecretKey(`.${text}`)).toBeNull();
  });

  it('starts a generated secret without previous keys', () => {
    expect(generateServerSecret().previous).toEqual([]);
    expect(generateServerSecret().current).toHaveLength(32);
  });

  it('takes previous keys from the configuration, and names a bad one', async () => {
    const previous = Buffer.alloc(32, 5).toString('base64url');
    const configured = Buffer.alloc(32, 6).toString('base64url');
    const loaded = await loadServerSecret({
      key: configured,
      keyFile: '/nonexistent/never-read.key',
      previousKeys: [previous],
    });
    expect(loaded.ok && loaded.secret.previous).toEqual([new Uint8Array(Buffer.alloc(32, 5))]);
    expect(
      await loadServerSecret({ key: configured, keyFile: '/x', previousKeys: ['short'] }),
    ).toEqual({ ok: false, error: 'previousSecretKeys[0]: expected 32 bytes, base64url' });
    expect(await loadServerSecret({ key: 'short', keyFile: '/x', previousKeys: [] })).toEqual({
      ok: false,
      error: 'secretKey: expected 32 bytes, base64url',
    });
  });

  it('says so when the key file cannot be read or written', async () => {
    directory = await mkdtemp(join(tmpdir(), 'sealpost-secret-'));
    // A folder where the key file should be: reading it fails with something else than "missing".
    const unreadable = await loadServerSecret({
      key: undefined,
      keyFile: directory,
      previousKeys: [],
    });
    expect(unreadable).toMatchObject({
      ok: false,
      error: expect.stringContaining(`secretKeyFile ${directory}:`),
    });
    // Under a file instead of a folder: it cannot be created.
    const blocker = join(directory, 'a-file');
    await writeFile(blocker, 'x');
    const unwritable = await loadServerSecret({
      key: undefined,
      keyFile: join(blocker, 'sealpost-secret.key'),
      previousKeys: [],
    });
    expect(unwritable).toMatchObject({
      ok: false,
      error: expect.stringContaining('secretKeyFile'),
    });
  });

  it('generates a key file (mode 0600) on the first start and reads the same key after', async () => {
    directory = await mkdtemp(join(tmpdir(), 'sealpost-secret-'));
    // Two folders deep that do not exist yet: they are created (mode 0700), then the file.
    const keyFile = join(directory, 'keys', 'sealpost', 'sealpost-secret.key');
    const first = await loadServerSecret({ key: undefined, keyFile, previousKeys: [] });
    expect(first).toMatchObject({ ok: true, generatedAt: keyFile });
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, 'keys', 'sealpost'))).mode & 0o777).toBe(0o700);
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
