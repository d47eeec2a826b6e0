/**
 * Where recipients' keys come from (docs/keys.md): imported by hand, the organisation's server,
 * WKD on the recipient's domain; cached with a lifetime; a revoked key never used again; and
 * the sender's own key published at sign-in.
 */
import * as openpgp from 'openpgp';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publishSenderKey } from '../../../src/background/keyPublishing.ts';
import {
  KEY_FRESH_MS,
  KEY_USABLE_MS,
  NO_KEY_FRESH_MS,
  SERVER_KEY_FRESH_MS,
  importKey,
  knownKey,
  listKeys,
  refreshKeys,
  removeImportedKey,
  testWkdBase,
} from '../../../src/background/recipientKeys.ts';
import { handleRequest } from '../../../src/background/requests.ts';
import { getSenderKey } from '../../../src/background/senderKey.ts';
import { wkdHash } from '../../../src/core/wkd.ts';
import { FakeSealpostServer } from '../../fakes/fakeSealpostServer.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

type Pair = { privateKey: string; publicKey: string; revocationCertificate: string };
let bob: Pair;
let other: Pair;

beforeAll(async () => {
  // Made before the tests' fixed "now" (a key made later is not valid yet at that time).
  const make = (email: string) =>
    openpgp.generateKey({
      type: 'curve25519',
      userIDs: [{ email }],
      date: new Date('2026-01-01T00:00:00Z'),
      config: { v6Keys: true },
    });
  [bob, other] = await Promise.all([make('bob@partner.example'), make('someone@else.example')]);
});

const fingerprintOf = async (armoredKey: string) =>
  (await openpgp.readKey({ armoredKey })).getFingerprint().toUpperCase();
const binary = async (armoredKey: string) => (await openpgp.readKey({ armoredKey })).write();

/** A WKD server for partner.example answering `keys` by hash, counting requests. */
function wkdServer(keys: Map<string, Uint8Array>, requests: string[]) {
  return async (url: string): Promise<Response> => {
    requests.push(url);
    const hash = /\/hu\/([a-z0-9]+)/.exec(url)?.[1];
    const key = hash ? keys.get(hash) : undefined;
    return key
      ? new Response(key as Uint8Array<ArrayBuffer>, { status: 200 })
      : new Response('', { status: 404 });
  };
}

