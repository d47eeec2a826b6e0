/**
 * Senders' public keys over real HTTP: publishing, replacing and withdrawing one's own key,
 * colleagues' lookups, and the Web Key Directory (advanced and direct, policy files, CORS).
 * Attacks on the same routes: test/security/server-public-keys.test.ts.
 */
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerClient } from '../../src/core/serverClient.ts';
import { wkdHash } from '../../src/core/wkd.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';
import {
  expiredKey,
  getBytes,
  getWithHost,
  revokedKey,
  signOnlyKey,
  v4Key,
  v6Key,
  type TestKey,
} from './keys-fixtures.ts';
import { SERVER_START_TIMEOUT_MS, signedInSender } from './messages-fixtures.ts';

/** The key's armor with only its first two lines of base64: the packets end half-way. */
function truncated(armored: string): string {
  const lines = armored.trim().split('\n');
  const body = lines.findIndex((line) => line === '') + 1;
  return [...lines.slice(0, body + 2), lines.at(-1)].join('\n');
}

describe.each(DATABASE_KINDS)('public keys on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let aliceV6: TestKey;
  let aliceV4: TestKey;
  let bobKey: TestKey;

  const storedAddresses = async () =>
    (await server.db.selectFrom('public_keys').select('address').orderBy('address').execute()).map(
      (row) => row.address,
    );

  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signedInSender(server, 'alice@example.org');
    bob = await signedInSender(server, 'bob@example.org');
    [aliceV6, aliceV4, bobKey] = await Promise.all([
      v6Key('Alice@Example.org'),
      v4Key('alice@example.org'),
      v4Key('bob@example.org'),
    ]);
  }, SERVER_START_TIMEOUT_MS);
  afterAll(() => server.close());

  it('publishes the sender’s key, replaces it with the next, and withdraws it', async () => {
    const first = await server.request('PUT', '/api/v1/me/key', {
      token: alice,
      body: { publicKey: aliceV6.publicKey },
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      fingerprint: aliceV6.fingerprint,
      updatedAt: '2026-03-01T09:00:00.000Z',
    });
    expect(aliceV6.fingerprint).toMatch(/^[0-9A-F]{64}$/);

    server.clock.advanceSeconds(60);
    const second = await server.request('PUT', '/api/v1/me/key', {
      token: alice,
      body: { publicKey: aliceV4.publicKey },
    });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      fingerprint: aliceV4.fingerprint,
      updatedAt: '2026-03-01T09:01:00.000Z',
    });
    expect(aliceV4.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    const rows = await server.db.selectFrom('public_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      address: 'alice@example.org',
      domain: 'example.org',
      wkd_hash: await wkdHash('alice'),
      fingerprint: aliceV4.fingerprint,
    });
    expect(rows[0]!.armored).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect((await openpgp.readKey({ armoredKey: rows[0]!.armored })).isPrivate()).toBe(false);

    // The change is logged by its fingerprint; no key material is logged.
    const published = server.logLines().filter((line) => line.msg === 'public key published');
    expect(published.map((line) => line.fingerprint)).toEqual([
      aliceV6.fingerprint,
      aliceV4.fingerprint,
    ]);
    const keyBody = aliceV4.publicKey.split('\n').find((line) => line.length === 64)!;
    expect(server.logText()).not.toContain(keyBody);

    expect((await server.request('DELETE', '/api/v1/me/key', { token: alice })).status).toBe(204);
    expect(await storedAddresses()).toEqual([]);
    expect(server.logLines().some((line) => line.msg === 'public key withdrawn')).toBe(true);
    // Withdrawing twice is no error.
    expect((await server.request('DELETE', '/api/v1/me/key', { token: alice })).status).toBe(204);
  });

  it('refuses keys that cannot be sealed to, saying why, and keeps the key it had', async () => {
    await server.request('PUT', '/api/v1/me/key', {
      token: bob,
      body: { publicKey: bobKey.publicKey },
    });
    const cases: [string, string, RegExp][] = [
      ['expired', (await expiredKey('bob@example.org')).publicKey, /expired/],
      ['revoked', (await revokedKey('bob@example.org')).publicKey, /revoked/],
      ['cannot encrypt', (await signOnlyKey('bob@example.org')).publicKey, /encryption/],
      ['unreadable', 'my key is on the keyserver', /not an OpenPGP public key/],
      ['truncated', truncated(bobKey.publicKey), /not an OpenPGP public key/],
      ['someone else’s', aliceV6.publicKey, /no user ID with your address bob@example\.org/],
    ];
    for (const [name, publicKey, reason] of cases) {
      const refused = await server.request('PUT', '/api/v1/me/key', {
        token: bob,
        body: { publicKey },
      });
      expect(refused.status, name).toBe(400);
      expect(refused.body.error.code, name).toBe('bad-request');
      expect(refused.body.error.message, name).toMatch(reason);
    }
    const [row] = await server.db.selectFrom('public_keys').selectAll().execute();
    expect(row).toMatchObject({ address: 'bob@example.org', fingerprint: bobKey.fingerprint });
  });

  it('validates the request: one string field, at most 64 KiB', async () => {
    for (const body of [
      {},
      { publicKey: '' },
      { publicKey: 42 },
      { publicKey: bobKey.publicKey, address: 'alice@example.org' },
      { publicKey: 'x'.repeat(64 * 1024 + 1) },
    ]) {
      const answer = await server.request('PUT', '/api/v1/me/key', { token: bob, body });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('bad-request');
    }
  });

  it('lets colleagues look keys up, up to 100 addresses at a time', async () => {
    await server.request('PUT', '/api/v1/me/key', {
      token: alice,
      body: { publicKey: aliceV6.publicKey },
    });
    const found = await server.request(
      'GET',
      '/api/v1/keys?address=BOB@example.org&address=alice@example.org&address=nobody@example.org',
      { token: bob },
    );
    expect(found.status).toBe(200);
    expect(found.body.keys.map((key: { address: string }) => key.address)).toEqual([
      'alice@example.org',
      'bob@example.org',
    ]);
    const [aliceEntry] = found.body.keys;
    expect(aliceEntry).toEqual({
      address: 'alice@example.org',
      fingerprint: aliceV6.fingerprint,
      publicKey: expect.stringContaining('-----BEGIN PGP PUBLIC KEY BLOCK-----'),
      updatedAt: expect.any(String),
    });
    const read = await openpgp.readKey({ armoredKey: aliceEntry.publicKey });
    expect(read.getFingerprint().toUpperCase()).toBe(aliceV6.fingerprint);

    const one = await server.request('GET', '/api/v1/keys?address=alice@example.org', {
      token: alice,
    });
    expect(one.body.keys).toHaveLength(1);

    const many = Array.from({ length: 101 }, (_, index) => `address=p${index}@example.org`);
    for (const query of ['', '?address=not-an-address', `?${many.join('&')}`, '?other=1']) {
      const answer = await server.request('GET', `/api/v1/keys${query}`, { token: bob });
      expect(answer.status, query).toBe(400);
    }
    const hundred = await server.request('GET', `/api/v1/keys?${many.slice(1).join('&')}`, {
      token: bob,
    });
    expect(hundred.status).toBe(200);
    expect(hundred.body.keys).toEqual([]);
  });

  it('is what the add-on’s client calls: registerKey, lookupKeys, removeKey', async () => {
    const client = createServerClient({ baseUrl: server.baseUrl, token: bob, fetch });
    const registered = await client.registerKey(bobKey.publicKey);
    expect(registered).toEqual({
      ok: true,
      value: { fingerprint: bobKey.fingerprint, updatedAt: expect.any(String) },
    });
    const found = await client.lookupKeys(['bob@example.org', 'nobody@example.org']);
    expect(found.ok && found.value.map((key) => key.fingerprint)).toEqual([bobKey.fingerprint]);
    expect(await client.lookupKeys([])).toEqual({ ok: true, value: [] });
    const refused = await client.registerKey(aliceV4.publicKey);
    expect(refused).toMatchObject({ ok: false, code: 'bad-request', status: 400 });
    expect(await client.removeKey()).toEqual({ ok: true, value: null });
    expect(await client.lookupKeys(['bob@example.org'])).toEqual({ ok: true, value: [] });
    const stranger = createServerClient({ baseUrl: server.baseUrl, fetch });
    expect(await stranger.lookupKeys(['bob@example.org'])).toMatchObject({
      ok: false,
      code: 'unauthorized',
    });
  });

  describe('the Web Key Directory', () => {
    let aliceHash: string;
    beforeAll(async () => {
      aliceHash = await wkdHash('alice');
      await server.request('PUT', '/api/v1/me/key', {
        token: alice,
        body: { publicKey: aliceV6.publicKey },
      });
    });

    it('serves the key as binary at the advanced and the direct URL, the same bytes, to any origin', async () => {
      const advanced = await getBytes(
        server,
        `/.well-known/openpgpkey/example.org/hu/${aliceHash}?l=alice`,
        { origin: 'https://mail.partner.example' },
      );
      expect(advanced.status).toBe(200);
      expect(advanced.headers.get('content-type')).toBe('application/octet-stream');
      expect(advanced.headers.get('access-control-allow-origin')).toBe('*');
      expect(advanced.headers.get('access-control-allow-credentials')).toBeNull();
      const key = await openpgp.readKey({ binaryKey: advanced.body });
      expect(key.getFingerprint().toUpperCase()).toBe(aliceV6.fingerprint);
      expect(key.isPrivate()).toBe(false);
      expect(key.getUserIDs()).toEqual(['<Alice@Example.org>']);

      // Direct: the domain is the Host's.
      const direct = await getWithHost(
        server,
        `/.well-known/openpgpkey/hu/${aliceHash}?l=alice`,
        'example.org:443',
      );
      expect(direct.status).toBe(200);
      expect(direct.headers['content-type']).toBe('application/octet-stream');
      expect(direct.headers['access-control-allow-origin']).toBe('*');
      expect(Buffer.from(advanced.body).equals(direct.body)).toBe(true);
      // `?l=` is optional, and the domain in the path is matched without regard to case.
      const noLocalPart = await getBytes(
        server,
        `/.well-known/openpgpkey/EXAMPLE.org/hu/${aliceHash}`,
      );
      expect(Buffer.from(noLocalPart.body).equals(direct.body)).toBe(true);
    });

    it('answers 404 for unknown hashes and for domains that are not the organisation’s', async () => {
      const paths = [
        `/.well-known/openpgpkey/example.org/hu/${await wkdHash('nobody')}?l=nobody`,
        // Alice's hash, on the organisation's other domain: that is another address.
        `/.well-known/openpgpkey/example.net/hu/${aliceHash}?l=alice`,
        `/.well-known/openpgpkey/partner.example/hu/${aliceHash}?l=alice`,
      ];
      for (const path of paths) {
        const answer = await server.request('GET', path, {
          headers: { origin: 'https://mail.partner.example' },
        });
        expect(answer.status, path).toBe(404);
        expect(answer.headers.get('access-control-allow-origin'), path).toBe('*');
        expect(answer.body.error, path).toEqual({
          code: 'not-found',
          message: 'There is no key at this address.',
        });
      }
      // Direct, with a Host outside the organisation, which has two domains: no domain to use.
      const foreignHost = await getWithHost(
        server,
        `/.well-known/openpgpkey/hu/${aliceHash}`,
        'partner.example',
      );
      expect(foreignHost.status).toBe(404);
      const otherDomain = await getWithHost(
        server,
        `/.well-known/openpgpkey/hu/${aliceHash}`,
        'example.net',
      );
      expect(otherDomain.status).toBe(404);
    });

    it('publishes the policy files of the organisation’s domains, empty', async () => {
      for (const path of [
        '/.well-known/openpgpkey/example.org/policy',
        '/.well-known/openpgpkey/example.net/policy',
      ]) {
        const policy = await server.request('GET', path);
        expect(policy.status, path).toBe(200);
        expect(policy.body, path).toBeNull();
        expect(policy.headers.get('access-control-allow-origin'), path).toBe('*');
      }
      const direct = await getWithHost(server, '/.well-known/openpgpkey/policy', 'example.org');
      expect(direct.status).toBe(200);
      expect(direct.body.length).toBe(0);
      expect(
        (await server.request('GET', '/.well-known/openpgpkey/partner.example/policy')).status,
      ).toBe(404);
      expect(
        (await getWithHost(server, '/.well-known/openpgpkey/policy', 'partner.example')).status,
      ).toBe(404);
    });

    it('stops serving a key once it is withdrawn', async () => {
      const path = `/.well-known/openpgpkey/example.org/hu/${aliceHash}`;
      expect((await getBytes(server, path)).status).toBe(200);
      await server.request('DELETE', '/api/v1/me/key', { token: alice });
      expect((await getBytes(server, path)).status).toBe(404);
    });
  });
});

