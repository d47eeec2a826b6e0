/**
 * Organisation rollout, end to end: the machine-wide `policies.json` is the shipped example
 * (`docs/examples/policies.json`) with its install URL pointed at the built `.xpi` and its
 * settings varied. A real, headless Thunderbird with a fresh profile that never had Sealpost
 * gets the add-on only from that file, configured by it, and the sent mails are inspected:
 * secure by default, secure mode enforced for a partner domain (switch locked, plaintext send
 * blocked), a method the policy does not allow not offered, the default method and language
 * preselected, a neutral subject on the mail while the reader shows the real one, the
 * policy's server used (sign-in, registration, hosted link) with the policy's expiry.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readerText } from '../../src/i18n/index.ts';
import { neutralSubject } from '../../src/i18n/notification.ts';
import {
  errorText,
  launchChromium,
  openReaderPage,
  readOpenedMessage,
} from '../helpers/chromium.ts';
import { ensureSealpostBuilt } from './harness/build.ts';
import { waitFor } from './harness/chromeWindows.ts';
import { installMachinePolicy, readExamplePolicy } from './harness/machinePolicy.ts';
import { extractEnvelopeJson, parseEnvelope } from '../../src/core/envelopeCodec.ts';
import { confirmAddress, typeCode } from './harness/readerServerFlow.ts';
import { pressSend } from './harness/runScenario.ts';
import { SealpostOptions } from './harness/sealpostOptions.ts';
import { SEALPOST_TOOLBAR_BUTTON, SealpostPopup } from './harness/sealpostPopup.ts';
import { startSealpostServer, type SealpostServer } from './harness/sealpostServer.ts';
import { codeFromSink } from './harness/serverSession.ts';
import { SEALPOST_ADDON_ID, ThunderbirdSession, type OpenCompose } from './harness/session.ts';

const ALICE = 'alice@example.org';
/** Enforced by the policy: secure mode cannot be switched off for mail to this domain. */
const BOB = 'bob@partner.example';
/** Not enforced: the sender may switch secure mode off for mail to them alone. */
const DANA = 'dana@elsewhere.example';
const EVE = 'eve@another.example';
/** At a domain whose mail gateway strips HTML attachments (the policy's `linkOnlyDomains`). */
const GATEWAY = 'gina@gateway.example';
const SUBJECT = 'Salary review 2027 — confidential';
const BODY = 'The new salary bands are attached. Reference POLICYSECRET-7781.';
const POLICY_EXPIRY_DAYS = 10;

let server: SealpostServer | undefined;
let session: ThunderbirdSession | undefined;
let browser: Browser | undefined;
let restorePolicy: (() => void) | undefined;
let workDirectory: string;
let organisationName: string;

beforeAll(async () => {
  const xpi = ensureSealpostBuilt();
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-policy-'));
  server = await startSealpostServer({ domains: ['example.org'] });
  const policy = readExamplePolicy();
  const install = policy.policies.ExtensionSettings[SEALPOST_ADDON_ID];
  const settings = policy.policies['3rdparty'].Extensions[SEALPOST_ADDON_ID];
  if (!install || !settings) throw new Error('docs/examples/policies.json lacks Sealpost');
  // The documented example, with only what a test machine needs and the settings under test.
  install.install_url = pathToFileURL(xpi).href;
  Object.assign(settings, {
    serverUrl: server.url,
    internalDomains: ['example.org'],
    secureByDefault: true,
    enforceSecureFor: ['partner.example'],
    allowedMethods: ['code', 'email'],
    defaultMethod: 'email',
    expiryDays: POLICY_EXPIRY_DAYS,
    subject: 'neutral',
    languages: ['en', 'de'],
    defaultLanguage: 'de',
    lockUserSettings: true,
    linkOnlyDomains: [GATEWAY.split('@')[1]],
  });
  organisationName = String(settings.organisationName);
  restorePolicy = installMachinePolicy(policy);
  [session, browser] = await Promise.all([
    // No Sealpost in the profile: only the test helper. Sealpost must come from the policy.
    ThunderbirdSession.start({
      from: `Alice Example <${ALICE}>`,
      workDirectory: join(workDirectory, 'alice'),
    }),
    launchChromium(),
  ]);
  server.setSmtp({ host: '127.0.0.1', port: session.sink.port });
}, 180_000);

