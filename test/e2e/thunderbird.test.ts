/**
 * Sealpost in a real, headless Thunderbird driven through its real UI: the compose window is
 * opened by a test-only helper add-on, everything Sealpost-related is clicked and typed in
 * Sealpost's popup via Marionette, Send is Thunderbird's own button, and what leaves arrives at
 * an SMTP sink on loopback. One Thunderbird serves every case (cases run in order and later ones
 * rely on what earlier ones remembered); the reader attached to the sealed mail is opened in
 * Debian's Chromium.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  openReaderAndUnlock,
  openReaderExpectingError,
} from '../helpers/chromium.ts';
import { ensureSealpostBuilt } from './harness/build.ts';
import { waitFor } from './harness/chromeWindows.ts';
import { findLeaks, middleSlice } from './harness/leakSearch.ts';
import { pressSend, runScenario, type ScenarioOutcome } from './harness/runScenario.ts';
import { scenarioWithDefaults, type LoadedScenario } from './harness/scenario.ts';
import { SealpostPopup } from './harness/sealpostPopup.ts';
import { ThunderbirdSession } from './harness/session.ts';
import type { ReceivedMail } from './harness/smtpSink.ts';

const SENDER = 'alice@example.test';

/** A scenario with defaults, attachments given as bytes. */
function scenario(fields: Partial<LoadedScenario>): LoadedScenario {
  return scenarioWithDefaults(SENDER, fields);
}

let session: ThunderbirdSession;
let browser: Browser;
let workDirectory: string;

