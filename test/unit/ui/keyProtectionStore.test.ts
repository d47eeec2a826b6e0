import { describe, expect, it } from 'vitest';
import { handleRequest } from '../../../src/background/requests.ts';
import type { RequestName, Requests } from '../../../src/messaging/protocol.ts';
import { KeyProtectionStore } from '../../../src/options/keyProtectionStore.svelte.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

/** The options page's key section against the real background over the fake host. */
function setup(host = new FakeThunderbirdHost()) {
  const requests: RequestName[] = [];
  const store = new KeyProtectionStore({
    async request<K extends RequestName>(name: K, payload: Requests[K]['req']) {
      requests.push(name);
      const answer = await handleRequest(host, { sealpost: 1, name, payload });
      if (!answer.ok) throw new Error(answer.error);
      return answer.value as Requests[K]['res'];
    },
    translate: (key, substitutions = []) => [key, ...substitutions].join(':'),
  });
  return { host, store, requests };
}

describe('KeyProtectionStore (options page)', () => {
  it('checks the new passphrase in the page before asking the background', async () => {
    const { store, requests } = setup();
    await store.load();
    expect(store.view).toEqual({ protected: false, unlocked: false });
    store.open('set');
    store.next = 'lantern quarry';
    store.confirmation = 'lantern quarrel';
    await store.submit();
    expect(store.error).toBe('passphraseMismatch');
    store.next = 'short';
    store.confirmation = 'short';
    await store.submit();
    expect(store.error).toBe('passphraseTooShort:8');
    expect(requests).toEqual(['getKeyProtection']);
    expect(store.mode).toBe('set');
  });

  it('sets, changes and removes the passphrase, emptying the fields after each try', async () => {
    const { store } = setup();
    await store.load();
    store.open('set');
    store.next = store.confirmation = 'lantern quarry mosaic';
    await store.submit();
    expect(store.view).toEqual({ protected: true, unlocked: false });
    expect(store.mode).toBe('idle');
    expect(store.notice).toBe('optionsPassphraseSaved');
    expect([store.current, store.next, store.confirmation]).toEqual(['', '', '']);

    store.open('change');
    store.current = 'lantern quarry';
    store.next = store.confirmation = 'copper kettle meadow';
    await store.submit();
    expect(store.error).toBe('passphraseWrong');
    expect(store.mode).toBe('change');
    expect([store.current, store.next, store.confirmation]).toEqual(['', '', '']);
    store.current = 'lantern quarry mosaic';
    store.next = store.confirmation = 'copper kettle meadow';
    await store.submit();
    expect(store.notice).toBe('optionsPassphraseChanged');

    store.open('remove');
    store.current = 'copper kettle meadow';
    await store.submit();
    expect(store.notice).toBe('optionsPassphraseRemoved');
    expect(store.view).toEqual({ protected: false, unlocked: false });
  });

  it('locks a session that was unlocked', async () => {
    const { store, host } = setup();
    store.open('set');
    store.next = store.confirmation = 'lantern quarry mosaic';
    await store.submit();
    await handleRequest(host, {
      sealpost: 1,
      name: 'unlockSenderKeys',
      payload: { passphrase: 'lantern quarry mosaic' },
    });
    await store.load();
    expect(store.view).toEqual({ protected: true, unlocked: true });
    await store.lockNow();
    expect(store.view).toEqual({ protected: true, unlocked: false });
    expect(store.notice).toBe('optionsPassphraseLocked');
  });
});
