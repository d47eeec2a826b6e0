/**
 * Sealpost with a real server, end to end: a real, headless Thunderbird is pointed at the server
 * through Sealpost's options page and signs in with the code the server mailed (SMTP sink); the
 * sender seals one message to recipients with `sms`, `email` and `org-code`; for each recipient
 * the reader (Chromium, from the attachment) asks for the code, the test reads it from the
 * development outbox (SMS) or the SMTP sink (email), types it, and gets the original content
 * byte for byte. Then a second sender of the same organisation (second Thunderbird profile,
 * same server) finds the organisation-wide code the first one set.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openReaderPage, readOpenedMessage } from '../helpers/chromium.ts';
import { ensureSealpostBuilt } from './harness/build.ts';
import { confirmAddress, typeCode } from './harness/readerServerFlow.ts';
import { runScenario } from './harness/runScenario.ts';
import { validateScenario, type LoadedScenario } from './harness/scenario.ts';
import type { SealpostServer } from './harness/sealpostServer.ts';
import { SealpostOptions } from './harness/sealpostOptions.ts';
import { SealpostPopup } from './harness/sealpostPopup.ts';
import { codeFromSink, connectSealpost, startServerForSession } from './harness/serverSession.ts';
import { ThunderbirdSession } from './harness/session.ts';

const ALICE = 'alice@example.org';
const ERIN = 'erin@example.org';
const SMS = { address: 'bob@partner.example', phone: '+49 151 23456789', e164: '+4915123456789' };
const NEW_PHONE = { typed: '+31 6 12345678', e164: '+31612345678' };
const EMAIL = 'dana@elsewhere.example';
const ORG = { address: 'carol@client.example', code: 'Harbour-Lantern-42' };

let alice: ThunderbirdSession | undefined;
let server: SealpostServer;
let browser: Browser;
let workDirectory: string;
let xpi: string;

beforeAll(async () => {
  xpi = ensureSealpostBuilt();
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-server-'));
  [alice, browser] = await Promise.all([
    ThunderbirdSession.start({
      from: `Alice Example <${ALICE}>`,
      sealpostXpi: xpi,
      workDirectory: join(workDirectory, 'alice'),
    }),
    launchChromium(),
  ]);
  server = await startServerForSession(alice, ['example.org']);
}, 180_000);

afterAll(async () => {
  await Promise.all([alice?.stop(), browser?.close()]);
  await server?.close();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

describe('the scenario format for server methods', () => {
  it('accepts sms with a phone, email, and org-code with a code; refuses a phone without sms', () => {
    const accepted = validateScenario({
      from: ALICE,
      to: [SMS.address, EMAIL, ORG.address],
      recipients: {
        [SMS.address]: { method: 'sms', phone: SMS.phone },
        [EMAIL]: { method: 'email' },
        [ORG.address]: { method: 'org-code', code: ORG.code },
      },
    });
    expect(accepted.ok).toBe(true);
    if (accepted.ok) expect(accepted.scenario.recipients[SMS.address]?.phone).toBe(SMS.phone);
    const refused = validateScenario({
      from: ALICE,
      to: [EMAIL],
      recipients: { [EMAIL]: { method: 'email', phone: SMS.phone } },
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems.join('\n')).toContain('needs "method": "sms"');
  });
});

describe('a sender with a server', () => {
  const body = 'Quarterly figures attached. Reference SRVSECRET-5521. — Alice';
  const attachment = randomBytes(200_000);
  const subject = 'Figures Q3 ✓';
  let readerPath: string;
  let readerLink: string;
  let messageId: string;

  it('signs in through the options page with the code mailed to the sender', async () => {
    const signedIn = await connectSealpost(alice!, server, ALICE);
    expect(signedIn).toContain(ALICE);
  });

  it('seals to sms, email and org-code recipients and registers the message first', async () => {
    const scenario: LoadedScenario = {
      from: `Alice Example <${ALICE}>`,
      to: [SMS.address, EMAIL],
      cc: [ORG.address],
      bcc: [],
      subject,
      body,
      html: false,
      attachments: [],
      attachmentFiles: [{ name: 'figures.bin', bytes: attachment }],
      keys: [],
      wkd: [],
      secure: true,
      recipients: {
        [SMS.address]: { method: 'sms', phone: SMS.phone },
        [EMAIL]: { method: 'email' },
        [ORG.address]: { method: 'org-code', code: ORG.code },
      },
    };
    const outcome = await runScenario(alice!, scenario);
    expect(outcome.notes).toEqual([]);
    if (outcome.outcome !== 'sent') throw new Error(`not sent: ${outcome.message}`);
    const parsed = await simpleParser(outcome.mails[0]!.raw);
    expect(parsed.headers.get('x-sealpost')).toBe('1');
    messageId = String(parsed.headers.get('x-sealpost-message-id') ?? '');
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(parsed.text ?? '').not.toContain('SRVSECRET');
    // The notification links the hosted reader on this server, in the section's language, the
    // mail share in the fragment.
    const link = new RegExp(
      `${server.url.replace(/[.]/g, '\\.')}/r/[0-9a-f-]{36}\\?lang=[a-z]{2}#[A-Za-z0-9+/=%]{44,}`,
    );
    readerLink = link.exec(parsed.text ?? '')?.[0] ?? '';
    expect(readerLink).not.toBe('');
    // It names the organisation the sender signed in to, where the link leads, and the server's
    // help page in the section's language, which the server serves.
    const flat = (parsed.text ?? '').replace(/\s+/g, ' ');
    expect(flat).toContain('from Example organisation has sent you a secure message.');
    expect(flat).toContain(`The link leads to ${new URL(server.url).host}, the server of`);
    const help = new RegExp(`${server.url.replace(/[.]/g, '\\.')}/help/en`).exec(
      parsed.text ?? '',
    )?.[0];
    expect(help).toBeDefined();
    const helpPage = await fetch(help!);
    expect(helpPage.status).toBe(200);
    expect(await helpPage.text()).toContain('Secure messages from Example organisation');
    const reader = parsed.attachments.find((part) => part.filename === 'secure-message.html');
    expect(reader).toBeDefined();
    readerPath = join(workDirectory, 'secure-message.html');
    await writeFile(readerPath, reader!.content);
  });

  async function openAs(address: string, readCode: () => Promise<string>): Promise<Page> {
    const page = await openReaderPage(browser, readerPath, { locale: 'en-US' });
    expect(await confirmAddress(page, address)).toBe('code');
    expect(await typeCode(page, await readCode())).toBe('open');
    return page;
  }

  async function expectOriginal(page: Page, name: string): Promise<void> {
    const shown = await readOpenedMessage(page, join(workDirectory, `download-${name}`));
    expect(shown.subject).toBe(subject);
    expect(shown.bodyText).toContain('SRVSECRET-5521');
    expect(shown.attachments.map((file) => file.name)).toEqual(['figures.bin']);
    expect(Buffer.from(shown.attachments[0]!.bytes).equals(attachment)).toBe(true);
  }

  it('sms: the code from the development outbox opens identical content', async () => {
    const before = (await server.outbox())[0]?.at ?? null;
    const page = await openAs(SMS.address, () =>
      server.codeFromOutbox(SMS.e164, { after: before }),
    );
    try {
      await expectOriginal(page, 'sms');
    } finally {
      await page.context().close();
    }
  });

  it('sms: the sender gives a new number on the options page; the next code goes there', async () => {
    // The page from signing in listed the sent messages before this one was sent.
    await alice!.helper.call('closeTabs', { urlPart: 'options.html' });
    const options = await SealpostOptions.open(alice!.thunderbird.marionette);
    const said = await options.changeRecipientNumber(messageId, SMS.address, NEW_PHONE.typed);
    expect(said).toContain('+31 ••• •••• 78');
    const before = (await server.outbox())[0]?.at ?? null;
    const page = await openAs(SMS.address, () =>
      server.codeFromOutbox(NEW_PHONE.e164, { after: before }),
    );
    try {
      await expectOriginal(page, 'sms-new-number');
    } finally {
      await page.context().close();
    }
  });

  it('email: the code mailed to the recipient (SMTP sink) opens identical content', async () => {
    const mailsBefore = alice!.sink.mails.length;
    const page = await openAs(EMAIL, () => codeFromSink(alice!.sink, EMAIL, mailsBefore));
    try {
      await expectOriginal(page, 'email');
    } finally {
      await page.context().close();
    }
  });

  it("the notification's link opens the hosted copy on the server (org-code)", async () => {
    const context = await browser.newContext({ acceptDownloads: true, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(readerLink);
      await page.locator('main.content > *').first().waitFor();
      expect(await confirmAddress(page, ORG.address)).toBe('code');
      expect(await typeCode(page, ORG.code)).toBe('open');
      await expectOriginal(page, 'hosted');
    } finally {
      await context.close();
    }
  });

  it('org-code: the organisation-wide code opens identical content', async () => {
    const page = await openAs(ORG.address, async () => ORG.code);
    try {
      await expectOriginal(page, 'org-code');
    } finally {
      await page.context().close();
    }
  });
});

describe('a second sender of the same organisation', () => {
  it('finds the organisation-wide code Alice set, in the method menu', async () => {
    // One Thunderbird at a time on this machine.
    await alice?.stop();
    alice = undefined;
    const erin = await ThunderbirdSession.start({
      from: `Erin Example <${ERIN}>`,
      sealpostXpi: xpi,
      workDirectory: join(workDirectory, 'erin'),
    });
    try {
      // Erin's sign-in code is mailed to Erin's own sink now.
      server.setSmtp({ host: '127.0.0.1', port: erin.sink.port });
      expect(await connectSealpost(erin, server, ERIN)).toContain(ERIN);
      const compose = await erin.compose({
        from: ERIN,
        to: [ORG.address],
        subject: 'Follow-up',
        body: 'See the figures.',
      });
      const popup = new SealpostPopup(erin.thunderbird.marionette, compose.window);
      await popup.open();
      await popup.setSecure(true);
      await popup.waitForRecipient(ORG.address);
      expect(await popup.menuEntryEnabled(ORG.address, 'org-code-existing')).toBe(true);
      const label = await popup.popup.text(
        `li.recipient[data-address="${ORG.address}"] select[name="method"] option[value="org-code-existing"]`,
      );
      expect(label).toContain(ORG.code);
      expect(label).toMatch(/Organisation-wide access code/);
    } finally {
      await erin.stop();
    }
  });
});
