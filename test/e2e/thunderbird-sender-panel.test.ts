/**
 * A new sender's first hour, in a real Thunderbird with a real server: signing in says in words
 * what is wrong with an address (never the server's schema text); before signing in, the panel
 * shows the server methods apart and disabled, each with a short reason, under a placeholder that
 * fits; the panel says the subject travels unencrypted, and "Use a neutral subject" puts the
 * neutral subject on the mail that leaves; after signing in, the options page's settings rows
 * show the server and organisation its server section shows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutralSubject } from '../../src/i18n/notification.ts';
import { ensureSealpostBuilt } from './harness/build.ts';
import { waitFor } from './harness/chromeWindows.ts';
import { pressSend } from './harness/runScenario.ts';
import type { SealpostServer } from './harness/sealpostServer.ts';
import { SealpostOptions } from './harness/sealpostOptions.ts';
import { SealpostPopup, recipientRow } from './harness/sealpostPopup.ts';
import { codeFromSink, startServerForSession } from './harness/serverSession.ts';
import { ThunderbirdSession } from './harness/session.ts';

const ALICE = 'alice@example.org';
const BOB = 'bob@partner.example';
const STRONG_CODE = 'K7QM-X2PA-9FHT-3WBN-QX4D';
const SUBJECT = 'Salary review 2027';

let alice: ThunderbirdSession | undefined;
let server: SealpostServer;
let workDirectory: string;
let options: SealpostOptions;

beforeAll(async () => {
  const xpi = ensureSealpostBuilt();
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-sender-panel-'));
  alice = await ThunderbirdSession.start({
    from: `Alice Example <${ALICE}>`,
    sealpostXpi: xpi,
    workDirectory: join(workDirectory, 'alice'),
  });
  server = await startServerForSession(alice, ['example.org']);
}, 180_000);

afterAll(async () => {
  await alice?.stop();
  await server?.close();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

/** Types `address` (or nothing), presses "Send code", and returns the page's new sentence. */
async function tryAddress(address: string, before: string): Promise<string> {
  const field = 'input[name="sign-in-address"]';
  await options.page.click(field);
  await options.page.clear(field);
  if (address !== '') await options.page.type(field, address);
  await options.page.click('button[data-action="sign-in-start"]');
  return waitFor(`the page to answer ${JSON.stringify(address)}`, async () => {
    if ((await options.page.count('[data-testid="sign-in-error"]')) === 0) return undefined;
    const text = (await options.page.text('[data-testid="sign-in-error"]')).trim();
    return text !== before ? text : undefined;
  });
}

describe('a new sender', () => {
  it('signing in: an empty, malformed or foreign address is said in words', async () => {
    options = await SealpostOptions.open(alice!.thunderbird.marionette);
    await options.setServerUrl(server.url);
    const empty = await tryAddress('', '');
    expect(empty).toBe('Enter your email address to sign in.');
    const malformed = await tryAddress('alice', empty);
    expect(malformed).toBe('“alice” is not an email address. Enter it as name@example.org.');
    const foreign = await tryAddress('mallory@elsewhere.example', malformed);
    expect(foreign).toBe(
      'This address cannot sign in: the server accepts only addresses of its organisation.',
    );
    for (const text of [empty, malformed, foreign]) {
      expect(text).not.toMatch(/server said|Invalid request|body\//i);
    }
  });

  it('before signing in: server methods apart, disabled, each with a short reason', async () => {
    const compose = await alice!.compose({
      from: ALICE,
      to: [BOB],
      subject: SUBJECT,
      body: 'The figures.',
    });
    const popup = new SealpostPopup(alice!.thunderbird.marionette, compose.window);
    await popup.open();
    await popup.setSecure(true);
    await popup.waitForRecipient(BOB);
    const menu = `${recipientRow(BOB)} select[name="method"]`;
    expect(await popup.popup.text(`${menu} option[value=""]`)).toBe('Choose a method…');
    expect(await popup.menuEntryEnabled(BOB, 'sms-new')).toBe(false);
    const apart = `${menu} optgroup[data-part="unavailable-methods"]`;
    expect(await popup.popup.attribute(apart, 'label')).toBe('Not available now');
    expect(await popup.popup.text(`${apart} option[value="sms-new"]`)).toBe(
      'Code by SMS to new number (sign in first)',
    );
    expect(await popup.popup.count(`${apart} option[value="code-new"]`)).toBe(0);
    expect(await popup.menuEntryEnabled(BOB, 'code-new')).toBe(true);
    await popup.close();
  });

  it('the subject is said to travel unencrypted; the tick puts a neutral one on the mail', async () => {
    const compose = await alice!.compose({
      from: ALICE,
      to: [BOB],
      subject: SUBJECT,
      body: 'The figures.',
    });
    const popup = new SealpostPopup(alice!.thunderbird.marionette, compose.window);
    await popup.open();
    await popup.setSecure(true);
    await popup.waitForRecipient(BOB);
    await popup.popup.waitFor('#subject');
    expect(await popup.popup.attribute('#subject', 'data-neutral')).toBe('false');
    expect(await popup.popup.text('#subject-note')).toBe(
      'The subject is not encrypted: anyone who handles the mail can read it.',
    );
    await popup.chooseMethod(BOB, 'code-new');
    await popup.typeCode(BOB, STRONG_CODE);
    await popup.waitUntilSaved(BOB);
    await popup.popup.click('#subject input[name="neutral-subject"]');
    await waitFor('the panel to show the neutral subject', async () =>
      (await popup.popup.attribute('#subject', 'data-neutral')) === 'true' ? true : undefined,
    );
    expect(await popup.popup.text('#subject-note')).toBe(
      'Recipients see a neutral subject; the real one is sealed inside.',
    );
    // Closed and opened again: the choice is kept for this message.
    await popup.close();
    await popup.open();
    await popup.popup.waitFor('#subject');
    expect(await popup.popup.isSelected('#subject input[name="neutral-subject"]')).toBe(true);
    const sent = await pressSend(alice!, compose, popup);
    if (sent.outcome !== 'sent') throw new Error(`not sent: ${sent.message}`);
    const mail = await simpleParser(sent.mails[0]!.raw);
    expect(mail.headers.get('x-sealpost')).toBe('1');
    expect(mail.subject).toBe(neutralSubject('en'));
    expect(sent.mails[0]!.raw.toString('utf8')).not.toContain('Salary');
  });

  it('signed in: the settings rows show the server and organisation of the server section', async () => {
    await alice!.helper.call('closeTabs', { urlPart: 'options.html' });
    options = await SealpostOptions.open(alice!.thunderbird.marionette);
    const before = await options.readSettings();
    expect(before.serverUrl).toMatchObject({ value: server.url, source: 'user' });
    expect(before.organisationName?.value).toBe('Not set');
    const mailsBefore = alice!.sink.mails.length;
    const signedIn = await options.signIn(ALICE, () =>
      codeFromSink(alice!.sink, ALICE, mailsBefore),
    );
    expect(signedIn).toBe(`Signed in as ${ALICE} (Example organisation).`);
    // Without reloading the page: the settings follow the sign-in.
    const after = await waitFor('the organisation in the settings rows', async () => {
      const settings = await options.readSettings();
      return settings.organisationName?.value === 'Example organisation' ? settings : undefined;
    });
    expect(after.organisationName?.source).toBe('server');
    expect(await options.page.text('[data-setting="organisationName"] [data-role="source"]')).toBe(
      'From your server',
    );
    expect(after.serverUrl).toMatchObject({ value: server.url, source: 'user' });
    expect((await options.readServerUrl()).url).toBe(server.url);
  });
});
