import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getComposeState } from '../../../src/background/composeState.ts';
import { saveRecipientSettings } from '../../../src/background/recipientStore.ts';
import { handleRequest } from '../../../src/background/requests.ts';
import { handleAfterSend, handleBeforeSend } from '../../../src/background/sealOnSend.ts';
import { isSecure, setSecure, startComposeTab } from '../../../src/background/secureMode.ts';
import { toggleSecure } from '../../../src/background/secureSwitch.ts';
import { extractEnvelopeJson, parseEnvelope } from '../../../src/core/envelopeCodec.ts';
import { editableKeys } from '../../../src/core/policy.ts';
import { neutralSubject } from '../../../src/i18n/notification.ts';
import type { SettingsView } from '../../../src/messaging/protocol.ts';
import { FakeSealpostServer } from '../../fakes/fakeSealpostServer.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

const TAB = 11;
const STRONG_CODE = 'K7QM-X2PA-9FHT-3WBN-QX4D';

async function request(host: FakeThunderbirdHost, name: string, payload: unknown) {
  return handleRequest(host, { sealpost: 1, name, payload });
}

async function value<T>(host: FakeThunderbirdHost, name: string, payload: unknown): Promise<T> {
  const answer = await request(host, name, payload);
  if (!answer.ok) throw new Error(answer.error);
  return answer.value as T;
}

function compose(host: FakeThunderbirdHost, to: string[], subject = 'Salary review 2027'): void {
  host.openCompose(TAB, { to, subject, plainTextBody: 'Confidential figures.' });
}

/** Bob with a strong access code, secure mode on, Send pressed: what `onBeforeSend` returns. */
async function sendSecureToBob(host: FakeThunderbirdHost) {
  compose(host, ['bob@partner.example']);
  await saveRecipientSettings(host.local, 'bob@partner.example', {
    method: 'code',
    code: STRONG_CODE,
  });
  await setSecure(host, TAB, true);
  return handleBeforeSend(host, TAB);
}

