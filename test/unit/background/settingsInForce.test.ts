/**
 * The options page's settings rows and its server section show one server and one
 * organisation: the settings view takes both from the server view (policy, the sender's own
 * address, a development `defaults.json`; the organisation signed in to when no policy names one).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { handleRequest } from '../../../src/background/requests.ts';
import type { ServerSettingsView, SettingsView } from '../../../src/messaging/protocol.ts';
import { FakeSealpostServer } from '../../fakes/fakeSealpostServer.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

const SERVER = 'http://127.0.0.1:8787';

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

describe('settings in force: server and organisation', () => {
  let host: FakeThunderbirdHost;

  beforeEach(() => {
    host = new FakeThunderbirdHost();
    host.server = new FakeSealpostServer(SERVER).fetch;
  });

  async function both(): Promise<{ settings: SettingsView; server: ServerSettingsView }> {
    return {
      settings: await request<SettingsView>(host, 'getSettings', {}),
      server: await request<ServerSettingsView>(host, 'getServerSettings', {}),
    };
  }

  it('no server anywhere: none in either section', async () => {
    const { settings, server } = await both();
    expect(server).toMatchObject({ serverUrl: null, organisationName: null });
    expect(settings.effective.serverUrl).toMatchObject({ value: undefined, source: 'default' });
    expect(settings.effective.organisationName.value).toBeUndefined();
  });

  it("the development server of defaults.json is the settings' server too", async () => {
    host.packagedFiles.set('defaults.json', `{ "serverUrl": "${SERVER}" }`);
    const { settings, server } = await both();
    expect(server.serverUrl).toBe(SERVER);
    expect(settings.effective.serverUrl).toEqual({
      value: SERVER,
      source: 'default',
      locked: false,
    });
  });

  it("the sender's own server and the organisation signed in to, in both sections", async () => {
    await request(host, 'setServerUrl', { url: SERVER });
    await signIn(host);
    const { settings, server } = await both();
    expect(settings.effective.serverUrl).toEqual({ value: SERVER, source: 'user', locked: false });
    expect(server.organisationName).toBe('Example Org');
    expect(settings.effective.organisationName).toEqual({
      value: 'Example Org',
      source: 'server',
      locked: false,
    });
    // Saving a setting answers with the same view, not the policy's alone.
    const saved = await request<SettingsView>(host, 'saveSettings', {
      changes: { secureByDefault: true },
    });
    expect(saved.effective.serverUrl.value).toBe(SERVER);
    expect(saved.effective.organisationName.value).toBe('Example Org');
  });

  it("the policy's server and organisation name win, locked, in both sections", async () => {
    host.policy = { serverUrl: SERVER, organisationName: 'Example Health Trust' };
    await signIn(host);
    const { settings, server } = await both();
    expect(server).toMatchObject({
      serverUrl: SERVER,
      urlSource: 'policy',
      organisationName: 'Example Health Trust',
    });
    expect(settings.effective.serverUrl).toEqual({
      value: SERVER,
      source: 'organisation',
      locked: true,
    });
    expect(settings.effective.organisationName).toEqual({
      value: 'Example Health Trust',
      source: 'organisation',
      locked: true,
    });
    const compose = await (async () => {
      host.openCompose(3, { to: ['bob@partner.example'], subject: 'S', plainTextBody: 'B' });
      return request<{ organisationName: string | null }>(host, 'getComposeState', { tabId: 3 });
    })();
    expect(compose.organisationName).toBe('Example Health Trust');
  });

  it('the panel names the organisation signed in to when no policy names one', async () => {
    await request(host, 'setServerUrl', { url: SERVER });
    await signIn(host);
    host.openCompose(3, { to: ['bob@partner.example'], subject: 'S', plainTextBody: 'B' });
    const compose = await request<{ organisationName: string | null }>(host, 'getComposeState', {
      tabId: 3,
    });
    expect(compose.organisationName).toBe('Example Org');
  });

  it('a refused change says why in words, not as the key and its rule', async () => {
    const answer = await handleRequest(host, {
      sealpost: 1,
      name: 'saveSettings',
      payload: { changes: { expiryDays: 9999 } },
    });
    expect(answer).toEqual({ ok: false, error: 'optionsSettingSaveInvalid' });
  });
});
