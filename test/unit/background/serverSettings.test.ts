import { beforeEach, describe, expect, it } from 'vitest';
import { handleRequest } from '../../../src/background/requests.ts';
import { saveRecipientSettings } from '../../../src/background/recipientStore.ts';
import type { ComposeState, ServerSettingsView } from '../../../src/messaging/protocol.ts';
import { FakeSealpostServer } from '../../fakes/fakeSealpostServer.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

async function request<T>(host: FakeThunderbirdHost, name: string, payload: unknown): Promise<T> {
  const answer = await handleRequest(host, { sealpost: 1, name, payload });
  if (!answer.ok) throw new Error(answer.error);
  return answer.value as T;
}

async function signIn(host: FakeThunderbirdHost): Promise<void> {
  const started = await request<{ ok: true; value: { challengeId: string } }>(host, 'signInStart', {
    address: 'alice@example.test',
  });
  await request(host, 'signInComplete', { challengeId: started.value.challengeId, code: '123456' });
}

describe('server settings', () => {
  let host: FakeThunderbirdHost;
  let server: FakeSealpostServer;

  beforeEach(() => {
    host = new FakeThunderbirdHost();
    server = new FakeSealpostServer('http://127.0.0.1:8787');
    host.server = server.fetch;
  });

  it('takes the development defaults.json until the options say otherwise', async () => {
    host.packagedFiles.set('defaults.json', '{ "serverUrl": "http://127.0.0.1:8787/" }');
    expect(await request(host, 'getServerSettings', {})).toEqual({
      serverUrl: 'http://127.0.0.1:8787',
      urlSource: 'defaults',
      signedIn: null,
      organisationName: null,
    });
    await request(host, 'setServerUrl', { url: null });
    expect(await request(host, 'getServerSettings', {})).toMatchObject({
      serverUrl: null,
      urlSource: null,
    });
  });

  it('ignores a defaults.json that is malformed or insecure', async () => {
    host.packagedFiles.set('defaults.json', '{ "serverUrl": "http://sealpost.example.org" }');
    expect(await request(host, 'getServerSettings', {})).toMatchObject({ serverUrl: null });
    host.packagedFiles.set('defaults.json', 'not json');
    expect(await request(host, 'getServerSettings', {})).toMatchObject({ serverUrl: null });
  });

  it('refuses an insecure or invalid URL with a localized reason and keeps the old one', async () => {
    await request(host, 'setServerUrl', { url: 'http://127.0.0.1:8787' });
    expect(await request(host, 'setServerUrl', { url: 'http://sealpost.example.org' })).toEqual({
      ok: false,
      code: 'insecure-url',
      message: 'serverUrlInsecure',
    });
    expect(await request(host, 'setServerUrl', { url: 'sealpost' })).toMatchObject({
      ok: false,
      code: 'invalid-url',
    });
    expect(await request(host, 'getServerSettings', {})).toMatchObject({
      serverUrl: 'http://127.0.0.1:8787',
      urlSource: 'options',
    });
  });

  it('signs in with the mailed code, shows who and which organisation, and signs out', async () => {
    await request(host, 'setServerUrl', { url: 'http://127.0.0.1:8787' });
    const wrong = await request<{ ok: boolean; code: string }>(host, 'signInComplete', {
      challengeId: 'nope',
      code: '1',
    });
    expect(wrong).toMatchObject({ ok: false, code: 'not-found' });
    await signIn(host);
    const view = await request<ServerSettingsView>(host, 'getServerSettings', {});
    expect(view.signedIn).toEqual({
      address: 'alice@example.test',
      organisation: { name: 'Example Org', domains: ['example.test'] },
    });
    expect(server.tokens.size).toBe(1);
    // The token never leaves the background.
    expect(JSON.stringify(view)).not.toContain('token-');
    await request(host, 'signOut', {});
    expect(server.tokens.size).toBe(0);
    expect((await request<ServerSettingsView>(host, 'getServerSettings', {})).signedIn).toBeNull();
  });

  it('refuses a sign-in outside the organisation with a sentence of its own, not the server words', async () => {
    await request(host, 'setServerUrl', { url: 'http://127.0.0.1:8787' });
    expect(
      await request(host, 'signInStart', { address: 'mallory@elsewhere.example' }),
    ).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: 'serverErrorSignInForbidden',
    });
  });

  it('forgets the sign-in when the server address changes', async () => {
    await request(host, 'setServerUrl', { url: 'http://127.0.0.1:8787' });
    await signIn(host);
    await request(host, 'setServerUrl', { url: 'http://localhost:9999' });
    expect((await request<ServerSettingsView>(host, 'getServerSettings', {})).signedIn).toBeNull();
  });
});