describe('recipient keys', () => {
  let host: FakeThunderbirdHost;
  const sources = { server: null, wkdBase: null };

  beforeEach(() => {
    host = new FakeThunderbirdHost();
  });

  it('keeps a key imported by hand (armored or binary) for each address it names, until removed', async () => {
    const imported = await importKey(host, await binary(bob.publicKey));
    expect(imported.ok).toBe(true);
    expect(await knownKey(host, 'Bob@Partner.example')).toMatchObject({
      fingerprint: await fingerprintOf(bob.publicKey),
    });
    expect((await listKeys(host)).map((key) => [key.address, key.source, key.version])).toEqual([
      ['bob@partner.example', 'manual', 6],
    ]);
    expect(await removeImportedKey(host, 'bob@partner.example')).toBe(true);
    expect(await knownKey(host, 'bob@partner.example')).toBeNull();
  });

  it('refuses a private key, and keeps nothing of it', async () => {
    expect(await importKey(host, bob.privateKey)).toEqual({ ok: false, problem: 'private' });
    expect(await importKey(host, 'not a key')).toEqual({ ok: false, problem: 'unreadable' });
    expect(await listKeys(host)).toEqual([]);
    expect(JSON.stringify([...(await host.local.entries(''))])).not.toContain('PRIVATE');
  });

  it('finds a key by WKD (advanced, then direct), and asks again only when the cache is stale', async () => {
    const requests: string[] = [];
    const keys = new Map([[await wkdHash('bob'), await binary(bob.publicKey)]]);
    const answer = wkdServer(keys, requests);
    // The advanced host does not answer (no openpgpkey subdomain): the direct form is asked.
    host.server = async (url) =>
      url.includes('openpgpkey.partner') ? new Response('', { status: 404 }) : answer(url);
    const now = Date.parse('2026-12-05T10:00:00Z');
    await refreshKeys(host, ['bob@partner.example'], sources, now);
    expect(host.fetched.map((request) => request.url)).toEqual([
      `https://openpgpkey.partner.example/.well-known/openpgpkey/partner.example/hu/${await wkdHash('bob')}?l=bob`,
      `https://partner.example/.well-known/openpgpkey/hu/${await wkdHash('bob')}?l=bob`,
    ]);
    expect((await knownKey(host, 'bob@partner.example', now))?.entry.source).toBe('wkd');
    await refreshKeys(host, ['bob@partner.example'], sources, now + KEY_FRESH_MS - 1);
    expect(host.fetched).toHaveLength(2);
    await refreshKeys(host, ['bob@partner.example'], sources, now + KEY_FRESH_MS + 1);
    expect(host.fetched).toHaveLength(4);
    // A key nobody confirmed for a week is not used, whatever the lookups do meanwhile.
    expect(
      await knownKey(host, 'bob@partner.example', now + KEY_FRESH_MS + KEY_USABLE_MS + 2),
    ).toBeNull();
  });

  it('does not take a WKD key that does not carry the address', async () => {
    const keys = new Map([[await wkdHash('bob'), await binary(other.publicKey)]]);
    host.server = wkdServer(keys, []);
    await refreshKeys(host, ['bob@partner.example'], sources);
    expect(await knownKey(host, 'bob@partner.example')).toBeNull();
  });

  it('remembers that an address has no key for an hour; an unreachable domain is no key, not an error', async () => {
    const now = Date.parse('2026-12-05T10:00:00Z');
    await refreshKeys(host, ['nobody@nowhere.example'], sources, now);
    expect(host.fetched).toHaveLength(2);
    await refreshKeys(host, ['nobody@nowhere.example'], sources, now + NO_KEY_FRESH_MS - 1);
    expect(host.fetched).toHaveLength(2);
    await refreshKeys(host, ['nobody@nowhere.example'], sources, now + NO_KEY_FRESH_MS + 1);
    expect(host.fetched).toHaveLength(4);
  });

  it('never uses a key again once a lookup finds it revoked, not even the copy imported by hand', async () => {
    await importKey(host, bob.publicKey);
    const revoked = await openpgp.revokeKey({
      key: await openpgp.readPrivateKey({ armoredKey: bob.privateKey }),
      format: 'binary',
    });
    const keys = new Map([[await wkdHash('bob'), revoked.publicKey as Uint8Array]]);
    host.server = wkdServer(keys, []);
    await refreshKeys(host, ['bob@partner.example'], sources);
    expect(await knownKey(host, 'bob@partner.example')).toBeNull();
  });

  it('asks the organisation server first, and WKD only for what it does not know', async () => {
    const server = new FakeSealpostServer('http://127.0.0.1:8787');
    server.keys.set('bob@partner.example', {
      publicKey: bob.publicKey,
      fingerprint: await fingerprintOf(bob.publicKey),
    });
    host.server = server.fetch;
    host.packagedFiles.set('defaults.json', '{ "serverUrl": "http://127.0.0.1:8787" }');
    const token = server.issueToken('alice@example.test');
    await host.local.set('server:session', {
      serverUrl: 'http://127.0.0.1:8787',
      token,
      address: 'alice@example.test',
      organisation: server.organisation,
    });
    const { serverConnection } = await import('../../../src/background/serverSettings.ts');
    const connection = await serverConnection(host);
    expect(connection).not.toBeNull();
    await refreshKeys(host, ['bob@partner.example', 'carol@other.example'], {
      server: connection,
      wkdBase: null,
    });
    expect((await knownKey(host, 'bob@partner.example'))?.entry.source).toBe('server');
    const urls = host.fetched.map((request) => request.url);
    expect(urls.filter((url) => url.includes('/api/v1/keys'))).toHaveLength(1);
    expect(
      urls
        .filter((url) => url.includes('.well-known'))
        .every((url) => url.includes('other.example')),
    ).toBe(true);
  });

  it('keeps a found key when a later lookup gets no answer, and asks the server again after 30 s', async () => {
    const server = new FakeSealpostServer('http://127.0.0.1:8787');
    const bobFingerprint = await fingerprintOf(bob.publicKey);
    server.keys.set('bob@partner.example', {
      publicKey: bob.publicKey,
      fingerprint: bobFingerprint,
    });
    host.server = server.fetch;
    host.packagedFiles.set('defaults.json', '{ "serverUrl": "http://127.0.0.1:8787" }');
    await host.local.set('server:session', {
      serverUrl: 'http://127.0.0.1:8787',
      token: server.issueToken('alice@example.test'),
      address: 'alice@example.test',
      organisation: server.organisation,
    });
    const { serverConnection } = await import('../../../src/background/serverSettings.ts');
    const lookup = { server: await serverConnection(host), wkdBase: null };
    const now = Date.parse('2026-12-05T10:00:00Z');
    await refreshKeys(host, ['bob@partner.example'], lookup, now);
    const asked = () => host.fetched.filter((request) => request.url.includes('/api/v1/keys'));
    expect(asked()).toHaveLength(1);
    await refreshKeys(host, ['bob@partner.example'], lookup, now + SERVER_KEY_FRESH_MS - 1);
    expect(asked()).toHaveLength(1);
    server.failure = 'down';
    await refreshKeys(host, ['bob@partner.example'], lookup, now + SERVER_KEY_FRESH_MS + 1);
    expect(asked()).toHaveLength(2);
    expect(
      (await knownKey(host, 'bob@partner.example', now + SERVER_KEY_FRESH_MS + 2))?.fingerprint,
    ).toBe(bobFingerprint);
  });

  it('sends WKD lookups to a test build’s loopback base only', async () => {
    expect(await testWkdBase(host)).toBeNull();
    const testBuild = new FakeThunderbirdHost();
    testBuild.packagedFiles.set('defaults.json', '{ "wkdBaseUrl": "http://127.0.0.1:9999" }');
    expect(await testWkdBase(testBuild)).toBe('http://127.0.0.1:9999');
    const elsewhere = new FakeThunderbirdHost();
    elsewhere.packagedFiles.set(
      'defaults.json',
      '{ "wkdBaseUrl": "https://keys.attacker.example" }',
    );
    expect(await testWkdBase(elsewhere)).toBeNull();
  });
});

