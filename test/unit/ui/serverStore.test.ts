import { beforeEach, describe, expect, it } from 'vitest';
import { handleRequest } from '../../../src/background/requests.ts';
import type { RequestName, Requests } from '../../../src/messaging/protocol.ts';
import { ServerStore } from '../../../src/options/serverStore.svelte.ts';
import { FakeSealpostServer } from '../../fakes/fakeSealpostServer.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

/** The options page's server section against the real background over the fake host. */
function setup(allow: boolean) {
  const host = new FakeThunderbirdHost();
  const server = new FakeSealpostServer('https://sealpost.example.org');
  host.server = server.fetch;
  const asked: string[] = [];
  const store = new ServerStore({
    async request<K extends RequestName>(name: K, payload: Requests[K]['req']) {
      const answer = await handleRequest(host, { sealpost: 1, name, payload });
      if (!answer.ok) throw new Error(answer.error);
      return answer.value as Requests[K]['res'];
    },
    allowOrigin: async (url) => {
      asked.push(url);
      return allow;
    },
    translate: (key, substitutions = []) => [key, ...substitutions].join(':'),
  });
  return { host, server, store, asked };
}

describe('ServerStore (options page)', () => {
  let context: ReturnType<typeof setup>;
  beforeEach(() => {
    context = setup(true);
  });

  it('asks for the host permission before saving and signs in with the mailed code', async () => {
    const { store, asked } = context;
    await store.load();
    expect(store.settings?.serverUrl).toBeNull();
    store.urlInput = 'https://sealpost.example.org/';
    await store.saveUrl();
    expect(asked).toEqual(['https://sealpost.example.org/']);
    expect(store.settings?.serverUrl).toBe('https://sealpost.example.org');
    expect(store.urlNotice).toBe('optionsServerUrlSaved');

    store.signInAddress = 'alice@example.test';
    await store.startSignIn();
    expect(store.challenge?.address).toBe('alice@example.test');
    store.signInCode = '000000';
    await store.completeSignIn();
    expect(store.signInError).toBe('serverErrorWrongCode');
    store.signInCode = '123456';
    await store.completeSignIn();
    expect(store.signInError).toBeNull();
    expect(store.settings?.signedIn?.organisation.name).toBe('Example Org');
    expect(store.challenge).toBeNull();
  });

  it('says what to type for an empty or malformed address and an empty code, asking no server', async () => {
    const { store, server } = context;
    store.urlInput = 'https://sealpost.example.org';
    await store.saveUrl();
    const challengesBefore = server.challenges.size;
    store.signInAddress = '   ';
    await store.startSignIn();
    expect(store.signInError).toBe('optionsSignInAddressEmpty');
    store.signInAddress = 'alice at example';
    await store.startSignIn();
    expect(store.signInError).toBe('optionsSignInAddressInvalid:alice at example');
    expect(store.challenge).toBeNull();
    expect(server.challenges.size).toBe(challengesBefore);

    store.signInAddress = 'alice@example.test';
    await store.startSignIn();
    expect(store.signInError).toBeNull();
    store.signInCode = ' ';
    await store.completeSignIn();
    expect(store.signInError).toBe('optionsSignInCodeEmpty');
    expect(store.challenge).not.toBeNull();
  });

  it('tells the page when the server or who is signed in changed, so the settings follow', async () => {
    const host = new FakeThunderbirdHost();
    host.server = new FakeSealpostServer('https://sealpost.example.org').fetch;
    let changes = 0;
    const store = new ServerStore({
      async request<K extends RequestName>(name: K, payload: Requests[K]['req']) {
        const answer = await handleRequest(host, { sealpost: 1, name, payload });
        if (!answer.ok) throw new Error(answer.error);
        return answer.value as Requests[K]['res'];
      },
      allowOrigin: async () => true,
      translate: (key) => key,
      changed: () => changes++,
    });
    await store.load();
    expect(changes).toBe(0);
    store.urlInput = 'https://sealpost.example.org';
    await store.saveUrl();
    expect(changes).toBe(1);
    store.signInAddress = 'alice@example.test';
    await store.startSignIn();
    expect(changes).toBe(1);
    store.signInCode = '123456';
    await store.completeSignIn();
    expect(changes).toBe(2);
    await store.signOut();
    expect(changes).toBe(3);
  });

  it('keeps the old address and says why when the permission is refused or the URL is insecure', async () => {
    const refused = setup(false);
    refused.store.urlInput = 'https://sealpost.example.org';
    await refused.store.saveUrl();
    expect(refused.store.urlError).toBe('serverPermissionDenied');
    expect(refused.store.settings).toBeNull();

    const { store } = context;
    store.urlInput = 'http://sealpost.example.org';
    await store.saveUrl();
    expect(store.urlError).toBe('serverUrlInsecure');
  });

  it('shows read status and revokes a sent message', async () => {
    const { host, server, store } = context;
    store.urlInput = 'https://sealpost.example.org';
    await store.saveUrl();
    store.signInAddress = 'alice@example.test';
    await store.startSignIn();
    store.signInCode = '123456';
    await store.completeSignIn();
    const token = [...server.tokens.keys()][0]!;
    server.messages.set('m-1', {
      request: {
        messageId: 'm-1',
        locks: [
          {
            lockId: 'lock-aaaaaaaaaaaaaaaa',
            method: 'sms',
            address: 'dave@mobile.example',
            hidden: false,
            serverShare: 'x',
            language: 'en',
          },
        ],
      },
      owner: server.tokens.get(token)!,
      revokedAt: null,
    });
    await host.local.set('sent:m-1', {
      messageId: 'm-1',
      serverUrl: 'https://sealpost.example.org',
      subject: 'Contract',
      sentAt: '2026-11-27T09:00:00.000Z',
      expiresAt: '2026-12-27T09:00:00.000Z',
      recipients: [{ address: 'dave@mobile.example', method: 'sms', hidden: false }],
    });
    await store.load();
    expect(store.sent.map((record) => record.subject)).toEqual(['Contract']);
    await store.loadStatus('m-1');
    expect(store.statuses['m-1']?.recipients[0]).toMatchObject({
      address: 'dave@mobile.example',
      openedAt: null,
    });
    await store.revoke('m-1');
    expect(server.messages.get('m-1')?.revokedAt).not.toBeNull();
    expect(store.sent[0]?.revokedAt).toBe(server.messages.get('m-1')?.revokedAt);
    await store.signOut();
    await store.revoke('m-1');
    expect(store.sentErrors['m-1']).toBe('serverNotConfigured');
  });
});
