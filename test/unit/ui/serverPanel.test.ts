import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildMethodMenu } from '../../../src/core/methodMenuBuilder.ts';
import type { RecipientSettings } from '../../../src/core/recipientSettings.ts';
import type { ComposeState, RequestName, Requests } from '../../../src/messaging/protocol.ts';
import { ComposeStore } from '../../../src/popup/composeStore.svelte.ts';
import { changesForEntry } from '../../../src/ui/recipientRow.ts';

const BOB = 'bob@partner.example';

/** A fake background with a server configured: the menus offer the server methods. */
function fakeBackground() {
  const settings = new Map<string, RecipientSettings>();
  const requests: { name: RequestName; payload: unknown }[] = [];
  const save = (address: string, changes: Partial<RecipientSettings>) => {
    const next: RecipientSettings = { ...settings.get(address), address, updatedAt: 'now' };
    for (const [field, value] of Object.entries(changes)) {
      if (value === '' || value === undefined) delete next[field as keyof RecipientSettings];
      else Object.assign(next, { [field]: value });
    }
    settings.set(address, next);
    return next;
  };
  const state = (): ComposeState => {
    const stored = settings.get(BOB) ?? null;
    return {
      tabId: 3,
      secure: true,
      sender: { name: 'Alice', address: 'alice@example.test' },
      recipients: [
        {
          address: BOB,
          name: 'Bob',
          field: 'to',
          internal: false,
          settings: stored,
          language: 'en',
          menu: buildMethodMenu({ settings: stored, serverConfigured: true, keyKnown: false }),
        },
      ],
      uiLanguage: 'de',
      serverConfigured: true,
      problem: null,
      defaultCountry: 'DE',
      secureRequired: null,
      organisationName: null,
      languages: ['en', 'de'],
      minimumCodeStrength: 14,
      serverSignInNeeded: false,
    };
  };
  const ports = {
    async request<K extends RequestName>(name: K, payload: Requests[K]['req']) {
      requests.push({ name, payload });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const body = payload as {
        address: string;
        changes?: Partial<RecipientSettings>;
        code?: string;
      };
      const answers: Partial<Record<RequestName, () => unknown>> = {
        getComposeState: state,
        saveRecipientSettings: () => ({ settings: save(body.address, body.changes ?? {}) }),
        saveOrgCode: () => ({
          ok: true,
          value: { settings: save(body.address, { method: 'org-code', code: body.code ?? '' }) },
        }),
      };
      const answer = answers[name];
      if (!answer) throw new Error(`unexpected ${name}`);
      return structuredClone(answer()) as Requests[K]['res'];
    },
    findComposeTab: async () => 3,
    translate: (key: string, substitutions: readonly string[] = []) =>
      [key, ...substitutions].join(':'),
    openOptions: async () => undefined,
  };
  return { settings, requests, ports };
}

describe('the panel with a server', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function started() {
    const background = fakeBackground();
    const store = new ComposeStore(background.ports);
    const starting = store.start();
    await vi.advanceTimersByTimeAsync(20);
    await starting;
    const row = () => store.rowModel(store.state!.recipients[0]!);
    return { background, store, row };
  }

  it('takes a new mobile number in the UI country and saves it as E.164', async () => {
    const { background, store, row } = await started();
    store.chooseEntry(BOB, 'sms-new');
    await vi.advanceTimersByTimeAsync(20);
    expect(row().showPhoneField).toBe(true);
    expect(row().showCodeField).toBe(false);

    store.editPhone(BOB, '12');
    store.commitPhone(BOB);
    expect(row().phoneError).toBe('phoneInvalid');
    expect(background.settings.get(BOB)?.phone).toBeUndefined();

    store.editPhone(BOB, '0151 2345 6789');
    expect(row().phoneError).toBeUndefined();
    store.commitPhone(BOB);
    await vi.advanceTimersByTimeAsync(50);
    expect(background.settings.get(BOB)).toMatchObject({ method: 'sms', phone: '+4915123456789' });
    expect(row().phone).toBe('+4915123456789');
    expect(row().phoneSaved).toBe(true);
    // The menu now offers the known number, masked.
    expect(
      store.state?.recipients[0]?.menu.find((entry) => entry.id === 'sms-known')?.labelParams,
    ).toEqual(['+49 ••• •••• 89']);
    store.stop();
  });

  it('saves a number still being typed when the popup closes', async () => {
    const { background, store } = await started();
    store.chooseEntry(BOB, 'sms-new');
    store.editPhone(BOB, '+31 6 12345678');
    store.stop();
    await vi.advanceTimersByTimeAsync(50);
    expect(background.settings.get(BOB)?.phone).toBe('+31612345678');
  });

  it('sets up an organisation-wide code through the directory request, with the server minimum', async () => {
    const { background, store, row } = await started();
    store.chooseEntry(BOB, 'org-code-new');
    await vi.advanceTimersByTimeAsync(20);
    expect(row()).toMatchObject({
      showCodeField: true,
      codeKind: 'organisation',
      serverCodeMinimum: 6,
    });
    store.editCode(BOB, 'TEAM-4711');
    await vi.advanceTimersByTimeAsync(400);
    expect(background.requests.filter((entry) => entry.name === 'saveOrgCode')).toEqual([
      { name: 'saveOrgCode', payload: { address: BOB, code: 'TEAM-4711' } },
    ]);
    expect(background.settings.get(BOB)).toMatchObject({ method: 'org-code', code: 'TEAM-4711' });
    store.stop();
  });

  it('stores the real number and code when an existing entry is chosen', () => {
    expect(
      changesForEntry({
        id: 'sms-known',
        method: 'sms',
        labelKey: 'methodSmsKnown',
        labelParams: ['+49 ••• •••• 12'],
        stores: { phone: '+4915112345612' },
      }),
    ).toEqual({ method: 'sms', phone: '+4915112345612' });
    expect(
      changesForEntry({
        id: 'org-code-existing',
        method: 'org-code',
        labelKey: 'methodOrgCodeExisting',
        labelParams: ['TEAM-4711'],
        stores: { code: 'TEAM-4711' },
      }),
    ).toEqual({ method: 'org-code', code: 'TEAM-4711' });
    expect(
      changesForEntry({ id: 'org-code-new', method: 'org-code', labelKey: 'x', labelParams: [] }),
    ).toEqual({ method: 'org-code', code: '' });
  });
});