describe('publishing the sender’s own key', () => {
  it('publishes it at sign-in, and again only when it changed', async () => {
    const host = new FakeThunderbirdHost();
    const server = new FakeSealpostServer('http://127.0.0.1:8787');
    host.server = server.fetch;
    host.packagedFiles.set('defaults.json', '{ "serverUrl": "http://127.0.0.1:8787" }');
    expect(await publishSenderKey(host)).toBe('not-signed-in');
    const call = (name: string, payload: unknown) =>
      handleRequest(host, { sealpost: 1, name, payload });
    const started = (await call('signInStart', { address: 'alice@example.test' })) as {
      ok: true;
      value: { ok: true; value: { challengeId: string } };
    };
    await call('signInComplete', { challengeId: started.value.value.challengeId, code: '123456' });
    const published = server.keys.get('alice@example.test');
    expect(published?.publicKey).toBe(
      (await getSenderKey(host.local, 'alice@example.test'))?.armoredPublicKey,
    );
    expect(published?.publicKey).not.toContain('PRIVATE');
    expect(await publishSenderKey(host)).toBe('unchanged');
    // A new key for the address (e.g. a restored backup) is published on the next wake.
    await host.local.remove('senderKey:alice@example.test');
    expect(await publishSenderKey(host)).toBe('published');
  });
});