afterAll(async () => {
  await Promise.all([session?.stop(), browser?.close()]);
  restorePolicy?.();
  await server?.close();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

/** What the add-on manager knows of Sealpost, or null while it is not installed. */
async function installedSealpost(): Promise<{
  active: boolean;
  source: string | null;
  canUninstall: boolean;
} | null> {
  return session!.thunderbird.marionette.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     const { AddonManager } = ChromeUtils.importESModule(
       'resource://gre/modules/AddonManager.sys.mjs');
     AddonManager.getAddonByID(arguments[0]).then((addon) => done(addon && {
       active: addon.isActive,
       source: addon.installTelemetryInfo?.source ?? null,
       canUninstall: Boolean(addon.permissions & AddonManager.PERM_CAN_UNINSTALL),
     }), (error) => done({ error: String(error) }));`,
    [SEALPOST_ADDON_ID],
  );
}

async function composeWithPopup(
  to: string[],
  subject = SUBJECT,
): Promise<{
  compose: OpenCompose;
  popup: SealpostPopup;
}> {
  const compose = await session!.compose({ from: ALICE, to, subject, body: BODY });
  const popup = new SealpostPopup(session!.thunderbird.marionette, compose.window);
  await popup.open();
  return { compose, popup };
}

/** Waits until the compose window's Sealpost button shows secure mode on (the tab's start state). */
async function buttonShowsSecure(compose: OpenCompose): Promise<void> {
  await waitFor('the Sealpost button to show secure mode', async () =>
    (await compose.window.toolbarButton(SEALPOST_TOOLBAR_BUTTON))?.icon.includes('lock-on')
      ? true
      : undefined,
  );
}

/**
 * Stops the running Thunderbird and starts a fresh profile under the example policy with
 * `settings` over its Sealpost settings (one Thunderbird at a time on this machine); resolves
 * once the policy has installed Sealpost.
 */
async function restartWithPolicy(name: string, settings: Record<string, unknown>): Promise<void> {
  await session?.stop();
  session = undefined;
  restorePolicy?.();
  const policy = readExamplePolicy();
  policy.policies.ExtensionSettings[SEALPOST_ADDON_ID]!.install_url =
    pathToFileURL(ensureSealpostBuilt()).href;
  Object.assign(policy.policies['3rdparty'].Extensions[SEALPOST_ADDON_ID]!, settings);
  restorePolicy = installMachinePolicy(policy);
  session = await ThunderbirdSession.start({
    from: `Alice Example <${ALICE}>`,
    workDirectory: join(workDirectory, name),
  });
  await waitFor(
    'Sealpost installed by the policy',
    async () => ((await installedSealpost())?.active ? true : undefined),
    60_000,
    500,
  );
}

describe('Sealpost installed and configured by policies.json', () => {
  // The profile was made with the test helper only (no `sealpostXpi`): Sealpost comes from the
  // policy, which the add-on manager records as the install's source.
  it('comes from the policy alone, into a profile that never had it, and cannot be removed', async () => {
    const addon = await waitFor(
      'Sealpost installed by the policy',
      async () => {
        const found = await installedSealpost();
        return found?.active ? found : undefined;
      },
      60_000,
      500,
    );
    expect(addon.source).toBe('enterprise-policy');
    expect(addon.canUninstall).toBe(false);
  });

  it('asks the sender to sign in to the policy server, from the panel to the options page', async () => {
    const { popup } = await composeWithPopup([DANA], 'Before signing in');
    await popup.waitForRecipient(DANA);
    expect(await popup.popup.text('#server-sign-in')).toMatch(/Sign in/);
    await popup.popup.click('#server-sign-in button[data-action="open-options"]');
    // The panel hands over to the options page, which opens in a tab of the main window.
    await waitFor('the panel to close', async () =>
      (await popup.popup.isOpen()) ? undefined : true,
    );
    const closed = await waitFor('the options tab', async () => {
      const count = await session!.helper.call<number>('closeTabs', { urlPart: '/options.html' });
      return count > 0 ? count : undefined;
    });
    expect(closed).toBe(1);
  });

  it('shows every setting in the options page as set by the organisation, the server included', async () => {
    const options = await SealpostOptions.open(session!.thunderbird.marionette);
    const shown = await options.readSettings();
    for (const key of ['secureByDefault', 'enforceSecureFor', 'allowedMethods', 'subject']) {
      expect(shown[key], key).toMatchObject({ source: 'organisation', locked: true });
    }
    expect(await options.readPolicyProblems()).toEqual([]);
    // The server is the policy's: shown read-only; the sender still signs in once.
    expect(await options.page.text('#server-url-value')).toContain(server!.url);
    const mailsBefore = session!.sink.mails.length;
    const signedIn = await options.signIn(ALICE, () =>
      codeFromSink(session!.sink, ALICE, mailsBefore),
    );
    expect(signedIn).toContain(ALICE);
  });

  it('starts compose windows secure, locks the switch for an enforced domain and says why', async () => {
    const { compose, popup } = await composeWithPopup([BOB, DANA]);
    expect(await popup.isSecure()).toBe(true);
    await buttonShowsSecure(compose);
    expect(await popup.popup.property<boolean>('#secure-toggle', 'disabled')).toBe(true);
    const why = await popup.popup.text('#secure-required');
    expect(why).toContain(organisationName);
    expect(why).toContain(BOB);
    expect(why).not.toContain(DANA);
    await popup.close();
  });

  it('offers only the allowed methods, preselects the default method and language', async () => {
    const { popup } = await composeWithPopup([DANA], 'Methods');
    await popup.waitForRecipient(DANA);
    for (const hidden of ['sms-new', 'org-code-new', 'account']) {
      expect(await popup.menuEntryEnabled(DANA, hidden), hidden).toBeUndefined();
    }
    expect(await popup.menuEntryEnabled(DANA, 'code-new')).toBe(true);
    expect(await popup.methodValue(DANA)).toBe('email');
    expect(await popup.languageValue(DANA)).toBe('de');
    const languages = await popup.popup.count('li.recipient select[name="language"] option');
    expect(languages).toBe(2);
    await popup.close();
  });

  let readerPath: string;
  let readerLink: string;

  it('sends with a neutral subject in the notification language; the real one stays inside', async () => {
    const { compose, popup } = await composeWithPopup([BOB, DANA]);
    await popup.waitForRecipient(BOB);
    await popup.waitForRecipient(DANA);
    // The organisation's locked neutral subject is said, with no tick to undo it.
    await popup.popup.waitFor('#subject');
    expect(await popup.popup.attribute('#subject', 'data-enforced')).toBe('true');
    expect(await popup.popup.count('#subject input[name="neutral-subject"]')).toBe(0);
    expect(await popup.popup.text('#subject-note')).toBe(
      'Your organisation shows a neutral subject on secure mail; the real one is sealed inside.',
    );
    const sent = await pressSend(session!, compose, popup);
    expect(sent.message).toBe('');
    expect(sent.outcome).toBe('sent');
    const raw = sent.mails[0]!.raw.toString('latin1');
    expect(raw).not.toContain('POLICYSECRET');
    expect(raw).not.toContain('Salary');
    const parsed = await simpleParser(sent.mails[0]!.raw);
    expect(parsed.subject).toBe(neutralSubject('de'));
    expect(parsed.headers.get('x-sealpost')).toBe('1');
    // The notification links the hosted reader on the policy's server.
    readerLink =
      new RegExp(`${server!.url.replace(/[.]/g, '\\.')}/r/[0-9a-f-]{36}\\?lang=[a-z]{2}#\\S+`).exec(
        parsed.text ?? '',
      )?.[0] ?? '';
    expect(readerLink).not.toBe('');
    const reader = parsed.attachments.find((part) => part.filename === 'secure-message.html');
    expect(reader).toBeDefined();
    readerPath = join(workDirectory, 'secure-message.html');
    await writeFile(readerPath, reader!.content);
  });

  it('the reader shows the real subject after the emailed code', async () => {
    const page = await openReaderPage(browser!, readerPath, { locale: 'en-US' });
    try {
      expect(await confirmAddress(page, DANA)).toBe('code');
      const mailsBefore = session!.sink.mails.length - 1;
      expect(await typeCode(page, await codeFromSink(session!.sink, DANA, mailsBefore))).toBe(
        'open',
      );
      const shown = await readOpenedMessage(page, join(workDirectory, 'download'));
      expect(shown.subject).toBe(SUBJECT);
      expect(shown.bodyText).toContain('POLICYSECRET-7781');
    } finally {
      await page.context().close();
    }
  });

  it('sends mail to a linkOnlyDomains recipient by link: no payload in the mail, whatever its size', async () => {
    const { compose, popup } = await composeWithPopup([GATEWAY], 'Gateway note');
    await popup.waitForRecipient(GATEWAY);
    await popup.popup.waitFor('#send-by-link-note');
    expect(await popup.popup.attribute('#send-by-link-note', 'data-reason')).toBe('domain');
    const sent = await pressSend(session!, compose, popup);
    expect(sent.message).toBe('');
    expect(sent.outcome).toBe('sent');
    expect(sent.mails[0]!.raw.length).toBeLessThan(64 * 1024);
    const parsed = await simpleParser(sent.mails[0]!.raw);
    const file = parsed.attachments.find((part) => part.filename === 'secure-message.html');
    const envelope = parseEnvelope(extractEnvelopeJson(file!.content.toString('utf8')) ?? '');
    expect(envelope.ok && envelope.envelope.version).toBe(2);
    expect(envelope.ok && 'payload' in envelope.envelope).toBe(false);
    expect(file!.content.toString('utf8')).not.toContain('<script type="module"');
  });

  it('registered the message with the policy’s expiry: closed after that many days', async () => {
    server!.advanceClock((POLICY_EXPIRY_DAYS + 1) * 24 * 3600);
    const page = await openReaderPage(browser!, readerPath, { locale: 'en-US' });
    try {
      expect(await confirmAddress(page, BOB)).toBe('error');
      // The reader speaks the message's language (German, the policy's default language).
      expect(await errorText(page)).toContain(readerText('de', 'reader.error.expired'));
    } finally {
      await page.context().close();
    }
  });

  it('switches secure mode back on when an enforced recipient is added with the panel open', async () => {
    const { compose, popup } = await composeWithPopup([EVE], 'Second thoughts');
    await buttonShowsSecure(compose);
    await popup.setSecure(false);
    await session!.helper.call('addCc', { tabId: compose.tabId, cc: [BOB] });
    await popup.waitForRecipient(BOB);
    await waitFor('secure mode back on', async () => ((await popup.isSecure()) ? true : undefined));
    expect(await popup.popup.property<boolean>('#secure-toggle', 'disabled')).toBe(true);
    expect(await popup.popup.text('#secure-required')).toContain(BOB);
    await popup.close();
  });

  it('blocks a plaintext send once an enforced recipient is added, and switches secure mode on', async () => {
    const { compose, popup } = await composeWithPopup([EVE], 'Plain question');
    await buttonShowsSecure(compose);
    // Nothing enforced yet: the sender may switch secure mode off.
    expect(await popup.popup.property<boolean>('#secure-toggle', 'disabled')).toBe(false);
    await popup.setSecure(false);
    await popup.close();
    // Then they add a partner address before sending.
    await session!.helper.call('addCc', { tabId: compose.tabId, cc: [BOB] });
    const before = await session!.composeState(compose.tabId);
    const sent = await pressSend(session!, compose, popup);
    expect(sent.outcome).toBe('cancelled');
    expect(sent.mails).toEqual([]);
    expect(sent.message).toContain('requires secure mode');
    expect(sent.message).toContain(BOB);
    expect(await popup.isSecure()).toBe(true);
    expect(await session!.composeState(compose.tabId)).toEqual(before);
  });
});

