/**
 * The built reader in a real Chromium, opened from file:// like a recipient would: sealed with
 * the real pipeline and production Argon2, unlocked by typing the code, checked for what it
 * shows, what it downloads, what it refuses and what it must never load.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordForCode } from '../../src/core/accessCode.ts';
import type { Envelope } from '../../src/core/envelope.ts';
import { ENVELOPE_ELEMENT, extractEnvelopeJson } from '../../src/core/envelopeCodec.ts';
import type { NotificationLanguage } from '../../src/core/languages.ts';
import type { OriginalMessage } from '../../src/core/mime/buildMime.ts';
import { sealMessage } from '../../src/core/sealPipeline.ts';
import { generateSenderKey } from '../../src/crypto/index.ts';
import { readerText } from '../../src/i18n/index.ts';
import { ensureReaderBuilt } from './harness/readerBuild.ts';
import {
  errorText,
  launchChromium,
  openReaderAndUnlock,
  openReaderExpectingError,
  openReaderPage,
  readOpenedMessage,
  senderShown,
  submitAccessCode,
} from '../helpers/chromium.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const readerPath = join(projectRoot, 'dist/reader/secure-message.html');
const screenshotDir = join(projectRoot, '.tmp/reader');

const BOB_CODE = 'K7QM-X2PA-9FHT-3WBN-5RDE';
const CAROL_CODE = 'ZX4N-8JRT-QW2M-7HKP-D3SA';
const WRONG_CODE = 'AAAA-BBBB-CCCC-DDDD-EEEE';

let browser: Browser;
let workDir: string;
let readerTemplate: string;
let remote: { server: Server; port: number; hits: string[] };

const attachmentA = {
  name: 'Übersicht Q3 (final).pdf',
  contentType: 'application/pdf',
  bytes: randomBytes(1_300_000),
};
const attachmentB = {
  name: 'scan 2026-03-14.bin',
  contentType: 'application/octet-stream',
  bytes: randomBytes(2_700_000),
};

/** A loopback HTTP server that records every request: anything the reader loads remotely. */
function startRecordingServer(): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'image/png' });
    response.end();
  });
  return new Promise((resolveServer) =>
    server.listen(0, '127.0.0.1', () =>
      resolveServer({ server, port: (server.address() as AddressInfo).port, hits }),
    ),
  );
}

interface SealOptions {
  body: OriginalMessage['body'];
  subject: string;
  attachments?: OriginalMessage['attachments'];
  languages: NotificationLanguage[];
}

async function sealToFile(fileName: string, options: SealOptions): Promise<string> {
  const senderKey = await generateSenderKey({
    name: 'Alice Example',
    address: 'alice@example.test',
  });
  const sealed = await sealMessage({
    original: {
      messageId: `<${randomUUID()}@sealpost>`,
      date: new Date('2026-03-14T09:26:53Z'),
      from: { name: 'Alice Example', address: 'alice@example.test' },
      to: ['Bob Beispiel <bob@partner.example>'],
      cc: ['carol@other.example'],
      subject: options.subject,
      body: options.body,
      attachments: options.attachments ?? [],
    },
    locks: [
      {
        method: 'code',
        password: passwordForCode(BOB_CODE),
        hint: 'b•••@partner.example',
        language: options.languages[0] ?? 'en',
      },
      {
        method: 'code',
        password: passwordForCode(CAROL_CODE),
        hint: 'c•••@other.example',
        language: options.languages[1] ?? 'en',
      },
    ],
    senderPublicKey: senderKey.armoredPublicKey,
    readerTemplate,
    serverUrl: null,
    languages: options.languages,
  });
  const path = join(workDir, fileName);
  await writeFile(path, Buffer.from(await sealed.readerHtml.arrayBuffer()));
  return path;
}

/** Rewrites the envelope of a sealed reader file. */
async function withEditedEnvelope(
  sourcePath: string,
  fileName: string,
  edit: (envelope: Envelope) => unknown,
): Promise<string> {
  const html = await readFile(sourcePath, 'utf8');
  const json = extractEnvelopeJson(html);
  if (!json) throw new Error('no envelope in sealed file');
  const edited = JSON.stringify(edit(JSON.parse(json) as Envelope));
  const path = join(workDir, fileName);
  await writeFile(
    path,
    html.replace(json, () => edited),
  );
  return path;
}

