import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildMethodMenu } from '../../../src/core/methodMenuBuilder.ts';
import { MANAGED_DEFAULTS, effectiveSettings } from '../../../src/core/policy.ts';
import type { RecipientSettings } from '../../../src/core/recipientSettings.ts';
import type {
  ComposeState,
  RequestName,
  Requests,
  RecipientView,
} from '../../../src/messaging/protocol.ts';
import { ComposeStore } from '../../../src/popup/composeStore.svelte.ts';

/**
 * A stateful fake background (house style rule 6): it keeps secure mode, settings and the
 * problem, and builds the menu with the real menu builder, like the real one.
 */
const noServer = { serverUrl: null, urlSource: null, signedIn: null, organisationName: null };
const noSettings = {
  effective: effectiveSettings({ defaults: MANAGED_DEFAULTS, user: {}, managed: {} }),
  problems: [],
  managed: false,
};

function fakeBackground() {
  const settings = new Map<string, RecipientSettings>();
  const state = {
    secure: false,
    problem: null as ComposeState['problem'],
    required: null as ComposeState['secureRequired'],
  };
  const requests: { name: RequestName; payload: unknown }[] = [];
  const optionsOpened = { count: 0 };
  let delayMs = 10;

  function view(address: string, internal = false): RecipientView {
    const stored = settings.get(address) ?? null;
    return {
      address,
      name: '',
      field: 'to',
      internal,
      settings: stored,
      language: stored?.language ?? 'en',
      menu: buildMethodMenu({ settings: stored, serverConfigured: false, keyKnown: false }),
    };
  }

  const handlers: { [K in RequestName]: (payload: Requests[K]['req']) => Requests[K]['res'] } = {
    getComposeState: ({ tabId }) => ({
      tabId,
      secure: state.secure,
      sender: { name: 'Alice', address: 'alice@example.test' },
      recipients: [view('bob@partner.example'), view('colleague@example.test', true)],
      uiLanguage: 'en',
      serverConfigured: false,
      problem: state.problem,
      secureRequired: state.required,
      organisationName: null,
      languages: ['en', 'de', 'nl'],
      minimumCodeStrength: 14,
      serverSignInNeeded: false,
    }),
    setNeutralSubject: ({ neutral }) => ({ neutral, enforced: false }),
    setSecureMode: ({ secure }) => {
      // Like the background: "off" is refused while the policy requires secure mode.
      state.secure = secure || state.required !== null;
      return { secure: state.secure, required: secure ? null : state.required };
    },
    saveRecipientSettings: ({ address, changes }) => {
      const next: RecipientSettings = { ...settings.get(address), address, updatedAt: 'now' };
      for (const [field, value] of Object.entries(changes)) {
        if (value === '' || value === undefined) delete next[field as keyof typeof changes];
        else Object.assign(next, { [field]: value });
      }
      settings.set(address, next);
      return { settings: next };
    },
    listRecipients: () => ({ recipients: [...settings.values()] }),
    forgetRecipient: ({ address }) => ({ forgotten: settings.delete(address) }),
    dismissProblem: () => {
      state.problem = null;
      return { dismissed: true };
    },
    openSecureMessage: () => ({ ok: false, reason: 'not-sealed' }),
    getKeyProtection: () => ({ protected: false, unlocked: false }),
    setPassphrase: () => ({ ok: false, reason: 'too-short' }),
    changePassphrase: () => ({ ok: false, reason: 'not-protected' }),
    removePassphrase: () => ({ ok: false, reason: 'not-protected' }),
    unlockSenderKeys: () => ({ ok: false, reason: 'not-protected' }),
    lockSenderKeys: () => ({ protected: false, unlocked: false }),
    getServerSettings: () => noServer,
    setServerUrl: () => ({ ok: true, value: noServer }),
    signInStart: () => ({ ok: false, code: 'not-configured', message: 'no server' }),
    signInComplete: () => ({ ok: false, code: 'not-configured', message: 'no server' }),
    signOut: () => noServer,
    saveOrgCode: ({ address, code }) => {
      const next: RecipientSettings = { ...settings.get(address), address, updatedAt: 'now' };
      Object.assign(next, { method: 'org-code', code });
      settings.set(address, next);
      return { ok: true, value: { settings: next } };
    },
    listSentMessages: () => ({ messages: [] }),
    getMessageStatus: () => ({ ok: false, code: 'not-configured', message: 'no server' }),
    revokeMessage: () => ({ ok: false, code: 'not-configured', message: 'no server' }),
    getSettings: () => noSettings,
    saveSettings: () => noSettings,
    sendSealedCopy: () => ({ sent: true, problem: null }),
    unlockRecipient: () => ({ ok: false, code: 'not-configured', message: 'no server' }),
    changeRecipientPhone: () => ({ ok: false, code: 'not-configured', message: 'no server' }),
    forgetRecipientDevices: () => ({ ok: false, code: 'not-configured', message: 'no server' }),
    listKeys: () => ({ keys: [] }),
    importKey: () => ({ ok: false, problem: 'unreadable' }),
    removeKey: () => ({ removed: false }),
    replySecurely: () => ({ ok: false, reason: 'not-sealed' }),
    exportSenderKeys: () => ({ ok: false, reason: 'no-keys' }),
    restoreSenderKeys: () => ({ ok: false, reason: 'unreadable' }),
    setLinkDelivery: ({ byLink }) => ({ byLink }),
    getSendProgress: () => null,
    cancelSend: () => ({ cancelled: false }),
  };

  return {
    settings,
    state,
    requests,
    setDelay: (ms: number) => (delayMs = ms),
    ports: {
      async request<K extends RequestName>(name: K, payload: Requests[K]['req']) {
        requests.push({ name, payload });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return structuredClone(handlers[name](structuredClone(payload)));
      },
      findComposeTab: async () => 3,
      translate: (key: string, substitutions: readonly string[] = []) =>
        [key, ...substitutions].join(':'),
      openOptions: async () => {
        optionsOpened.count++;
      },
    },
    optionsOpened,
  };
}