describe.each(DATABASE_KINDS)(
  'the direct Web Key Directory of a one-domain organisation on %s',
  (kind) => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(kind, {
        config: { organisation: { name: 'Solo Ltd', domains: ['solo.example'] } },
      });
    }, SERVER_START_TIMEOUT_MS);
    afterAll(() => server.close());

    it('serves the domain’s keys whatever the Host (a proxy may forward its own)', async () => {
      const carol = await signedInSender(server, 'carol@solo.example');
      const key = await v4Key('carol@solo.example');
      expect(
        (
          await server.request('PUT', '/api/v1/me/key', {
            token: carol,
            body: { publicKey: key.publicKey },
          })
        ).status,
      ).toBe(200);
      const hash = await wkdHash('carol');
      const direct = await getBytes(server, `/.well-known/openpgpkey/hu/${hash}?l=carol`);
      expect(direct.status).toBe(200);
      const advanced = await getBytes(server, `/.well-known/openpgpkey/solo.example/hu/${hash}`);
      expect(Buffer.from(direct.body).equals(Buffer.from(advanced.body))).toBe(true);
      expect(
        (await openpgp.readKey({ binaryKey: direct.body })).getFingerprint().toUpperCase(),
      ).toBe(key.fingerprint);
      expect((await server.request('GET', '/.well-known/openpgpkey/policy')).status).toBe(200);
    });
  },
);
