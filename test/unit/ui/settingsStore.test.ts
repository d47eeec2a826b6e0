import { describe, expect, it } from 'vitest';
import { handleRequest } from '../../../src/background/requests.ts';
import { editableKeys } from '../../../src/core/policy.ts';
import type { RequestName, Requests } from '../../../src/messaging/protocol.ts';
import { SettingsStore } from '../../../src/options/settingsStore.svelte.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

/** The options page's settings section against the real background over the fake host. */
function setup(policy?: unknown, host = new FakeThunderbirdHost()) {
  if (policy !== undefined) host.policy = policy;
  const requests: RequestName[] = [];
  const store = new SettingsStore({
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

describe('SettingsStore (options page)', () => {
  it('loads the settings, saves the sender’s own value and removes it again', async () => {
    const { host, store } = setup();
    await store.load();
    expect(store.status).toBe('ready');
    expect(store.view?.managed).toBe(false);
    expect(store.view?.effective.expiryDays).toEqual({
      value: 30,
      source: 'default',
      locked: false,
    });

    store.edit('expiryDays');
    expect(store.editing).toBe('expiryDays');
    expect(store.draft.days).toBe('30');
    store.draft.days = '14';
    expect(await store.save()).toBe(true);
    expect(store.editing).toBeNull();
    expect(store.announcement).toBe('optionsSettingSaved');
    expect(store.view?.effective.expiryDays).toEqual({ value: 14, source: 'user', locked: false });

    // The page opened again sees what was stored.
    const { store: reopened } = setup(undefined, host);
    await reopened.load();
    expect(reopened.view?.effective.expiryDays.value).toBe(14);
    expect(await reopened.useDefault('expiryDays')).toBe(true);
    expect(reopened.view?.effective.expiryDays).toEqual({
      value: 30,
      source: 'default',
      locked: false,
    });
  });

  it('keeps a draft that cannot be saved, says why next to it and sends nothing', async () => {
    const { store, requests } = setup();
    await store.load();
    store.edit('expiryDays');
    store.draft.days = '400';
    expect(await store.save()).toBe(false);
    expect(store.editing).toBe('expiryDays');
    expect(store.errors.expiryDays).toBe('optionsSettingDaysInvalid:1:365');
    expect(requests).toEqual(['getSettings']);

    store.edit('languages');
    store.draft.languages = [];
    expect(await store.save()).toBe(false);
    expect(store.errors.languages).toBe('optionsSettingLanguagesEmpty');
    store.cancel();
    expect(store.editing).toBeNull();
    expect(store.errors.languages).toBeUndefined();
  });

  it('does not open a locked key, and shows the background’s refusal when the policy changed meanwhile', async () => {
    const { host, store } = setup({ subject: 'neutral', organisationName: 'Example Health Trust' });
    await store.load();
    expect(store.view?.managed).toBe(true);
    // Without lockUserSettings the policy's subject is only a starting value.
    expect(store.view?.effective.subject).toEqual({
      value: 'neutral',
      source: 'organisation',
      locked: false,
    });
    store.edit('subject');
    expect(store.draft.choice).toBe('neutral');

    host.policy = { subject: 'neutral', lockUserSettings: true };
    store.draft.choice = 'keep';
    expect(await store.save()).toBe(false);
    expect(store.errors.subject).toBe('optionsSettingSaveLocked');
    // The page shows the lock at once, not only after a reload.
    expect(store.view?.effective.subject.locked).toBe(true);

    store.cancel();
    await store.load();
    expect(editableKeys(store.view!.effective)).not.toContain('subject');
    store.edit('subject');
    expect(store.editing).toBeNull();
  });

  it('reports the policy’s problems with the view', async () => {
    const { store } = setup({ expiryDays: 0, languages: ['de'] });
    await store.load();
    expect(store.view?.problems.map((problem) => problem.key)).toEqual(['expiryDays']);
    expect(store.view?.effective.languages.value).toEqual(['de']);
  });

  it('says why the settings could not be loaded', async () => {
    const store = new SettingsStore({
      request: async () => {
        throw new Error('background restarting');
      },
      translate: (key) => key,
    });
    await store.load();
    expect(store.status).toBe('failed');
    expect(store.loadError).toBe('background restarting');
  });
});