describe('ComposeStore', () => {
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
    return { background, store };
  }

  it('loads the compose tab state and keeps polling it', async () => {
    const { background, store } = await started();
    expect(store.state?.tabId).toBe(3);
    background.settings.set('bob@partner.example', {
      address: 'bob@partner.example',
      method: 'code',
      code: 'K7QM',
      updatedAt: 'x',
    });
    await vi.advanceTimersByTimeAsync(1100);
    expect(store.state?.recipients[0]?.settings?.code).toBe('K7QM');
    store.stop();
  });

  it('opens the options page when the sender follows the sign-in note, and says if it cannot', async () => {
    const background = fakeBackground();
    const store = new ComposeStore(background.ports);
    await store.openOptions();
    expect(background.optionsOpened.count).toBe(1);
    const failing = new ComposeStore({
      ...background.ports,
      openOptions: () => Promise.reject(new Error('no options page')),
    });
    await failing.openOptions();
    expect(failing.loadError).toBe('no options page');
  });

  it('reports a popup opened outside a compose window', async () => {
    const background = fakeBackground();
    const store = new ComposeStore({
      ...background.ports,
      findComposeTab: () => Promise.reject(new Error('no compose tab')),
    });
    await store.start();
    expect(store.loadError).toBe('no compose tab');
    expect(store.state).toBeNull();
  });

  it('does not let a poll that started before a toggle flip it back', async () => {
    const { background, store } = await started();
    background.setDelay(300);
    // A poll is in flight (asked at 1 s) when the sender switches secure mode on.
    await vi.advanceTimersByTimeAsync(1000);
    void store.setSecure(true);
    expect(store.state?.secure).toBe(true);
    // The poll asked at 1 s answers "off" at 1.31 s, before the toggle's own answer at 1.32 s.
    await vi.advanceTimersByTimeAsync(295);
    expect(background.requests.filter((entry) => entry.name === 'getComposeState')).toHaveLength(2);
    expect(store.state?.secure).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(store.state?.secure).toBe(true);
    expect(background.state.secure).toBe(true);
    store.stop();
  });

  it('chooses a new code, saves the typed code after a pause and marks the row saved', async () => {
    const { background, store } = await started();
    const address = 'bob@partner.example';
    store.chooseEntry(address, 'code-new');
    expect(store.isSaved(address)).toBe(false);
    store.editCode(address, 'K7QM');
    store.editCode(address, 'K7QM-X2PA');
    await vi.advanceTimersByTimeAsync(400);
    expect(store.isSaved(address)).toBe(true);
    expect(background.settings.get(address)).toMatchObject({ method: 'code', code: 'K7QM-X2PA' });
    const saves = background.requests.filter((entry) => entry.name === 'saveRecipientSettings');
    expect(saves.map((entry) => entry.payload)).toEqual([
      { address, changes: { method: 'code', code: '' } },
      { address, changes: { method: 'code', code: 'K7QM-X2PA' } },
    ]);
    // The menu now offers "Access code K7QM-X2PA", but the field the sender types in stays.
    await vi.advanceTimersByTimeAsync(1100);
    const bob = store.state!.recipients[0]!;
    expect(bob.menu.some((entry) => entry.id === 'code-existing')).toBe(true);
    expect(store.rowModel(bob)).toMatchObject({ selectedEntry: 'code-new', showCodeField: true });
    store.stop();
  });

  it('takes back a code that choosing a new one cleared', async () => {
    const { background, store } = await started();
    const address = 'bob@partner.example';
    background.settings.set(address, {
      address,
      method: 'code',
      code: 'K7QM-X2PA',
      updatedAt: 'x',
    });
    await vi.advanceTimersByTimeAsync(1100);
    store.chooseEntry(address, 'code-new');
    await vi.advanceTimersByTimeAsync(50);
    expect(background.settings.get(address)?.code).toBeUndefined();
    expect(store.rowModel(store.state!.recipients[0]!).replacedCode).toBe('K7QM-X2PA');
    store.restoreCode(address);
    await vi.advanceTimersByTimeAsync(1100);
    expect(background.settings.get(address)).toMatchObject({ method: 'code', code: 'K7QM-X2PA' });
    expect(store.rowModel(store.state!.recipients[0]!)).toMatchObject({
      selectedEntry: 'code-existing',
      showCodeField: false,
    });
    store.stop();
  });

  it('ignores disabled entries', async () => {
    const { background, store } = await started();
    store.chooseEntry('bob@partner.example', 'sms-new');
    await vi.advanceTimersByTimeAsync(100);
    expect(background.requests.some((entry) => entry.name === 'saveRecipientSettings')).toBe(false);
    store.stop();
  });

  it('saves the language at once', async () => {
    const { background, store } = await started();
    store.setLanguage('bob@partner.example', 'de');
    await vi.advanceTimersByTimeAsync(50);
    expect(background.settings.get('bob@partner.example')?.language).toBe('de');
    expect(store.rowModel(store.state!.recipients[0]!).language).toBe('de');
    store.stop();
  });

  it('shows a problem until dismissed, then tells the background', async () => {
    const background = fakeBackground();
    background.state.problem = {
      reason: 'no-method',
      recipient: 'bob@partner.example',
      message: 'Choose how bob@partner.example proves who they are',
    };
    const store = new ComposeStore(background.ports);
    const starting = store.start();
    await vi.advanceTimersByTimeAsync(20);
    await starting;
    expect(store.problem?.recipient).toBe('bob@partner.example');
    const dismissing = store.dismissProblem();
    expect(store.problem).toBeNull();
    await vi.advanceTimersByTimeAsync(20);
    await dismissing;
    expect(background.state.problem).toBeNull();
    store.stop();
  });

  it('sends a code still waiting when the popup closes', async () => {
    const { background, store } = await started();
    store.editCode('bob@partner.example', 'typed-just-now');
    store.stop();
    await vi.advanceTimersByTimeAsync(50);
    expect(background.settings.get('bob@partner.example')?.code).toBe('typed-just-now');
  });
});
