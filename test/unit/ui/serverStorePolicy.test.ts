import { describe, expect, it } from 'vitest';
import { handleRequest } from '../../../src/background/requests.ts';
import type { RequestName, Requests } from '../../../src/messaging/protocol.ts';
import { ServerStore } from '../../../src/options/serverStore.svelte.ts';
import { FakeSealpostServer } from '../../fakes/fakeSealpostServer.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

const SERVER = 'https://sealpost.example.org';

/** The server section when the organisation's policy sets the server (issue 4). */
function setup(allow: boolean) {
  const host = new FakeThunderbirdHost();
  host.policy = { serverUrl: SERVER, organisationName: 'Example Health Trust' };
  const server = new FakeSealpostServer(SERVER);
  host.server = server.fetch;
  /** Permission prompts and requests to the background, in the order they happened. */
  const events: string[] = [];
  const store = new ServerStore({
    async request<K extends RequestName>(name: K, payload: Requests[K]['req']) {
      events.push(`request:${name}`);
      const answer = await handleRequest(host, { sealpost: 1, name, payload });
      if (!answer.ok) throw new Error(answer.error);
      return answer.value as Requests[K]['res'];
    },
    allowOrigin: async (url) => {
      events.push(`allow:${url}`);
      return allow;
    },
    translate: (key, substitutions = []) => [key, ...substitutions].join(':'),
  });
  return { host, server, store, events };
}

describe('ServerStore with a server set by policy', () => {
  it('shows the policy’s server as set by the organisation and does not try to change it', async () => {
    const { host, store, events } = setup(true);
    await store.load();
    expect(store.settings).toMatchObject({ serverUrl: SERVER, urlSource: 'policy' });
    expect(store.urlSetByPolicy).toBe(true);

    events.length = 0;
    store.urlInput = 'https://elsewhere.example';
    await store.saveUrl();
    expect(events).toEqual([]);
    expect(store.settings?.serverUrl).toBe(SERVER);
    expect(host.fetched).toEqual([]);
  });

  it('asks for the server’s host permission in the sign-in click itself, before anything else', async () => {
    const { host, store, events } = setup(true);
    await store.load();
    events.length = 0;
    store.signInAddress = 'alice@example.test';
    const started = store.startSignIn();
    // Synchronously, in the click's own task: after an await the click no longer counts as
    // the user's gesture and Thunderbird would refuse the prompt.
    expect(events).toEqual([`allow:${SERVER}`]);
    await started;
    expect(events).toEqual([`allow:${SERVER}`, 'request:signInStart']);
    expect(store.challenge?.address).toBe('alice@example.test');
    expect(host.fetched.some((request) => request.url.endsWith('/api/v1/auth/start'))).toBe(true);
    store.signInCode = '123456';
    await store.completeSignIn();
    expect(store.settings?.signedIn?.address).toBe('alice@example.test');
  });

  it('does not ask the server for a code when the permission is refused, and says why', async () => {
    const { host, store, events } = setup(false);
    await store.load();
    events.length = 0;
    store.signInAddress = 'alice@example.test';
    await store.startSignIn();
    expect(events).toEqual([`allow:${SERVER}`]);
    expect(store.signInError).toBe('serverPermissionDenied');
    expect(store.challenge).toBeNull();
    expect(host.fetched.filter((request) => request.url.includes('/auth/'))).toEqual([]);
  });
});