describe('a policy with mistakes in it', () => {
  const STRONG_CODE = 'K7QM-X2PA-9FHT-3WBN-QX4D';
  let logPath: string;

  it('reports each mistake in the options page and the console, and falls back to the safe choice', async () => {
    await restartWithPolicy('mistakes', {
      serverUrl: 'http://sealpost.example.org',
      secureByDefault: 'yes',
      enforceSecureFor: ['partner.example', 'not a domain'],
      allowedMethods: ['code', 'carrier-pigeon'],
      defaultMethod: 'code',
    });
    logPath = session!.thunderbird.logPath;
    const options = await SealpostOptions.open(session!.thunderbird.marionette);
    const problems = (await options.readPolicyProblems()).join('\n');
    for (const key of ['serverUrl', 'secureByDefault', 'enforceSecureFor', 'allowedMethods']) {
      expect(problems, key).toContain(key);
    }
    const shown = await options.readSettings();
    expect(shown.enforceSecureFor).toMatchObject({ source: 'organisation', locked: true });
    // The bad list enforces everywhere; the bad URL means no server, not the sender's own.
    expect((await options.readServerUrl()).setByPolicy).toBe(true);
    expect(await readFile(logPath, 'utf8')).toContain('Sealpost policy: enforceSecureFor');
  });

  it('enforces secure mode for all mail and offers only the valid allowed method', async () => {
    const { compose, popup } = await composeWithPopup([EVE], 'Fallbacks');
    expect(await popup.isSecure()).toBe(true);
    expect(await popup.popup.property<boolean>('#secure-toggle', 'disabled')).toBe(true);
    expect(await popup.popup.text('#secure-required')).toContain(organisationName);
    await popup.waitForRecipient(EVE);
    expect(await popup.menuEntryEnabled(EVE, 'email')).toBeUndefined();
    expect(await popup.menuEntryEnabled(EVE, 'code-new')).toBe(true);
    await popup.typeCode(EVE, STRONG_CODE);
    await popup.waitUntilSaved(EVE);
    const sent = await pressSend(session!, compose, popup);
    expect(sent.message).toBe('');
    expect(sent.outcome).toBe('sent');
    const parsed = await simpleParser(sent.mails[0]!.raw);
    expect(parsed.headers.get('x-sealpost')).toBe('1');
    expect(parsed.text ?? '').not.toContain('POLICYSECRET');
    expect(parsed.subject).not.toContain('Fallbacks');
  });
});

describe('a policy that leaves its settings to the sender', () => {
  it('starts secure as the organisation suggests until the sender chooses otherwise in the options', async () => {
    await restartWithPolicy('unlocked', { secureByDefault: true, lockUserSettings: false });
    const first = await composeWithPopup([EVE], 'Suggested');
    expect(await first.popup.isSecure()).toBe(true);
    await first.popup.close();

    const options = await SealpostOptions.open(session!.thunderbird.marionette);
    const shown = await options.readSettings();
    // A preference the organisation sets without locking is its suggestion; what restricts
    // sending stays the organisation's either way.
    expect(shown.secureByDefault).toMatchObject({ source: 'organisation', locked: false });
    expect(shown.enforceSecureFor).toMatchObject({ source: 'organisation', locked: true });
    expect(await options.setCheckboxSetting('secureByDefault', false)).toMatchObject({
      source: 'user',
      locked: false,
    });

    const second = await composeWithPopup([EVE], 'My own choice');
    expect(await second.popup.isSecure()).toBe(false);
    await second.popup.close();
  });
});
