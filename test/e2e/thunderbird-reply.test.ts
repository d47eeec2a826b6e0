/**
 * A secure conversation end to end: Alice's real Thunderbird sends a sealed message through a
 * real server; Bob opens the attached reader in Chromium (German), passes his factor, and
 * replies securely with a binary attachment — sealed in his browser to Alice's key, mailed by
 * the server, threaded. Alice's Thunderbird opens the reply with "Open secure message" and no
 * code, and answers with "Reply securely"; Bob opens that in the reader too. Every mail at the
 * sink is searched for the plaintext of the message and the reply.
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
import { waitFor } from './harness/chromeWindows.ts';
import { findLeaks, type Secret } from './harness/leakSearch.ts';
import { DisplayedMessage, SentCopyTab } from './harness/messageDisplay.ts';
import { confirmAddress, typeCode } from './harness/readerServerFlow.ts';
import { pressSend, runScenario } from './harness/runScenario.ts';
import { scenarioWithDefaults } from './harness/scenario.ts';
import type { SealpostServer } from './harness/sealpostServer.ts';
import { SealpostPopup } from './harness/sealpostPopup.ts';
import { connectSealpost, startServerForSession } from './harness/serverSession.ts';
import { ThunderbirdSession } from './harness/session.ts';
import type { ReceivedMail } from './harness/smtpSink.ts';

const ALICE = 'alice@example.org';
const BOB = 'bob@partner.example';
const BOB_CODE = 'Harbour-Lantern-42';
const SUBJECT = 'Vertrag — Übersicht ✓';
const ORIGINAL_SECRET = 'ORIGSECRET-4410';
const REPLY_SECRET = 'REPLYSECRET-7781';
const ANSWER_SECRET = 'ANSWERSECRET-2093';
const attachment = randomBytes(40_000);

let workDirectory: string;
let alice: ThunderbirdSession;
let server: SealpostServer;
let browser: Browser;

beforeAll(async () => {
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-reply-'));
  [alice, browser] = await Promise.all([
    ThunderbirdSession.start({
      from: `Alice <${ALICE}>`,
      sealpostXpi: ensureSealpostBuilt(),
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

/** The reader attached to a mail, written to a file Chromium can open. */
async function readerFile(mail: ReceivedMail, name: string): Promise<string> {
  const parsed = await simpleParser(mail.raw);
  const reader = parsed.attachments.find((part) => part.filename === 'secure-message.html');
  if (!reader) throw new Error(`${name}: no secure-message.html`);
  const path = join(workDirectory, `${name}.html`);
  await writeFile(path, reader.content);
  return path;
}

async function openAsBob(path: string): Promise<Page> {
  const page = await openReaderPage(browser, path, { locale: 'de-DE' });
  expect(await confirmAddress(page, BOB)).toBe('code');
  expect(await typeCode(page, BOB_CODE)).toBe('open');
  return page;
}