describe('the panel with a server', () => {
  let host: FakeThunderbirdHost;
  let server: FakeSealpostServer;
  const TAB = 4;

  beforeEach(async () => {
    host = new FakeThunderbirdHost();
    server = new FakeSealpostServer('http://127.0.0.1:8787');
    host.server = server.fetch;
    await request(host, 'setServerUrl', { url: 'http://127.0.0.1:8787' });
    await signIn(host);
    host.openCompose(TAB, { to: ['bob@partner.example', 'dave@other.example'] });
  });

  it("enables the server methods and shows a colleague's organisation code from the directory", async () => {
    const colleague = server.issueToken('carol@example.test');
    await server.fetch('http://127.0.0.1:8787/api/v1/directory/bob%40partner.example', {
      method: 'PUT',
      headers: { authorization: `Bearer ${colleague}`, 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'org-code', orgCode: 'TEAM-4711' }),
    });
    const state = await request<ComposeState>(host, 'getComposeState', { tabId: TAB });
    expect(state.serverConfigured).toBe(true);
    expect(state.defaultCountry).toBe('US');
    const bob = state.recipients.find((view) => view.address === 'bob@partner.example')!;
    expect(bob.settings).toMatchObject({ method: 'org-code', code: 'TEAM-4711' });
    expect(bob.menu.find((entry) => entry.id === 'org-code-existing')?.labelParams).toEqual([
      'TEAM-4711',
    ]);
    expect(bob.menu.every((entry) => !entry.disabledReasonKey)).toBe(true);
    // One directory request for both recipients, then the cache answers the next polls.
    const directoryCalls = () => host.fetched.filter((call) => call.url.includes('/directory?'));
    expect(directoryCalls()).toHaveLength(1);
    expect(directoryCalls()[0]?.url).toContain('address=dave%40other.example');
    await request(host, 'getComposeState', { tabId: TAB });
    expect(directoryCalls()).toHaveLength(1);
  });

  it('shares an organisation code typed by the sender with the directory once it is long enough', async () => {
    const short = await request<{ ok: boolean }>(host, 'saveOrgCode', {
      address: 'bob@partner.example',
      code: 'AB1',
    });
    expect(short.ok).toBe(true);
    expect(server.directory.has('bob@partner.example')).toBe(false);
    await request(host, 'saveOrgCode', { address: 'bob@partner.example', code: 'AB12-CD34' });
    expect(server.directory.get('bob@partner.example')).toMatchObject({
      method: 'org-code',
      orgCode: 'AB12-CD34',
      updatedBy: 'alice@example.test',
    });
    const state = await request<ComposeState>(host, 'getComposeState', { tabId: TAB });
    expect(state.recipients[0]?.settings).toMatchObject({ method: 'org-code', code: 'AB12-CD34' });
  });

  it('keeps working from local settings when the server is down, and does not ask on every poll', async () => {
    await saveRecipientSettings(host.local, 'dave@other.example', { method: 'email' });
    server.failure = 'down';
    const state = await request<ComposeState>(host, 'getComposeState', { tabId: TAB });
    expect(state.serverConfigured).toBe(true);
    expect(state.recipients[1]?.settings?.method).toBe('email');
    const lookups = () => host.fetched.filter((call) => call.url.includes('/directory?')).length;
    expect(lookups()).toBe(1);
    await request(host, 'getComposeState', { tabId: TAB });
    expect(lookups()).toBe(1);
  });
});