let plainPath: string;
let htmlPath: string;
const unicodeSubject = 'Vertraulich: Gehälter 2026 — 日本語テスト ✓';
const plainBody =
  'Hallo Bob,\n\nanbei die Unterlagen.\n\tEingerückte Zeile mit <b>kein HTML</b> & Co.\n\nGrüße\nAlice';

beforeAll(async () => {
  await ensureReaderBuilt();
  readerTemplate = await readFile(readerPath, 'utf8');
  workDir = await mkdtemp(join(tmpdir(), 'sealpost-reader-'));
  await mkdir(screenshotDir, { recursive: true });
  remote = await startRecordingServer();
  browser = await launchChromium();
  plainPath = await sealToFile('plain.html', {
    subject: unicodeSubject,
    body: { kind: 'plain', text: plainBody },
    attachments: [attachmentA, attachmentB],
    languages: ['de', 'nl'],
  });
  const remoteBase = `http://127.0.0.1:${remote.port}`;
  htmlPath = await sealToFile('html.html', {
    subject: 'HTML newsletter',
    body: {
      kind: 'html',
      html: `<html><head><style>h1 { color: #0a5; background: url(${remoteBase}/css-background.png); }</style>
        <link rel="stylesheet" href="${remoteBase}/remote.css"></head>
        <body><h1>Quarterly numbers</h1><p>Visible <b>HTML</b> paragraph.</p>
        <img src="${remoteBase}/x.png" alt="tracker">
        <img src="x" onerror="document.body.append('onerror ran'); new Image().src='${remoteBase}/onerror.png'">
        <script>document.body.append('script ran'); new Image().src='${remoteBase}/script.png';</script>
        <a href="https://example.org/">a link</a></body></html>`,
      text: 'Quarterly numbers (plain alternative)',
    },
    languages: ['fr'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  remote?.server.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** The regular expression docs/envelope.md §1 gives for finding the envelope. */
const ENVELOPE_SEARCH =
  /<script\b[^>]*\bid\s*=\s*["']?sealpost-envelope["']?[^>]*>([\s\S]*?)<\/script\s*>/;

describe('the reader file', () => {
  it('contains the envelope element exactly once and stays within the size goal', async () => {
    expect(readerTemplate.split(ENVELOPE_ELEMENT)).toHaveLength(2);
    expect(readerTemplate.split('SEALPOST_ENVELOPE')).toHaveLength(2);
    // The documented search for the envelope (docs/envelope.md §1) finds the element, never
    // the reader's own code: the first `<script … id="sealpost-envelope">` holds the placeholder.
    const first = ENVELOPE_SEARCH.exec(readerTemplate);
    expect(first?.[1]).toBe('SEALPOST_ENVELOPE');
    const { size } = await stat(readerPath);
    // The goal was 350 KiB (README, "Against the targets"). Sealing a secure reply in the
    // browser — public-key encryption, the MIME builder, the reply form in six languages —
    // took the file to about 411 KiB (421,078 bytes); "I don't have the code" and remembered
    // browsers, in six languages, to 420 KiB (430,191 bytes); link delivery (the payload's
    // download with its progress, and SHA-256 from @noble/hashes, about 6 KB) to 433 KiB
    // (443,763 bytes); opening large messages as a stream (the MIME splitter, base64 into Blobs,
    // decryption progress, about 8 KB) to 441 KiB (451,594 bytes); a sentence per field and per
    // server failure (a one-time code checked for its digits before a try is spent), and "Is
    // this message genuine?" for pages without a server (with one, a link to its help page), in
    // six languages, to 447 KiB (457,352 bytes). This bound catches any real regression (a full openpgp build, a second
    // copy of a library).
    expect(size).toBeLessThanOrEqual(447 * 1024);
  });

  it('explains itself when opened as the empty template', async () => {
    const page = await openReaderPage(browser, readerPath, { locale: 'en-US' });
    try {
      await expect(page.locator('[data-testid="notice"] h1').innerText()).resolves.toBe(
        readerText('en', 'reader.template.title'),
      );
      expect(await page.locator('#access-code').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });
});

describe('a plain-text message with attachments', () => {
  it('shows the sender before unlocking, refuses a wrong code, then opens with a retry', async () => {
    // en-US matches neither de nor nl: the reader opens in the envelope's first language.
    const page = await openReaderPage(browser, plainPath, { locale: 'en-US' });
    try {
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
      expect(await senderShown(page)).toContain('Alice Example');
      expect(await senderShown(page)).toContain('alice@example.test');
      await expect(page.locator('label[for="access-code"]').innerText()).resolves.toBe(
        'Zugangscode',
      );
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('access-code');

      expect(await submitAccessCode(page, WRONG_CODE)).toBe('error');
      expect(await errorText(page)).toBe(readerText('de', 'reader.error.wrong-code'));
      // The typed code stays, focused and selected: a typo can be seen, one keystroke replaces it.
      await expect(page.locator('#access-code').inputValue()).resolves.toBe(WRONG_CODE);
      expect(
        await page.evaluate(() => {
          const field = document.activeElement as HTMLInputElement;
          return [field.id, field.selectionStart, field.selectionEnd];
        }),
      ).toEqual(['access-code', 0, WRONG_CODE.length]);
      await page.keyboard.type('x');
      await expect(page.locator('#access-code').inputValue()).resolves.toBe('x');
      // Without a server there is no help page: how to tell a genuine message is on the page.
      await page.locator('[data-testid="help"] summary').click();
      await expect(page.locator('[data-testid="help"] p').innerText()).resolves.toBe(
        readerText('de', 'reader.help.body', { name: 'Alice Example' }),
      );

      // While Argon2 runs the form says so (recorded as it happens: Argon2 blocks the page).
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { busySeen: string[] }).busySeen = seen;
        new MutationObserver(() => {
          const form = document.querySelector('form[aria-busy="true"]');
          const button = form?.querySelector('button[type="submit"]');
          if (form && button instanceof HTMLButtonElement && button.disabled) {
            seen.push(form.querySelector('[role="status"]')?.textContent?.trim() ?? '');
          }
        }).observe(document.body, {
          subtree: true,
          childList: true,
          attributes: true,
          characterData: true,
        });
      });
      // Codes are typed as people read them: lower case, spaces instead of dashes.
      expect(await submitAccessCode(page, 'zx4n 8jrt qw2m 7hkp d3sa')).toBe('open');
      const busySeen = await page.evaluate(
        () => (window as unknown as { busySeen: string[] }).busySeen,
      );
      expect(busySeen).toContain(readerText('de', 'reader.unlocking'));
      const message = await readOpenedMessage(page, join(workDir, 'downloads-plain'));
      expect(message.subject).toBe(unicodeSubject);
      expect(message.from).toBe('Alice Example <alice@example.test>');
      expect(message.to).toBe('Bob Beispiel <bob@partner.example>');
      expect(message.cc).toBe('carol@other.example');
      expect(message.date).toContain('2026');
      expect(message.date).toMatch(/Samstag/); // 14 March 2026 is a Saturday, shown in German
      expect(message.bodyIsHtml).toBe(false);
      expect(message.bodyText).toBe(plainBody);
      expect(message.attachments.map((attachment) => attachment.name)).toEqual([
        attachmentA.name,
        attachmentB.name,
      ]);
      expect(Buffer.from(message.attachments[0]!.bytes).equals(attachmentA.bytes)).toBe(true);
      expect(Buffer.from(message.attachments[1]!.bytes).equals(attachmentB.bytes)).toBe(true);
      await expect(page.locator('.attachment-size').first().innerText()).resolves.toBe('1,3 MB');

      await page.screenshot({ path: join(screenshotDir, 'reader.png'), fullPage: true });
    } finally {
      await page.context().close();
    }
  });

  it('opens in the first envelope language the browser accepts, and switches language', async () => {
    const page = await openReaderPage(browser, plainPath, { locale: 'nl-NL' });
    try {
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
      await expect(page.locator('label[for="access-code"]').innerText()).resolves.toBe(
        'Toegangscode',
      );
      await page.selectOption('#language', 'fr');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
      await expect(page.locator('label[for="access-code"]').innerText()).resolves.toBe(
        readerText('fr', 'reader.code.label'),
      );
      await expect(page.locator('button[type="submit"]').innerText()).resolves.toBe(
        readerText('fr', 'reader.unlock'),
      );
      await expect(page.locator('label[for="language"]').innerText()).resolves.toBe('Langue');
      expect(await page.locator('#language option').allInnerTexts()).toEqual([
        'English',
        'Deutsch',
        'Nederlands',
        'Français',
        'Español',
        'Italiano',
      ]);
    } finally {
      await page.context().close();
    }
  });

  it('is usable through the shared helpers (for the Thunderbird e2e tests)', async () => {
    const opened = await openReaderAndUnlock(plainPath, BOB_CODE, {
      browser,
      downloadDir: join(workDir, 'downloads-helper'),
    });
    expect(opened.subject).toBe(unicodeSubject);
    expect(opened.bodyText).toBe(plainBody);
    expect(opened.attachments.map((attachment) => attachment.bytes.length)).toEqual([
      attachmentA.bytes.length,
      attachmentB.bytes.length,
    ]);
    const refused = await openReaderExpectingError(plainPath, WRONG_CODE, {
      browser,
      locale: 'it-IT',
    });
    // it-IT matches neither envelope language (de, nl): German, the first.
    expect(refused.errorText).toBe(readerText('de', 'reader.error.wrong-code'));
    expect(refused.senderText).toContain('alice@example.test');
  });
});

describe('an HTML message', () => {
  it('shows sanitised HTML in a sandboxed iframe that loads nothing remote and runs no script', async () => {
    const page = await openReaderPage(browser, htmlPath, { locale: 'de-DE' });
    try {
      // The envelope offers only French.
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
      expect(await submitAccessCode(page, BOB_CODE)).toBe('open');
      const message = await readOpenedMessage(page, join(workDir, 'downloads-html'));
      expect(message.bodyIsHtml).toBe(true);
      expect(message.bodyText).toContain('Quarterly numbers');
      expect(message.bodyText).toContain('Visible HTML paragraph.');
      expect(message.bodyText).not.toContain('script ran');
      expect(message.bodyText).not.toContain('onerror ran');
      expect(message.attachments).toEqual([]);

      const frame = page.locator('iframe[data-testid="message-body"]');
      const sandbox = (await frame.getAttribute('sandbox')) ?? '';
      expect(await frame.evaluate((element) => element.hasAttribute('sandbox'))).toBe(true);
      expect(sandbox.split(/\s+/)).not.toContain('allow-scripts');
      const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
      expect(srcdoc).toContain(
        `content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`,
      );
      expect(srcdoc).not.toMatch(/<script/i);
      expect(srcdoc).not.toMatch(/onerror/i);
      // Styles of the message still apply (inline CSS is allowed, remote loads are not).
      const headingColor = await page
        .frameLocator('iframe[data-testid="message-body"]')
        .locator('h1')
        .evaluate((element) => getComputedStyle(element).color);
      expect(headingColor).toBe('rgb(0, 170, 85)');

      // Give any stray load time to arrive, then check the server saw nothing at all.
      await page.waitForTimeout(1000);
      expect(remote.hits).toEqual([]);
      await page.screenshot({ path: join(screenshotDir, 'reader-html.png'), fullPage: true });
    } finally {
      await page.context().close();
    }
  });
});

describe('broken files', () => {
  it('reports a truncated payload as damaged', async () => {
    const truncatedPath = await withEditedEnvelope(plainPath, 'truncated.html', (envelope) => ({
      ...envelope,
      // Keep valid base64 (a multiple of 4 characters) so the payload itself is what is cut.
      payload: envelope.payload.slice(0, Math.floor(envelope.payload.length / 8) * 4),
    }));
    const result = await openReaderExpectingError(truncatedPath, BOB_CODE, {
      browser,
      locale: 'en-GB',
    });
    expect(result.senderText).toContain('alice@example.test');
    expect(result.errorText).toContain(readerText('de', 'reader.error.damaged'));
  });

  it('reports an envelope of an unknown version as unsupported', async () => {
    // Version 2 is link delivery (docs/envelope.md §9); 3 is still to come.
    const futurePath = await withEditedEnvelope(plainPath, 'future.html', (envelope) => ({
      ...envelope,
      version: 3,
    }));
    const page = await openReaderPage(browser, futurePath, { locale: 'es-ES' });
    try {
      // Without a readable envelope the reader falls back to the browser's language.
      expect(await errorText(page)).toContain(readerText('es', 'reader.error.unsupported'));
      expect(await page.locator('#access-code').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('reports a file cut off in the middle (an incomplete download) as damaged', async () => {
    const html = await readFile(plainPath, 'utf8');
    const cutPath = join(workDir, 'cut.html');
    await writeFile(cutPath, html.slice(0, Math.floor(html.length * 0.6)));
    const page = await openReaderPage(browser, cutPath, { locale: 'nl-BE' });
    try {
      expect(await errorText(page)).toContain(readerText('nl', 'reader.error.damaged'));
    } finally {
      await page.context().close();
    }
  });

  it('says what a message for a server method needs instead of asking for a code', async () => {
    const smsPath = await withEditedEnvelope(plainPath, 'sms.html', (envelope) => ({
      ...envelope,
      locks: envelope.locks.map((lock) =>
        lock.method === 'code' ? { ...lock, method: 'sms' } : lock,
      ),
    }));
    const page = await openReaderPage(browser, smsPath, { locale: 'de-DE' });
    try {
      expect(await senderShown(page)).toContain('alice@example.test');
      expect(await page.locator('#access-code').count()).toBe(0);
      await expect(page.locator('.factor').innerText()).resolves.toBe(
        readerText('de', 'reader.factor.sms'),
      );
      expect(await errorText(page)).toBe(
        readerText('de', 'reader.method-unavailable', { name: 'Alice Example' }),
      );
      // The help speaks of an access code: not shown where there is none to type.
      expect(await page.locator('[data-testid="help"]').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('reports a mangled envelope as damaged', async () => {
    const html = await readFile(plainPath, 'utf8');
    const mangledPath = join(workDir, 'mangled.html');
    await writeFile(
      mangledPath,
      html.replace('"format":"sealpost-envelope"', '"format":"sealpost-envelop'),
    );
    const result = await openReaderExpectingError(mangledPath, BOB_CODE, {
      browser,
      locale: 'it-IT',
    });
    expect(result.errorText).toContain(readerText('it', 'reader.error.damaged'));
  });
});

describe('the reader on a phone (390×844, touch, Chromium device emulation)', () => {
  it('unlocks, shows the message and its attachments, and writes a reply, all by touch and without sideways scrolling', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
      locale: 'de-DE',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const fitsWidth = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    try {
      await page.goto(pathToFileURL(plainPath).href);
      await page.locator('#access-code').tap();
      await page.locator('#access-code').fill(BOB_CODE);
      expect(await fitsWidth()).toBe(true);
      await page.locator('form button[type="submit"]').first().tap();
      await page.locator('[data-testid="subject"]').waitFor({ timeout: 120_000 });
      expect(await page.locator('[data-testid="subject"]').innerText()).toBe(unicodeSubject);
      expect(await fitsWidth()).toBe(true);
      // Every attachment can be reached and tapped: inside the screen's width.
      const buttons = page.locator('[data-testid="attachment"]');
      expect(await buttons.count()).toBe(2);
      for (let index = 0; index < 2; index++) {
        const box = await buttons.nth(index).boundingBox();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
      const [download] = await Promise.all([page.waitForEvent('download'), buttons.first().tap()]);
      expect(download.suggestedFilename()).toBe(attachmentA.name);

      await page.locator('[data-action="reply"]').tap();
      // A malformed address is said before anything is sealed.
      await page.locator('#reply-from').fill('bob.partner.example');
      await page.locator('[data-testid="reply"] button[type="submit"]').tap();
      const language = (await page.evaluate(
        () => document.documentElement.lang,
      )) as NotificationLanguage;
      await expect(page.locator('[data-testid="reply-problem"]').innerText()).resolves.toBe(
        readerText(language, 'reader.error.invalid-address'),
      );
      await page.locator('#reply-from').fill('bob@partner.example');
      await page.locator('#reply-text').fill('Vom Telefon beantwortet.');
      expect(await fitsWidth()).toBe(true);
      await page.locator('[data-testid="reply"] button[type="submit"]').tap();
      await page.locator('[data-testid="reply-file"]').waitFor({ timeout: 60_000 });
      expect(await fitsWidth()).toBe(true);
      await page.screenshot({ path: join(screenshotDir, 'phone-reply.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
