import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { handleRequest } from '../../../src/background/requests.ts';
import type { RequestName, Requests } from '../../../src/messaging/protocol.ts';
import {
  fingerprintGroups,
  keyFileRequest,
  RecipientKeysStore,
} from '../../../src/options/recipientKeysStore.svelte.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

/** The options page's recipients' keys section against the real background over the fake host. */
function setup(host = new FakeThunderbirdHost()) {
  const requests: RequestName[] = [];
  const store = new RecipientKeysStore({
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

async function bobKey() {
  return openpgp.generateKey({
    type: 'ecc',
    userIDs: [{ name: 'Bob', email: 'bob@partner.example' }],
    format: 'object',
  });
}

describe('RecipientKeysStore (options page)', () => {
  it('imports a pasted key, lists it, and removes it', async () => {
    const { store } = setup();
    await store.load();
    expect(store.status).toBe('ready');
    expect(store.keys).toEqual([]);

    await store.importPasted();
    expect(store.error).toBe('optionsKeysPasteEmpty');

    const { publicKey } = await bobKey();
    store.pasted = publicKey.armor();
    expect(await store.importPasted()).toBe(true);
    expect(store.error).toBeNull();
    expect(store.notice).toBe('optionsKeysImported:bob@partner.example');
    expect(store.pasted).toBe('');
    expect(store.keys).toEqual([
      expect.objectContaining({
        address: 'bob@partner.example',
        fingerprint: publicKey.getFingerprint().toUpperCase(),
        version: 4,
        source: 'manual',
        expiresAt: null,
      }),
    ]);

    await store.remove('bob@partner.example');
    expect(store.notice).toBe('optionsKeysRemoved:bob@partner.example');
    expect(store.keys).toEqual([]);
  });

  it('says why a key was refused and keeps the pasted text to correct it', async () => {
    const { store } = setup();
    await store.load();
    const { privateKey } = await bobKey();
    store.pasted = privateKey.armor();
    expect(await store.importPasted()).toBe(false);
    expect(store.error).toBe('optionsKeysProblemPrivate');
    expect(store.pasted).toContain('PRIVATE KEY BLOCK');
    expect(store.keys).toEqual([]);

    store.pasted = 'not a key';
    await store.importPasted();
    expect(store.error).toBe('optionsKeysProblemUnreadable');
  });

  it('imports a binary key file as base64 and an armored one as text', async () => {
    const { store } = setup();
    await store.load();
    const { publicKey } = await bobKey();
    const binary = publicKey.write();
    expect(keyFileRequest(binary)).toHaveProperty('base64');
    expect(keyFileRequest(new TextEncoder().encode(publicKey.armor()))).toEqual({
      armored: publicKey.armor(),
    });
    expect(await store.importFile(binary)).toBe(true);
    expect(store.keys.map((key) => key.address)).toEqual(['bob@partner.example']);

    expect(await store.importFile(new Uint8Array(2 * 1024 * 1024))).toBe(false);
    expect(store.error).toBe('optionsKeysProblemTooLarge');
  });

  it('shows a fingerprint in groups of four', () => {
    expect(fingerprintGroups('0123456789ABCDEF0123456789ABCDEF01234567')).toBe(
      '0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567',
    );
  });
});
