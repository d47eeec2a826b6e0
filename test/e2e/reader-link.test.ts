/**
 * Link delivery in the built reader, in a real Chromium, against a REAL Sealpost server hosting
 * the payload (docs/envelope.md §9): a reader file with a version-2 envelope downloads the
 * payload as the page opens, shows its progress, checks it against the envelope's size and
 * SHA-256, and opens once the recipient passed their factor; a server handing out other bytes
 * is caught before any code is asked for; the hosted page downloads the same binary payload.
 * A proxy in front of the server slows the payload down (to watch the progress) or alters it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LinkedEnvelope } from '../../src/core/envelope.ts';
import {
  ENVELOPE_PLACEHOLDER,
  extractEnvelopeJson,
  linkedEnvelopeJson,
  parseEnvelope,
} from '../../src/core/envelopeCodec.ts';
import { generateSenderKey } from '../../src/crypto/index.ts';
import { readerText } from '../../src/i18n/index.ts';
import { blockingViolations, scanPage } from '../helpers/axe.ts';
import {
  errorText,
  launchChromium,
  openReaderPage,
  readOpenedMessage,
} from '../helpers/chromium.ts';
import { inlineEnvelope } from '../helpers/inlineEnvelope.ts';
import { startPayloadProxy, type PayloadProxy } from './harness/payloadProxy.ts';
import { ensureReaderBuilt } from './harness/readerBuild.ts';
import { confirmAddress, typeCode } from './harness/readerServerFlow.ts';
import { sealAndRegisterOnServer } from './harness/sealForServer.ts';
import {
  signInSender,
  startSealpostServer,
  type SealpostServer,
} from './harness/sealpostServer.ts';

const SENDER = { name: 'Alice Example', address: 'alice@example.org' };
const RECIPIENT = { address: 'erik@client.example', code: '739152' };

let server: SealpostServer;
let proxy: PayloadProxy;
let browser: Browser;
let workDir: string;
let readerTemplate: string;
let linked: { path: string; messageId: string; mailShare: string; payloadBytes: number };

/** Six megabytes that do not compress: the payload comes in many chunks. */
const attachment = {
  name: 'Scan 2026.pdf',
  contentType: 'application/pdf',
  bytes: randomBytes(6_000_000),
};

beforeAll(async () => {
  readerTemplate = await readFile(await ensureReaderBuilt(), 'utf8');
  workDir = await mkdtemp(join(tmpdir(), 'sealpost-reader-link-'));
  server = await startSealpostServer({ domains: ['example.org'] });
  proxy = await startPayloadProxy(server.url);
  const before = (await server.outbox())[0]?.at ?? null;
  const token = await signInSender(server, SENDER.address, () =>
    server.codeFromOutbox(SENDER.address, { after: before }),
  );
  // Sealed for the proxy's address: the envelope's server, and its payload link, are the proxy.
  const sealed = await sealAndRegisterOnServer({
    serverUrl: proxy.url,
    token,
    sender: SENDER,
    senderPublicKey: (await generateSenderKey(SENDER)).armoredPublicKey,
    readerTemplate,
    recipients: [
      { address: RECIPIENT.address, field: 'to', method: 'code', accessCode: RECIPIENT.code },
    ],
    subject: 'The large scan',
    body: { kind: 'plain', text: 'Too large for mail, so it went by link.' },
    attachments: [attachment],
  });
  linked = {
    ...(await writeLinkedFile(sealed.readerHtml, sealed.messageId)),
    messageId: sealed.messageId,
    mailShare: sealed.mailShare,
  };
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  Object.assign(proxy.payloads, { chunkBytes: 1 << 20, pauseMs: 0, flipByteAt: null });
  proxy.downloads.length = 0;
});

/**
 * The reader file again, with the version-2 envelope of the same message: the payload's link
 * (on the server, where registering put it), size and SHA-256 in place of the payload.
 */
async function writeLinkedFile(
  readerHtml: Buffer,
  messageId: string,
): Promise<{ path: string; payloadBytes: number }> {
  const parsed = parseEnvelope(extractEnvelopeJson(readerHtml.toString('utf8')) ?? '');
  if (!parsed.ok) throw new Error(parsed.reason);
  const { payload: base64, ...metadata } = inlineEnvelope(parsed.envelope);
  const payload = Buffer.from(base64, 'base64');
  const envelope: LinkedEnvelope = {
    ...metadata,
    version: 2,
    payloadLink: {
      url: `${proxy.url}/api/v1/messages/${messageId}/payload`,
      bytes: payload.length,
      sha256: createHash('sha256').update(payload).digest('hex'),
    },
  };
  const path = join(workDir, 'linked-secure-message.html');
  await writeFile(
    path,
    readerTemplate.replace(ENVELOPE_PLACEHOLDER, () => linkedEnvelopeJson(envelope)),
  );
  return { path, payloadBytes: payload.length };
}

