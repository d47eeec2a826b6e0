/**
 * Accessibility of the reader (`secure-message.html`) as recipients meet it, in a real Chromium:
 * axe-core (WCAG 2.0/2.1 A and AA plus best practices; test/helpers/axe.ts) scans every screen a
 * recipient can reach — the empty template, a damaged file, the locked view with the access-code
 * form, a wrong code, a method this file cannot serve, the server's address and code forms (a
 * real Sealpost server, file:// and the hosted link), the opened message with its attachments
 * and the reply form, the reply saved as a file — in light and dark, on a desktop window and at
 * 390×844 on a phone. Any violation of impact serious or critical fails with what to fix.
 * Then a recipient uses the file with the keyboard alone: Tab, Shift+Tab, Enter, Space and
 * typing, no clicks and no `focus()` from the test; every stop shows its focus, and focus never
 * falls back to <body> when the screen changes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordForCode } from '../../src/core/accessCode.ts';
import type { Envelope } from '../../src/core/envelope.ts';
import type { OriginalMessage } from '../../src/core/mime/buildMime.ts';
import { extractEnvelopeJson } from '../../src/core/envelopeCodec.ts';
import { sealMessage } from '../../src/core/sealPipeline.ts';
import { generateSenderKey } from '../../src/crypto/index.ts';
import { readerText } from '../../src/i18n/index.ts';
import { blockingViolations, scanPage } from '../helpers/axe.ts';
import { UNLOCK_TIMEOUT_MS, launchChromium, submitAccessCode } from '../helpers/chromium.ts';
import { ensureReaderBuilt } from './harness/readerBuild.ts';
import { confirmAddress, typeCode } from './harness/readerServerFlow.ts';
import { sealAndRegisterOnServer } from './harness/sealForServer.ts';
import {
  signInSender,
  startSealpostServer,
  type SealpostServer,
} from './harness/sealpostServer.ts';

const SENDER = { name: 'Alice Example', address: 'alice@example.org' };
const ACCESS_CODE = 'K7QM-X2PA-9FHT-3WBN-5RDE';
const WRONG_CODE = 'AAAA-BBBB-CCCC-DDDD-EEEE';
const SMS_RECIPIENT = { address: 'bob@partner.example', phone: '+4915123456789' };
const EMAIL_RECIPIENT = 'dana@elsewhere.example';

const DESKTOP: BrowserContextOptions = { viewport: { width: 1000, height: 900 } };
const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

let browser: Browser;
let workDir: string;
let readerPath: string;
let readerTemplate: string;
let senderPublicKey: string;
/** Access code, two attachments, a reply key: the file most recipients get. */
let codePath: string;

async function sealCodeMessage(
  fileName: string,
  body: OriginalMessage['body'],
  attachments: OriginalMessage['attachments'],
): Promise<string> {
  const sealed = await sealMessage({
    original: {
      messageId: `<${randomUUID()}@sealpost>`,
      date: new Date('2026-03-14T09:26:53Z'),
      from: SENDER,
      to: ['Bob Beispiel <bob@partner.example>'],
      cc: ['carol@other.example'],
      subject: 'Quarterly figures',
      body,
      attachments,
    },
    locks: [
      {
        method: 'code',
        password: passwordForCode(ACCESS_CODE),
        hint: 'b•••@partner.example',
        language: 'en',
      },
    ],
    senderPublicKey,
    readerTemplate,
    serverUrl: null,
    languages: ['en', 'de'],
  });
  const path = join(workDir, fileName);
  await writeFile(path, Buffer.from(await sealed.readerHtml.arrayBuffer()));
  return path;
}

/** The same file with every lock turned into an SMS lock: a method a file alone cannot serve. */
async function withSmsLocks(sourcePath: string): Promise<string> {
  const html = await readFile(sourcePath, 'utf8');
  const json = extractEnvelopeJson(html);
  if (!json) throw new Error('no envelope in the sealed file');
  const envelope = JSON.parse(json) as Envelope;
  const edited = JSON.stringify({
    ...envelope,
    locks: envelope.locks.map((lock) =>
      lock.method === 'code' ? { ...lock, method: 'sms' } : lock,
    ),
  });
  const path = join(workDir, 'sms-without-server.html');
  await writeFile(
    path,
    html.replace(json, () => edited),
  );
  return path;
}