describe('organisation policy in the background', () => {
  let host: FakeThunderbirdHost;

  beforeEach(() => {
    host = new FakeThunderbirdHost();
  });

  describe('maxMailSizeMB', () => {
    /** A compose window with `bytes` of attachments (sizes only matter here). */
    function composeWithFiles(bytes: number): void {
      host.openCompose(TAB, { to: ['bob@partner.example'], plainTextBody: 'The scans.' }, [
        new File([new Uint8Array(bytes)], 'scans.zip'),
      ]);
    }

    it('warns in the panel when the attachments will likely make too large a sealed mail', async () => {
      host.policy = { maxMailSizeMB: 10 };
      // About 1.8× the files: 6 MB of files make about 11 MB of sealed mail.
      composeWithFiles(6_000_000);
      expect((await getComposeState(host, TAB)).mailSizeWarning).toBeNull();
      await setSecure(host, TAB, true);
      expect((await getComposeState(host, TAB)).mailSizeWarning).toEqual({
        estimated: expect.stringMatching(/^1[01]\.\d MB$/),
        limit: '10 MB',
      });
    });

    it('gives no warning below the limit, with the default of 20 MB', async () => {
      composeWithFiles(6_000_000);
      await setSecure(host, TAB, true);
      expect((await getComposeState(host, TAB)).mailSizeWarning).toBeNull();
    });
  });

  describe('without any policy (today’s behaviour)', () => {
    it('starts compose tabs in normal mode and lets a plaintext message go unchanged', async () => {
      compose(host, ['bob@partner.example']);
      await startComposeTab(host, TAB);
      expect(await isSecure(host, TAB)).toBe(false);
      // Nothing written: the button is "off" as the manifest draws it.
      expect(host.buttonStates).toEqual([]);
      expect(await handleBeforeSend(host, TAB)).toEqual({});
      const state = await getComposeState(host, TAB);
      expect(state.secureRequired).toBeNull();
      expect(state.languages).toEqual(['en', 'de', 'nl', 'fr', 'es', 'it']);
      expect(state.minimumCodeStrength).toBe(14);
    });

    it('reports every setting as the built-in default', async () => {
      const view = await value<SettingsView>(host, 'getSettings', {});
      expect(view.managed).toBe(false);
      expect(view.problems).toEqual([]);
      expect(view.effective.secureByDefault).toEqual({
        value: false,
        source: 'default',
        locked: false,
      });
      expect(editableKeys(view.effective)).toContain('subject');
    });
  });

  describe('secureByDefault', () => {
    it('starts new compose tabs in secure mode and shows it on the button', async () => {
      host.policy = { secureByDefault: true };
      compose(host, ['bob@partner.example']);
      // Before `tabs.onCreated` ran (page asleep) the tab counts as secure already.
      expect(await isSecure(host, TAB)).toBe(true);
      await startComposeTab(host, TAB);
      expect(host.buttonStates).toEqual([[TAB, true]]);
      // The sender may still switch it off: the policy only sets the default.
      expect(await value(host, 'setSecureMode', { tabId: TAB, secure: false })).toEqual({
        secure: false,
        required: null,
      });
      await startComposeTab(host, TAB);
      expect(await isSecure(host, TAB)).toBe(false);
    });

    it('never undoes what the sender switched before tabs.onCreated was handled', async () => {
      compose(host, ['bob@partner.example']);
      // secureByDefault off; the sender switches on at once, the start runs late.
      await value(host, 'setSecureMode', { tabId: TAB, secure: true });
      await startComposeTab(host, TAB);
      expect(await isSecure(host, TAB)).toBe(true);
      host.policy = { secureByDefault: true };
      await value(host, 'setSecureMode', { tabId: TAB, secure: false });
      await startComposeTab(host, TAB);
      expect(await isSecure(host, TAB)).toBe(false);
    });

    it('is the sender’s own choice when the organisation does not lock it', async () => {
      host.policy = { secureByDefault: false };
      const saved = await value<SettingsView>(host, 'saveSettings', {
        changes: { secureByDefault: true },
      });
      expect(saved.effective.secureByDefault).toEqual({
        value: true,
        source: 'user',
        locked: false,
      });
      compose(host, ['bob@partner.example']);
      expect(await isSecure(host, TAB)).toBe(true);
    });

    it('cannot be changed by the sender when the organisation locks its settings', async () => {
      host.policy = { secureByDefault: true, lockUserSettings: true };
      const answer = await request(host, 'saveSettings', { changes: { secureByDefault: false } });
      expect(answer).toEqual({
        ok: false,
        error: 'optionsSettingSaveLocked',
      });
      const view = await value<SettingsView>(host, 'getSettings', {});
      expect(view.effective.secureByDefault).toEqual({
        value: true,
        source: 'organisation',
        locked: true,
      });
      expect(editableKeys(view.effective)).not.toContain('secureByDefault');
    });
  });

  describe('enforceSecureFor', () => {
    beforeEach(() => {
      host.policy = {
        organisationName: 'Example Health Trust',
        enforceSecureFor: ['partner.example', 'counsel@lawfirm.example'],
      };
    });

    it('refuses to switch secure mode off for an enforced domain and says for whom', async () => {
      compose(host, ['Bob <bob@sub.partner.example>', 'eve@elsewhere.example']);
      await setSecure(host, TAB, true);
      expect(await value(host, 'setSecureMode', { tabId: TAB, secure: false })).toEqual({
        secure: true,
        required: { all: false, recipients: ['bob@sub.partner.example'] },
      });
      expect(await isSecure(host, TAB)).toBe(true);
      const state = await getComposeState(host, TAB);
      expect(state.secureRequired).toEqual({ all: false, recipients: ['bob@sub.partner.example'] });
      expect(state.organisationName).toBe('Example Health Trust');
    });

    it('switches secure mode on when the panel sees an enforced recipient added while it was off', async () => {
      compose(host, ['eve@elsewhere.example']);
      await setSecure(host, TAB, false);
      expect((await getComposeState(host, TAB)).secure).toBe(false);
      host.tabs.get(TAB)!.details.to.push('bob@partner.example');
      const state = await getComposeState(host, TAB);
      expect(state.secure).toBe(true);
      expect(state.secureRequired?.recipients).toEqual(['bob@partner.example']);
      expect(host.buttonStates.at(-1)).toEqual([TAB, true]);
    });

    it('lets secure mode go off for recipients the policy does not name', async () => {
      compose(host, ['eve@elsewhere.example', 'other@lawfirm.example']);
      await setSecure(host, TAB, true);
      expect(await value(host, 'setSecureMode', { tabId: TAB, secure: false })).toEqual({
        secure: false,
        required: null,
      });
      expect(await handleBeforeSend(host, TAB)).toEqual({});
    });

    it('keeps secure mode on when the shortcut tries to switch it off, and opens the panel', async () => {
      compose(host, ['counsel@lawfirm.example']);
      await setSecure(host, TAB, true);
      const result = await toggleSecure(host, TAB);
      expect(result.secure).toBe(true);
      expect(result.required?.recipients).toEqual(['counsel@lawfirm.example']);
      expect(host.panelsOpened).toEqual([TAB]);
    });

    it('blocks a plaintext send when the requirement cannot even be checked (fail closed)', async () => {
      compose(host, ['bob@partner.example']);
      await setSecure(host, TAB, false);
      // Reading the compose window fails while the policy may require secure mode.
      host.getComposeDetails = async () => {
        throw new Error('compose window gone');
      };
      expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
      expect(await host.session.get(`problem:${TAB}`)).toMatchObject({ reason: 'internal' });
    });

    it('blocks a plaintext send to an enforced recipient: nothing changes, secure mode goes on', async () => {
      compose(host, ['eve@elsewhere.example']);
      await setSecure(host, TAB, false);
      // The enforced recipient was added after secure mode was switched off.
      host.tabs.get(TAB)!.details.cc = ['bob@partner.example'];
      const before = structuredClone(host.tabs.get(TAB)!.details);
      const result = await handleBeforeSend(host, TAB);
      expect(result).toEqual({ cancel: true });
      expect(host.tabs.get(TAB)!.details).toEqual(before);
      expect(await isSecure(host, TAB)).toBe(true);
      expect(host.panelsOpened).toEqual([TAB]);
      const state = await getComposeState(host, TAB);
      expect(state.problem).toEqual({
        reason: 'secure-required',
        recipient: 'bob@partner.example',
        message: 'problemSecureRequired|bob@partner.example',
      });
    });

    it('with "all" applies to every message, starting secure and refusing to go off', async () => {
      host.policy = { enforceSecureFor: 'all' };
      compose(host, ['eve@elsewhere.example']);
      await startComposeTab(host, TAB);
      expect(await isSecure(host, TAB)).toBe(true);
      expect(await value(host, 'setSecureMode', { tabId: TAB, secure: false })).toEqual({
        secure: true,
        required: { all: true, recipients: ['eve@elsewhere.example'] },
      });
    });

    it('falls back to enforcing everywhere when the list has a bad entry, and says so', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      host.policy = { enforceSecureFor: ['partner.example', 'not a domain'] };
      compose(host, ['eve@elsewhere.example']);
      await setSecure(host, TAB, false);
      expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
      const view = await value<SettingsView>(host, 'getSettings', {});
      expect(view.effective.enforceSecureFor.value).toBe('all');
      expect(view.problems).toHaveLength(1);
      expect(view.problems[0]!.key).toBe('enforceSecureFor');
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('Sealpost policy: enforceSecureFor'),
      );
      warn.mockRestore();
    });
  });

  describe('methods', () => {
    it('hides methods the organisation does not allow and refuses a remembered one', async () => {
      host.policy = { allowedMethods: ['code', 'sms'] };
      compose(host, ['bob@partner.example']);
      await saveRecipientSettings(host.local, 'bob@partner.example', { method: 'email' });
      const state = await getComposeState(host, TAB);
      const methods = new Set(state.recipients[0]!.menu.map((entry) => entry.method));
      expect([...methods].sort()).toEqual(['code', 'sms']);
      // The remembered email choice no longer counts: the sender must choose again.
      expect(state.recipients[0]!.settings?.method).toBeUndefined();
      await setSecure(host, TAB, true);
      expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
      expect((await getComposeState(host, TAB)).problem?.reason).toBe('no-method');
    });

    it('preselects defaultMethod for a new external recipient and seals with it', async () => {
      host.policy = { defaultMethod: 'code', internalDomains: ['example.org'] };
      compose(host, ['bob@partner.example', 'colleague@example.org']);
      const state = await getComposeState(host, TAB);
      const bob = state.recipients.find((view) => view.address === 'bob@partner.example')!;
      const colleague = state.recipients.find((view) => view.address === 'colleague@example.org')!;
      expect(bob.settings?.method).toBe('code');
      // internalDomains: a colleague needs no method and gets no default one.
      expect(colleague.internal).toBe(true);
      expect(colleague.settings).toBeNull();
      await setSecure(host, TAB, true);
      // The default method still needs its code before anything is sealed.
      expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
      expect((await getComposeState(host, TAB)).problem?.reason).toBe('empty-code');
      await saveRecipientSettings(host.local, 'bob@partner.example', { code: STRONG_CODE });
      const result = await handleBeforeSend(host, TAB);
      expect(result.cancel).toBeUndefined();
    });

    it('applies minimumCodeStrength to codes sealed without a server', async () => {
      host.policy = { minimumCodeStrength: 18 };
      compose(host, ['bob@partner.example']);
      // About 10^16 guesses: strong enough for the built-in minimum (10^14), not for 10^18.
      await saveRecipientSettings(host.local, 'bob@partner.example', {
        method: 'code',
        code: 'K7QMX2PA9FHT3WBN',
      });
      await setSecure(host, TAB, true);
      expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
      expect((await getComposeState(host, TAB)).problem?.reason).toBe('weak-code');
      host.policy = {};
      expect((await handleBeforeSend(host, TAB)).cancel).toBeUndefined();
    });
  });

  describe('subject and languages', () => {
    it('"neutral" hides the subject on the mail, keeps it sealed inside, and puts it back on failure', async () => {
      host.policy = { subject: 'neutral', languages: ['de', 'en'], defaultLanguage: 'de' };
      const result = await sendSecureToBob(host);
      expect(result.details?.subject).toBe(neutralSubject('de'));
      expect(result.details?.subject).not.toContain('Salary');
      // The notification is in the default language the policy set.
      const html = await host.tabs.get(TAB)!.attachments[0]!.file.text();
      const parsed = parseEnvelope(extractEnvelopeJson(html) ?? '');
      expect(parsed.ok && new Set(parsed.envelope.locks.map((lock) => lock.language))).toEqual(
        new Set(['de']),
      );
      // Thunderbird applies the returned subject; a failed send must restore the real one.
      host.tabs.get(TAB)!.details.subject = result.details!.subject!;
      await handleAfterSend(host, TAB, true);
      expect(host.tabs.get(TAB)!.details.subject).toBe('Salary review 2027');
    });

    it('"keep" leaves the subject alone', async () => {
      host.policy = { subject: 'keep' };
      const result = await sendSecureToBob(host);
      expect(result.details).toBeDefined();
      expect(result.details?.subject).toBeUndefined();
    });

    it('offers only the policy languages and drops a remembered one that is not offered', async () => {
      host.policy = { languages: ['nl', 'de'], defaultLanguage: 'nl' };
      compose(host, ['bob@partner.example']);
      await saveRecipientSettings(host.local, 'bob@partner.example', { language: 'fr' });
      const state = await getComposeState(host, TAB);
      expect(state.languages).toEqual(['nl', 'de']);
      expect(state.recipients[0]!.language).toBe('nl');
    });
  });

  describe('server from the policy', () => {
    it('uses the policy serverUrl, which the sender cannot change, and the policy expiry', async () => {
      const server = new FakeSealpostServer('https://sealpost.example.org');
      host.server = server.fetch;
      host.policy = { serverUrl: 'https://sealpost.example.org', expiryDays: 7 };
      expect(await value(host, 'getServerSettings', {})).toEqual({
        serverUrl: 'https://sealpost.example.org',
        urlSource: 'policy',
        signedIn: null,
        organisationName: null,
      });
      expect(
        await value(host, 'setServerUrl', { url: 'https://elsewhere.example.net' }),
      ).toMatchObject({ ok: false, code: 'set-by-policy' });
      // Signing in goes to the organisation's server.
      const started = await value<{ ok: true; value: { challengeId: string } }>(
        host,
        'signInStart',
        { address: 'alice@example.test' },
      );
      await value(host, 'signInComplete', {
        challengeId: started.value.challengeId,
        code: '123456',
      });
      compose(host, ['bob@partner.example']);
      await saveRecipientSettings(host.local, 'bob@partner.example', { method: 'email' });
      await setSecure(host, TAB, true);
      const result = await handleBeforeSend(host, TAB);
      expect(result.cancel).toBeUndefined();
      const registration = host.fetched.find((call) => call.url.endsWith('/api/v1/messages'));
      expect(registration?.url).toBe('https://sealpost.example.org/api/v1/messages');
      expect(registration?.body).toMatchObject({ expiresInDays: 7 });
      expect((await getComposeState(host, TAB)).serverSignInNeeded).toBe(false);
    });

    it('before the sender signs in, a server method cancels with "sign in", not "no server"', async () => {
      host.policy = { serverUrl: 'https://sealpost.example.org', defaultMethod: 'sms' };
      compose(host, ['bob@partner.example']);
      const state = await getComposeState(host, TAB);
      const sms = state.recipients[0]!.menu.find((entry) => entry.id === 'sms-new');
      expect(sms?.disabledReasonKey).toBe('reasonSignInToServer');
      expect(state.serverSignInNeeded).toBe(true);
      await setSecure(host, TAB, true);
      expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
      expect((await getComposeState(host, TAB)).problem).toEqual({
        reason: 'not-signed-in',
        recipient: 'bob@partner.example',
        message: 'problemNotSignedIn|bob@partner.example',
      });
    });

    it('uses no server at all when the policy URL is invalid, never the sender’s own', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      await value(host, 'setServerUrl', { url: 'https://own.example.net' });
      host.policy = { serverUrl: 'http://sealpost.example.org' };
      expect(await value(host, 'getServerSettings', {})).toMatchObject({
        serverUrl: null,
        urlSource: 'policy',
      });
      warn.mockRestore();
    });

    it('never writes a password from a policy URL to the console', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      host.policy = { serverUrl: 'https://admin:hunter2@sealpost.example.org' };
      const view = await value<SettingsView>(host, 'getSettings', {});
      expect(JSON.stringify(view.problems)).not.toContain('hunter2');
      expect(JSON.stringify(warn.mock.calls)).not.toContain('hunter2');
      expect(warn).toHaveBeenCalled();
      warn.mockRestore();
    });
  });
});