async function withPage(open: () => Promise<Page>, use: (page: Page) => Promise<void>) {
  const page = await open();
  try {
    await use(page);
  } finally {
    await page.context().close();
  }
}

describe('a reader file with a version-2 envelope', () => {
  it('downloads the payload as the page opens, shows its progress, and opens with the code', async () => {
    // About 3 s for the whole payload: long enough to watch, and to scan the page meanwhile.
    Object.assign(proxy.payloads, { chunkBytes: 256 * 1024, pauseMs: 120 });
    await withPage(
      () => openReaderPage(browser, linked.path),
      async (page) => {
        const progress = page.locator('progress#payload-progress');
        await progress.waitFor();
        await expect(page.locator('label[for="payload-progress"]').innerText()).resolves.toBe(
          readerText('en', 'reader.payload.downloading'),
        );
        // Percent, bytes and total, also for a screen reader (the progress bar's value text).
        await page.waitForFunction(() =>
          /^[1-9]\d?% \(/.test(
            document.querySelector('#payload-progress')?.getAttribute('aria-valuetext') ?? '',
          ),
        );
        const spoken = await progress.getAttribute('aria-valuetext');
        expect(spoken).toMatch(/^\d+% \([\d.]+ (kB|MB) of 6\.\d MB\)$/);
        expect(await page.locator('[data-testid="payload-detail"]').innerText()).toBe(spoken);
        expect(blockingViolations(await scanPage(page))).toEqual([]);

        // The recipient verifies meanwhile; the download goes on.
        expect(await confirmAddress(page, RECIPIENT.address)).toBe('code');
        await page.locator('[data-testid="payload-ready"]:not(:empty)').waitFor();
        await expect(page.locator('[data-testid="payload-ready"]').innerText()).resolves.toMatch(
          /^Message downloaded \(6\.\d MB\)\.$/,
        );
        expect(await progress.count()).toBe(0);
        expect(await typeCode(page, RECIPIENT.code)).toBe('open');
        const opened = await readOpenedMessage(page, join(workDir, 'downloads-linked'));
        expect(opened.subject).toBe('The large scan');
        expect(opened.attachments[0]?.name).toBe(attachment.name);
        expect(Buffer.from(opened.attachments[0]!.bytes).equals(attachment.bytes)).toBe(true);
        expect(proxy.downloads).toEqual([`/api/v1/messages/${linked.messageId}/payload`]);
      },
    );
  });

  it('says a payload other than the envelope names is damaged, before asking for anything', async () => {
    proxy.payloads.flipByteAt = linked.payloadBytes - 100;
    await withPage(
      () => openReaderPage(browser, linked.path),
      async (page) => {
        await page.locator('[data-testid="error"]').waitFor();
        expect(await errorText(page)).toContain(readerText('en', 'reader.error.damaged'));
        expect(await page.locator('#recipient-address, #access-code').count()).toBe(0);
      },
    );
  });
});

describe('the hosted page', () => {
  it('downloads the same payload, binary, from its server and opens it', async () => {
    const context = await browser.newContext({ acceptDownloads: true, locale: 'en-US' });
    const page = await context.newPage();
    const payloadAnswers: string[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/payload')) {
        payloadAnswers.push(response.headers()['content-type'] ?? '');
      }
    });
    try {
      await page.goto(`${server.url}/r/${linked.messageId}#${linked.mailShare}`);
      await page.locator('[data-testid="payload-ready"]:not(:empty)').waitFor();
      expect(payloadAnswers).toEqual(['application/octet-stream']);
      expect(await confirmAddress(page, RECIPIENT.address)).toBe('code');
      expect(await typeCode(page, RECIPIENT.code)).toBe('open');
      const opened = await readOpenedMessage(page, join(workDir, 'downloads-hosted'));
      expect(Buffer.from(opened.attachments[0]!.bytes).equals(attachment.bytes)).toBe(true);
    } finally {
      await context.close();
    }
  });
});