describe('a secure conversation', () => {
  let original: ReceivedMail;
  let reply: ReceivedMail;

  it('Alice sends a sealed message to Bob through the server', async () => {
    expect(await connectSealpost(alice, server, ALICE)).toContain(ALICE);
    const sent = await runScenario(
      alice,
      scenarioWithDefaults(`Alice <${ALICE}>`, {
        to: [BOB],
        subject: SUBJECT,
        body: `Bitte unterschreiben: ${ORIGINAL_SECRET}`,
        secure: true,
        recipients: { [BOB]: { method: 'code', code: BOB_CODE, language: 'de' } },
      }),
    );
    expect(sent.message).toBe('');
    expect(sent.outcome).toBe('sent');
    original = sent.mails[0]!;
  });

  it('Bob replies from the reader with an attachment; the server mails it to Alice, threaded', async () => {
    const page = await openAsBob(await readerFile(original, 'original'));
    try {
      await page.locator('[data-action="reply"]').click();
      await page.locator('#reply-from').waitFor();
      expect(await page.locator('#reply-from').inputValue()).toBe(BOB);
      await page.locator('#reply-text').fill(`Unterschrieben. ${REPLY_SECRET}`);
      const file = join(workDirectory, 'unterschrift.bin');
      await writeFile(file, attachment);
      await page.locator('#reply-files').setInputFiles(file);
      const mailsBefore = alice.sink.mails.length;
      await page.locator('[data-testid="reply"] button[type="submit"]').click();
      await page.locator('[data-testid="reply-sent"]').waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-testid="reply-sent"]').innerText()).toContain(ALICE);
      reply = await waitFor('the reply at the sink', async () =>
        alice.sink.mails.slice(mailsBefore).find((mail) => mail.rcptTo.includes(ALICE)),
      );
    } finally {
      await page.context().close();
    }
    const parsed = await simpleParser(reply.raw);
    const originalId = (await simpleParser(original.raw)).messageId;
    expect(parsed.inReplyTo).toBe(originalId);
    expect(parsed.headers.get('x-sealpost')).toBe('1');
    expect(parsed.attachments.map((part) => part.filename)).toEqual(['secure-message.html']);
  });

  it('Alice opens the reply inside Thunderbird with no code', async () => {
    const received = await alice.receive(reply.raw);
    const displayed = await DisplayedMessage.open(alice, received);
    await displayed.waitForSealpostButton(true);
    await displayed.clickSealpostButton();
    const page = new SentCopyTab(alice.thunderbird.marionette, received);
    const view = await page.read();
    expect(view.subject).toBe(`Re: ${SUBJECT}`);
    expect(view.bodyText).toContain(REPLY_SECRET);
    expect(view.attachmentNames).toEqual(['unterschrift.bin']);

    const answer = await alice.composeOpenedBy(() =>
      page.page.click('button[data-action="reply-securely"]'),
    );
    // The quoted text goes in once secure mode is on.
    const details = await waitFor('the quoted reply', async () => {
      const state = await alice.composeState(answer.tabId);
      return state.plainTextBody.includes('> ') ? state : undefined;
    });
    expect(details.subject).toBe(`Re: ${SUBJECT}`);
    expect(details.plainTextBody).toContain(`> Unterschrieben. ${REPLY_SECRET}`);
    const popup = new SealpostPopup(alice.thunderbird.marionette, answer.window);
    await popup.open();
    expect(await popup.isSecure()).toBe(true);
    await popup.waitForRecipient(BOB);
    // Bob's method is remembered from the first message (his access code).
    expect(await popup.methodValue(BOB)).toBe('code-existing');
    await answer.window.sendKeys(`Danke! ${ANSWER_SECRET}`, '#messageEditor');
    const sent = await pressSend(alice, answer, popup);
    expect(sent.message).toBe('');
    expect(sent.outcome).toBe('sent');
    const bobPage = await openAsBob(await readerFile(sent.mails[0]!, 'answer'));
    try {
      const shown = await readOpenedMessage(bobPage, join(workDirectory, 'answer-downloads'));
      expect(shown.subject).toBe(`Re: ${SUBJECT}`);
      expect(shown.bodyText).toContain(ANSWER_SECRET);
      expect(shown.bodyText).toContain(REPLY_SECRET);
    } finally {
      await bobPage.context().close();
    }
    await alice.helper.call('closeTabs', { urlPart: 'sent-copy.html' });
  });

  it('no mail at the sink carries any of the conversation in plaintext', async () => {
    const secrets: Secret[] = [
      { label: 'original body', value: ORIGINAL_SECRET },
      { label: 'reply body', value: REPLY_SECRET },
      { label: 'answer body', value: ANSWER_SECRET },
      { label: 'reply attachment', value: attachment.subarray(10_000, 10_064) },
    ];
    for (const mail of alice.sink.mails) {
      expect(await findLeaks(mail.raw, secrets)).toEqual([]);
    }
  });
});