async function openPage(
  url: string,
  options: BrowserContextOptions & { colorScheme?: 'light' | 'dark' } = {},
): Promise<Page> {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: 'en-US',
    colorScheme: 'light',
    ...DESKTOP,
    ...options,
  });
  const page = await context.newPage();
  await page.goto(url.startsWith('/') ? pathToFileURL(url).href : url);
  await page.locator('main.content > *').first().waitFor();
  return page;
}

/** Scans the page as it is now and fails with axe's words for any serious or critical finding. */
async function expectAccessible(page: Page, state: string): Promise<void> {
  const scan = await scanPage(page);
  expect(blockingViolations(scan), `axe on the reader: ${state}`).toEqual([]);
}

beforeAll(async () => {
  readerPath = await ensureReaderBuilt();
  readerTemplate = await readFile(readerPath, 'utf8');
  workDir = await mkdtemp(join(tmpdir(), 'sealpost-a11y-reader-'));
  senderPublicKey = (await generateSenderKey(SENDER)).armoredPublicKey;
  codePath = await sealCodeMessage(
    'code.html',
    { kind: 'plain', text: 'Hello Bob,\n\nthe figures are attached.\n\nAlice' },
    [
      { name: 'figures Q3.pdf', contentType: 'application/pdf', bytes: randomBytes(20_000) },
      { name: 'notes.txt', contentType: 'text/plain', bytes: randomBytes(3_000) },
    ],
  );
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('axe finds nothing serious on any screen of a reader file', () => {
  it('the empty template and a damaged file', async () => {
    const template = await openPage(readerPath);
    try {
      await expectAccessible(template, 'the empty template');
    } finally {
      await template.context().close();
    }
    // An incomplete download: the file ends in the middle of the envelope.
    const cutPath = join(workDir, 'cut.html');
    const html = await readFile(codePath, 'utf8');
    const envelopeAt = html.indexOf(extractEnvelopeJson(html) ?? '');
    await writeFile(cutPath, html.slice(0, envelopeAt + 2000));
    const damaged = await openPage(cutPath);
    try {
      await damaged.locator('[data-testid="error"]').waitFor();
      await expectAccessible(damaged, 'a damaged file');
    } finally {
      await damaged.context().close();
    }
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`the access-code form, a wrong code, the opened message and the reply form (${colorScheme})`, async () => {
      const page = await openPage(codePath, { colorScheme });
      try {
        await expectAccessible(page, `locked, access code (${colorScheme})`);
        expect(await submitAccessCode(page, WRONG_CODE)).toBe('error');
        expect(await page.locator('[data-testid="error"]').innerText()).toBe(
          readerText('en', 'reader.error.wrong-code'),
        );
        await expectAccessible(page, `a wrong code (${colorScheme})`);

        expect(await submitAccessCode(page, ACCESS_CODE)).toBe('open');
        expect(await page.locator('[data-testid="attachment"]').count()).toBe(2);
        await expectAccessible(page, `the opened message (${colorScheme})`);

        await page.locator('[data-action="reply"]').click();
        await page.locator('#reply-text').waitFor();
        await expectAccessible(page, `the reply form (${colorScheme})`);
        // Sent without an address: the form says what is missing.
        await page.locator('[data-testid="reply"] button[type="submit"]').click();
        await page.locator('[data-testid="reply-problem"]').waitFor();
        await expectAccessible(page, `the reply form with its problem (${colorScheme})`);

        await page.locator('#reply-from').fill('bob@partner.example');
        await page.locator('#reply-text').fill('Thank you.');
        await page.locator('[data-testid="reply"] button[type="submit"]').click();
        await page.locator('[data-testid="reply-file"]').waitFor({ timeout: 60_000 });
        await expectAccessible(page, `the reply saved as a file (${colorScheme})`);
      } finally {
        await page.context().close();
      }
    });
  }

  it("an HTML message: the sandboxed frame with the sender's HTML has a name", async () => {
    const htmlPath = await sealCodeMessage(
      'html.html',
      {
        kind: 'html',
        html: '<p>Hello Bob,</p><p>the <b>figures</b> are in the table below.</p>',
        text: 'Hello Bob, the figures are in the table below.',
      },
      [],
    );
    const page = await openPage(htmlPath);
    try {
      expect(await submitAccessCode(page, ACCESS_CODE)).toBe('open');
      await expectAccessible(page, 'an HTML message');
    } finally {
      await page.context().close();
    }
  });

  it('a message for a method the file alone cannot serve', async () => {
    const page = await openPage(await withSmsLocks(codePath));
    try {
      await page.locator('[data-testid="error"]').waitFor();
      await expectAccessible(page, 'an SMS lock without a server');
    } finally {
      await page.context().close();
    }
  });

  it('on a phone (390×844, touch, dark): locked, opened, replying', async () => {
    const page = await openPage(codePath, { ...PHONE, colorScheme: 'dark' });
    try {
      await expectAccessible(page, 'phone, locked');
      expect(await submitAccessCode(page, ACCESS_CODE)).toBe('open');
      await expectAccessible(page, 'phone, the opened message');
      await page.locator('[data-action="reply"]').tap();
      await page.locator('#reply-text').waitFor();
      await expectAccessible(page, 'phone, the reply form');
    } finally {
      await page.context().close();
    }
  });
});

describe('axe finds nothing serious on the server forms', () => {
  let server: SealpostServer;
  let messageId: string;
  let mailShare: string;
  let serverFilePath: string;

  beforeAll(async () => {
    server = await startSealpostServer({
      domains: ['example.org'],
      rememberDevices: { enabled: true, days: 30 },
    });
    const before = (await server.outbox())[0]?.at ?? null;
    const token = await signInSender(server, SENDER.address, () =>
      server.codeFromOutbox(SENDER.address, { after: before }),
    );
    const sealed = await sealAndRegisterOnServer({
      serverUrl: server.url,
      token,
      sender: SENDER,
      senderPublicKey,
      readerTemplate,
      recipients: [
        {
          address: SMS_RECIPIENT.address,
          field: 'to',
          method: 'sms',
          phone: SMS_RECIPIENT.phone,
          hint: 'b•••@partner.example',
        },
        { address: EMAIL_RECIPIENT, field: 'bcc', method: 'email' },
      ],
      subject: 'Contract',
      body: { kind: 'plain', text: 'The contract.' },
      attachments: [],
    });
    messageId = sealed.messageId;
    mailShare = sealed.mailShare;
    serverFilePath = join(workDir, 'server.html');
    await writeFile(serverFilePath, sealed.readerHtml);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('the address form, an address the mail was not sent to, the code form and its error', async () => {
    const page = await openPage(serverFilePath);
    try {
      await expectAccessible(page, 'server, step 1: the address');
      expect(await confirmAddress(page, 'mallory@partner.example')).toBe('error');
      await expectAccessible(page, 'server, step 1: not a recipient');
      expect(await confirmAddress(page, SMS_RECIPIENT.address)).toBe('code');
      await expectAccessible(page, 'server, step 2: the code sent by SMS, with resend');
      await page.getByRole('button', { name: readerText('en', 'reader.resend') }).click();
      await page.locator('[data-testid="error"]').waitFor();
      await expectAccessible(page, 'server, step 2: resend throttled');
    } finally {
      await page.context().close();
    }
  });

  it('the hosted link, on a phone in dark', async () => {
    const page = await openPage(`${server.url}/r/${messageId}#${mailShare}`, {
      ...PHONE,
      colorScheme: 'dark',
    });
    try {
      await expectAccessible(page, 'hosted, step 1');
      server.advanceClock(120);
      const before = (await server.outbox())[0]?.at ?? null;
      expect(await confirmAddress(page, EMAIL_RECIPIENT)).toBe('code');
      await page.getByRole('checkbox').waitFor();
      await expectAccessible(page, 'hosted, step 2: the code sent by email, remember this browser');
      await page.getByRole('checkbox').check();
      const code = await server.codeFromOutbox(EMAIL_RECIPIENT, { after: before });
      expect(await typeCode(page, code)).toBe('open');
      // Again in the same browser: opened by the remembered browser, with its note.
      // (Away first: the same path with a new fragment would not load the page again.)
      await page.goto('about:blank');
      await page.goto(`${server.url}/r/${messageId}#${mailShare}`);
      await page.locator('[data-testid="device-note"]').waitFor({ timeout: 30_000 });
      await expectAccessible(page, 'hosted, opened by a remembered browser');
      await page.locator('[data-testid="forget-device"]').click();
      await page.getByText(readerText('en', 'reader.device.forgotten')).waitFor();
      await expectAccessible(page, 'hosted, the browser forgotten');
    } finally {
      await page.context().close();
    }
  });
});

/** What has focus, and whether it shows it (an outline or a box shadow, as computed). */
async function focusShown(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return { what: 'body', visible: false };
    const style = getComputedStyle(element);
    const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const what =
      element.id ||
      element.getAttribute('data-action') ||
      element.getAttribute('data-testid') ||
      element.tagName.toLowerCase();
    return { what, visible: outlined || style.boxShadow !== 'none' };
  });
}

/** Presses `key` and returns what has focus afterwards, requiring it to show its focus. */
async function press(page: Page, key: string): Promise<string> {
  await page.keyboard.press(key);
  const focus = await focusShown(page);
  expect(focus, `focus after ${key}`).toMatchObject({ visible: true });
  return focus.what;
}

describe('with the keyboard alone', () => {
  it('a recipient unlocks, downloads an attachment and writes a reply, and always sees where focus is', async () => {
    const page = await openPage(codePath);
    try {
      // The page's one job has focus on arrival; the language menu is one Shift+Tab away.
      expect(await focusShown(page)).toEqual({ what: 'access-code', visible: true });
      expect(await press(page, 'Shift+Tab')).toBe('language');
      expect(await press(page, 'Tab')).toBe('access-code');

      // A wrong code: the field is emptied and keeps focus for the retry.
      await page.keyboard.type(WRONG_CODE);
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="error"]').waitFor({ timeout: UNLOCK_TIMEOUT_MS });
      await expect.poll(() => focusShown(page)).toEqual({ what: 'access-code', visible: true });

      await page.keyboard.type(ACCESS_CODE);
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="subject"]').waitFor({ timeout: UNLOCK_TIMEOUT_MS });
      // The form is gone: focus goes to the message's heading, not back to <body>.
      await expect.poll(async () => (await focusShown(page)).what).toBe('message-subject');

      expect(await press(page, 'Tab')).toBe('attachment');
      const [first] = await Promise.all([
        page.waitForEvent('download'),
        page.keyboard.press('Enter'),
      ]);
      expect(first.suggestedFilename()).toBe('figures Q3.pdf');
      expect(await press(page, 'Tab')).toBe('attachment');
      const [second] = await Promise.all([
        page.waitForEvent('download'),
        page.keyboard.press('Space'),
      ]);
      expect(second.suggestedFilename()).toBe('notes.txt');

      expect(await press(page, 'Tab')).toBe('reply');
      await page.keyboard.press('Enter');
      // The button is replaced by the form: focus goes to its first field.
      await expect.poll(() => focusShown(page)).toEqual({ what: 'reply-from', visible: true });
      await page.keyboard.type('bob@partner.example');
      expect(await press(page, 'Tab')).toBe('reply-text');
      await page.keyboard.type('Thank you, all received.');
      expect(await press(page, 'Tab')).toBe('reply-files');
      expect(await press(page, 'Tab')).toBe('button');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="reply-file"]').waitFor({ timeout: 60_000 });
      // The form is replaced by the sealed reply to save: focus goes to its link.
      await expect.poll(() => focusShown(page)).toEqual({ what: 'reply-file', visible: true });
      const [reply] = await Promise.all([
        page.waitForEvent('download'),
        page.keyboard.press('Enter'),
      ]);
      expect(reply.suggestedFilename()).toBe('secure-reply.html');
    } finally {
      await page.context().close();
    }
  });
});