beforeAll(async () => {
  const xpi = ensureSealpostBuilt();
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-'));
  [session, browser] = await Promise.all([
    ThunderbirdSession.start({ from: SENDER, sealpostXpi: xpi, workDirectory }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await Promise.all([session?.stop(), browser?.close()]);
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

describe('Sealpost in Thunderbird', () => {
  it('sends the message unchanged when secure mode is off', async () => {
    const attachment = randomBytes(4096);
    const outcome = await runScenario(
      session,
      scenario({
        to: ['bob@partner.example'],
        subject: 'Lunch on Friday',
        body: 'Plain mail, PLAINMARK-5521, nothing sealed.',
        attachmentFiles: [{ name: 'menu.bin', bytes: attachment }],
        secure: false,
      }),
    );
    expect(outcome.outcome).toBe('sent');
    expect(outcome.mails).toHaveLength(1);
    const parsed = await simpleParser(outcome.mails[0]!.raw);
    expect(parsed.headers.has('x-sealpost')).toBe(false);
    expect(parsed.subject).toBe('Lunch on Friday');
    expect(parsed.text).toContain('PLAINMARK-5521');
    expect(parsed.attachments.map((part) => part.filename)).toEqual(['menu.bin']);
    expect(Buffer.compare(parsed.attachments[0]!.content, attachment)).toBe(0);
    // The leak search used on sealed mail below must see these when they are there.
    const found = await findLeaks(outcome.mails[0]!.raw, [
      { label: 'body', value: 'PLAINMARK-5521' },
      { label: 'attachment', value: middleSlice(attachment) },
    ]);
    expect(found).toContain('body found as is in raw mail');
    expect(found).toContain('attachment found as base64 in raw mail without line breaks');
    expect(found).toContain('attachment found as is in decoded attachment menu.bin');
  });

  describe('secure mode on, several recipients with different codes and languages', () => {
    const bodyText =
      'Dear all, the biopsy result is benign. Case reference MEDSECRET-80417-Ωmega. — Alice';
    const scan = randomBytes(3 * 1024 * 1024 + 17);
    const sheet = randomBytes(150_000);
    const codes = {
      'bob@partner.example': 'Otter-Harbour-Violet-93',
      'emile@autre.example': 'Plum-Kettle-Rapid-4417',
      'hidden.auditor@elsewhere.example': 'Quiet-Lantern-Spruce-58',
      // Internal (same domain as the sender) but without a known key: a code too.
      'dana@example.test': 'Copper-Meadow-Tundra-71',
    };
    const subject = 'Befund für Émile — 機密 ✓';
    const HIDDEN = 'hidden.auditor@elsewhere.example';
    let outcome: ScenarioOutcome;
    let parsed: ParsedMail;
    let readerPath: string;
    /** The Bcc recipient's own sealed mail, sent right after the To/Cc one. */
    let hiddenMail: ReceivedMail;
    let hiddenParsed: ParsedMail;
    let hiddenReaderPath: string;

    beforeAll(async () => {
      outcome = await runScenario(
        session,
        scenario({
          to: ['bob@partner.example', 'dana@example.test'],
          cc: ['emile@autre.example'],
          bcc: ['hidden.auditor@elsewhere.example'],
          subject,
          body: bodyText,
          attachmentFiles: [
            { name: 'scan-ü.pdf', type: 'application/pdf', bytes: scan },
            { name: 'sheet.bin', bytes: sheet },
          ],
          secure: true,
          recipients: {
            'bob@partner.example': {
              method: 'code',
              code: codes['bob@partner.example'],
              language: 'de',
            },
            'emile@autre.example': {
              method: 'code',
              code: codes['emile@autre.example'],
              language: 'fr',
            },
            'hidden.auditor@elsewhere.example': {
              method: 'code',
              code: codes['hidden.auditor@elsewhere.example'],
              language: 'nl',
            },
            'dana@example.test': { method: 'code', code: codes['dana@example.test'] },
          },
        }),
      );
      if (outcome.outcome !== 'sent') {
        throw new Error(`expected the sealed mail to be sent, got: ${outcome.message}`);
      }
      parsed = await simpleParser(outcome.mails[0]!.raw);
      const reader = parsed.attachments.find((part) => part.filename === 'secure-message.html');
      readerPath = join(workDirectory, 'secure-message.html');
      if (reader) await writeFile(readerPath, reader.content);
      hiddenMail = await waitFor("the Bcc recipient's own mail", async () =>
        session.sink.mails.find((mail) => mail.rcptTo.includes(HIDDEN)),
      );
      hiddenParsed = await simpleParser(hiddenMail.raw);
      const hiddenReader = hiddenParsed.attachments.find(
        (part) => part.filename === 'secure-message.html',
      );
      hiddenReaderPath = join(workDirectory, 'hidden', 'secure-message.html');
      await mkdir(join(workDirectory, 'hidden'), { recursive: true });
      if (hiddenReader) await writeFile(hiddenReaderPath, hiddenReader.content);
    });

    it('sends one mail to To/Cc and one to the Bcc recipient alone, Bcc only in its SMTP envelope', () => {
      expect(outcome.recipients['bob@partner.example']?.kind).toBe('external');
      expect(outcome.recipients['dana@example.test']?.kind).toBe('internal');
      expect([...outcome.mails[0]!.rcptTo].sort()).toEqual(
        ['bob@partner.example', 'dana@example.test', 'emile@autre.example'].sort(),
      );
      expect(hiddenMail.rcptTo).toEqual([HIDDEN]);
      expect(session.sink.mails.filter((mail) => mail.rcptTo.includes(HIDDEN))).toHaveLength(1);
    });

    it('replaces body and attachments by the notification and secure-message.html', () => {
      expect(parsed.headers.get('x-sealpost')).toBe('1');
      expect(parsed.subject).toBe(subject);
      expect(parsed.attachments.map((part) => part.filename)).toEqual(['secure-message.html']);
      expect(parsed.attachments[0]!.contentType).toBe('text/html');
      // The notification speaks the chosen languages and names the attachment.
      expect(parsed.text).toContain('secure-message.html');
      expect(parsed.text).toMatch(/Zugangscode/);
      expect(parsed.text).toMatch(/code d.accès/);
      // Dutch was chosen only for the Bcc recipient: their own mail speaks it, alone.
      expect(parsed.text).not.toMatch(/toegangscode/);
      expect(hiddenParsed.text).toMatch(/toegangscode/);
      expect(hiddenParsed.text).not.toMatch(/Zugangscode|code d.accès/);
      expect(hiddenParsed.attachments.map((part) => part.filename)).toEqual([
        'secure-message.html',
      ]);
    });

    it('leaks no body text, no attachment bytes and no Bcc address, raw or decoded', async () => {
      const hiddenLeaks = await findLeaks(hiddenMail.raw, [
        { label: 'body text', value: 'MEDSECRET-80417' },
        { label: 'scan bytes', value: middleSlice(scan) },
        { label: 'sheet bytes', value: middleSlice(sheet) },
      ]);
      expect(hiddenLeaks).toEqual([]);
      const leaks = await findLeaks(outcome.mails[0]!.raw, [
        { label: 'body text', value: 'MEDSECRET-80417' },
        { label: 'body sentence', value: 'the biopsy result is benign' },
        { label: 'scan bytes', value: middleSlice(scan) },
        { label: 'scan start', value: scan.subarray(0, 64) },
        { label: 'sheet bytes', value: middleSlice(sheet) },
        { label: 'Bcc address', value: 'hidden.auditor@elsewhere.example' },
        { label: 'Bcc local part', value: 'hidden.auditor' },
        ...Object.entries(codes).map(([address, code]) => ({
          label: `access code of ${address}`,
          value: code,
        })),
      ]);
      expect(leaks).toEqual([]);
    });

    it.each(Object.entries(codes))(
      'the reader opens for %s with their code: body and identical attachments',
      async (address, code) => {
        const shown = await openReaderAndUnlock(
          address === HIDDEN ? hiddenReaderPath : readerPath,
          code,
          {
            browser,
            downloadDir: join(workDirectory, `download-${address}`),
          },
        );
        expect(shown.subject).toBe(subject);
        expect(shown.bodyText).toContain('MEDSECRET-80417-Ωmega');
        const byName = new Map(shown.attachments.map((file) => [file.name, file.bytes]));
        expect([...byName.keys()].sort()).toEqual(['scan-ü.pdf', 'sheet.bin']);
        expect(Buffer.compare(Buffer.from(byName.get('scan-ü.pdf')!), scan)).toBe(0);
        expect(Buffer.compare(Buffer.from(byName.get('sheet.bin')!), sheet)).toBe(0);
      },
    );

    it("the Bcc recipient's code opens only their own mail, not the To/Cc one", async () => {
      const refused = await openReaderExpectingError(readerPath, codes[HIDDEN], { browser });
      expect(refused.errorText).not.toBe('');
    });

    it('the reader refuses a wrong code', async () => {
      const refused = await openReaderExpectingError(readerPath, 'Otter-Harbour-Violet-94', {
        browser,
      });
      expect(refused.errorText).not.toBe('');
    });

    it('remembers method, code and language for the next message', async () => {
      const compose = await session.compose({
        from: SENDER,
        to: ['bob@partner.example'],
        cc: ['emile@autre.example'],
        subject: 'Follow-up',
        body: 'Second message.',
      });
      const popup = new SealpostPopup(session.thunderbird.marionette, compose.window);
      await popup.open();
      for (const [address, language] of [
        ['bob@partner.example', 'de'],
        ['emile@autre.example', 'fr'],
      ] as const) {
        await popup.waitForRecipient(address);
        expect(await popup.methodValue(address)).toBe('code-existing');
        expect(await popup.methodLabel(address)).toContain(codes[address]);
        expect(await popup.languageValue(address)).toBe(language);
      }
      await popup.close();
    });
  });

  it('seals an HTML message; the reader shows it as HTML', async () => {
    const code = 'Velvet-Canyon-Ember-2048';
    const outcome = await runScenario(
      session,
      scenario({
        to: ['grace@html.example'],
        subject: 'Quarterly figures',
        body: '<p>Hello Grace,</p><p>the <b>figures</b>: HTMLMARK-3319.</p>',
        html: true,
        secure: true,
        recipients: { 'grace@html.example': { method: 'code', code, language: 'en' } },
      }),
    );
    expect(outcome.outcome).toBe('sent');
    expect(
      await findLeaks(outcome.mails[0]!.raw, [{ label: 'body', value: 'HTMLMARK-3319' }]),
    ).toEqual([]);
    const parsed = await simpleParser(outcome.mails[0]!.raw);
    const reader = parsed.attachments.find((part) => part.filename === 'secure-message.html');
    const readerFile = join(workDirectory, 'html-message.html');
    await writeFile(readerFile, reader!.content);
    const shown = await openReaderAndUnlock(readerFile, code, {
      browser,
      downloadDir: join(workDirectory, 'download-html'),
    });
    expect(shown.bodyIsHtml).toBe(true);
    expect(shown.bodyText).toContain('figures: HTMLMARK-3319.');
  });

  it('cancels when an external recipient has no method, naming them, and keeps the draft', async () => {
    const attachment = randomBytes(2048);
    const outcome = await runScenario(
      session,
      scenario({
        to: ['carol@another.example'],
        subject: 'Contract draft',
        body: 'Draft text that must stay in the window.',
        attachmentFiles: [{ name: 'contract.bin', bytes: attachment }],
        secure: true,
      }),
    );
    expect(outcome.outcome).toBe('cancelled');
    expect(outcome.mails).toEqual([]);
    expect(outcome.message).toContain('carol@another.example');
    expect(outcome.popupReopenedBySealpost).toBe(true);
    expect(await outcome.compose.window.isOpen()).toBe(true);
    const state = await session.composeState(outcome.compose.tabId);
    expect(state.subject).toBe('Contract draft');
    expect(state.plainTextBody).toContain('Draft text that must stay in the window.');
    expect(state.attachments).toEqual([{ name: 'contract.bin', size: 2048 }]);
  });

  it('warns in the panel, then cancels a sealed mail over the 20 MB allowed, naming both sizes and keeping the draft', async () => {
    // Random bytes do not compress: 12 MB of files make a sealed mail of about 21 MB.
    const scan = randomBytes(12_000_000);
    const compose = await session.compose({
      from: SENDER,
      to: ['grace@large.example'],
      subject: 'Scans',
      body: 'The scans are attached.',
      attachments: [{ name: 'scans.bin', bytes: scan }],
    });
    const popup = new SealpostPopup(session.thunderbird.marionette, compose.window);
    await popup.open();
    await popup.setSecure(true);
    await popup.waitForRecipient('grace@large.example');
    await popup.chooseMethod('grace@large.example', 'code-new');
    await popup.typeCode('grace@large.example', 'K7QM-X2PA-9FHT-3WBN-QX4D');
    await popup.waitUntilSaved('grace@large.example');
    await popup.popup.waitFor('#mail-size-warning');
    expect(await popup.popup.text('#mail-size-warning')).toMatch(/about 2\d\.\d MB.*20 MB/);

    const outcome = await pressSend(session, compose, popup);
    expect(outcome.outcome).toBe('cancelled');
    expect(outcome.mails).toEqual([]);
    expect(outcome.message).toMatch(/a mail of 2\d\.\d MB, more than the 20 MB/);
    expect(await compose.window.isOpen()).toBe(true);
    const state = await session.composeState(compose.tabId);
    expect(state.subject).toBe('Scans');
    expect(state.plainTextBody).toContain('The scans are attached.');
    expect(state.attachments).toEqual([{ name: 'scans.bin', size: 12_000_000 }]);
  });

  it('cancels a weak access code', async () => {
    const outcome = await runScenario(
      session,
      scenario({
        to: ['frank@weak.example'],
        subject: 'Payslip',
        body: 'Weak code case.',
        secure: true,
        recipients: { 'frank@weak.example': { method: 'code', code: '1234', language: 'en' } },
      }),
    );
    expect(outcome.outcome).toBe('cancelled');
    expect(outcome.mails).toEqual([]);
    expect(outcome.message).toContain('frank@weak.example');
    expect(outcome.message).toMatch(/weak/i);
    expect(await outcome.compose.window.isOpen()).toBe(true);
  });
});
