/**
 * More of Sealpost in a real, headless Thunderbird, for what `thunderbird.test.ts` does not
 * cover: the sender reopening the Sent copy through the message-display button, the keyboard
 * shortcut, secure mode surviving a suspended event page, and mailing lists expanded to their
 * members. As there, everything Sealpost-related is clicked or typed for real through
 * Marionette; the test helper add-on only composes, fills the address book and shows messages.
 * One Thunderbird serves the first three groups (in order: later cases rely on the codes that
 * earlier ones remembered); the event-page case needs a profile that suspends idle event pages,
 * so it gets a Thunderbird of its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import {
  launchChromium,
  openReaderAndUnlock,
  openReaderPage,
  submitAccessCode,
} from '../helpers/chromium.ts';
import { ensureSealpostBuilt } from './harness/build.ts';
import { waitFor, webDriverKeys, type WindowShortcut } from './harness/chromeWindows.ts';
import { backgroundState, loadedManifest, waitUntilSuspended } from './harness/runningAddon.ts';
import { findLeaks } from './harness/leakSearch.ts';
import { DisplayedMessage, SentCopyTab, sentMessageId } from './harness/messageDisplay.ts';
import { pressSend, runScenario } from './harness/runScenario.ts';
import { scenarioWithDefaults, type LoadedScenario } from './harness/scenario.ts';
import { SEALPOST_TOOLBAR_BUTTON, SealpostPopup, recipientRow } from './harness/sealpostPopup.ts';
import { SEALPOST_ADDON_ID, ThunderbirdSession, type OpenCompose } from './harness/session.ts';
import type { ReceivedMail } from './harness/smtpSink.ts';

const SENDER = 'alice@example.test';
const BOB = 'bob@partner.example';
const BOB_CODE = 'Otter-Harbour-Violet-93';
/** The add-on id as Thunderbird turns it into element ids (non-alphanumerics as `_`). */
const SEALPOST_WIDGET_ID = 'sealpost_sealpost_example';

/**
 * The toggle shortcut the loaded manifest suggests, as Thunderbird writes a `<key>`:
 * `Ctrl+Shift+Y` -> `{ key: 'Y', modifiers: 'accel,shift' }` (Ctrl is accel on Linux).
 */
async function declaredShortcut(session: ThunderbirdSession): Promise<WindowShortcut> {
  const manifest = (await loadedManifest(session.thunderbird.marionette, SEALPOST_ADDON_ID)) as {
    commands: Record<string, { suggested_key: { default: string } }>;
  };
  const parts = manifest.commands['toggle-secure-mode']!.suggested_key.default.split('+');
  const names: Record<string, string> = { Ctrl: 'accel', Shift: 'shift', Alt: 'alt' };
  return {
    key: parts.at(-1)!.toUpperCase(),
    modifiers: parts
      .slice(0, -1)
      .map((part) => names[part] ?? part.toLowerCase())
      .join(','),
  };
}

/** A scenario with defaults, attachments given as bytes. */
function scenario(fields: Partial<LoadedScenario>): LoadedScenario {
  return scenarioWithDefaults(SENDER, fields);
}

/** Parses the one received mail and writes its `secure-message.html` to `readerPath`. */
async function sealedMail(mails: ReceivedMail[], readerPath: string): Promise<ParsedMail> {
  expect(mails).toHaveLength(1);
  const parsed = await simpleParser(mails[0]!.raw);
  expect(parsed.headers.get('x-sealpost')).toBe('1');
  const reader = parsed.attachments.find((part) => part.filename === 'secure-message.html');
  expect(reader, 'secure-message.html attached').toBeDefined();
  await writeFile(readerPath, reader!.content);
  return parsed;
}

/** Label and tooltip of Sealpost's compose-toolbar button. */
async function toolbarButton(compose: OpenCompose) {
  const button = await compose.window.toolbarButton(SEALPOST_TOOLBAR_BUTTON);
  if (!button) throw new Error('the Sealpost toolbar button is missing');
  return button;
}

let browser: Browser;
let workDirectory: string;

beforeAll(async () => {
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-more-'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

describe('Sealpost in Thunderbird, event page kept running', () => {
  let session: ThunderbirdSession;

  beforeAll(async () => {
    session = await ThunderbirdSession.start({
      from: SENDER,
      sealpostXpi: ensureSealpostBuilt(),
      workDirectory: join(workDirectory, 'main'),
    });
  });

  afterAll(async () => {
    await session?.stop();
  });

  describe('the sender reopens the Sent copy', () => {
    const subject = 'Kopie für mich — Ωmega ✓';
    const attachment = randomBytes(5000);
    let messageId: number;
    let original: ReceivedMail;

    beforeAll(async () => {
      const outcome = await runScenario(
        session,
        scenario({
          to: [BOB],
          subject,
          body: 'Only the sender and Bob may read SENTCOPY-7731.',
          attachmentFiles: [{ name: 'befund.bin', bytes: attachment }],
          secure: true,
          recipients: { [BOB]: { method: 'code', code: BOB_CODE, language: 'de' } },
        }),
      );
      if (outcome.outcome !== 'sent') throw new Error(`not sent: ${outcome.message}`);
      original = outcome.mails[0]!;
      expect(
        await findLeaks(outcome.mails[0]!.raw, [{ label: 'body', value: 'SENTCOPY-7731' }]),
      ).toEqual([]);
      messageId = await sentMessageId(session, subject);
    });

    it('the header button of the sealed Sent copy opens the original in a tab', async () => {
      const displayed = await DisplayedMessage.open(session, messageId);
      await displayed.waitForSealpostButton(true);
      const button = await displayed.sealpostButton();
      expect(button?.label).toBe('Open secure message');
      expect(button?.tooltip).toContain('secure message');

      await displayed.clickSealpostButton();
      const shown = await new SentCopyTab(session.thunderbird.marionette, messageId).read();
      expect(shown.subject).toBe(subject);
      expect(shown.bodyText).toContain('Only the sender and Bob may read SENTCOPY-7731.');
      expect(shown.attachmentNames).toEqual(['befund.bin']);
      await session.helper.call('closeTabs', { urlPart: 'sent-copy.html' });
    });

    it('without a server, Bob’s reply is a file; attached to an ordinary reply, it opens in Alice’s Thunderbird', async () => {
      const readerPath = join(workDirectory, 'offline-original.html');
      await sealedMail([original], readerPath);
      const page = await openReaderPage(browser, readerPath, { locale: 'de-DE' });
      try {
        expect(await submitAccessCode(page, BOB_CODE)).toBe('open');
        await page.locator('[data-action="reply"]').click();
        await page.locator('#reply-from').fill(BOB);
        await page.locator('#reply-text').fill('Gelesen. OFFLINEREPLY-5150');
        const signed = join(workDirectory, 'quittung.bin');
        await writeFile(signed, randomBytes(3000));
        await page.locator('#reply-files').setInputFiles(signed);
        await page.locator('[data-testid="reply"] button[type="submit"]').click();
        const link = page.locator('[data-testid="reply-file"]');
        await link.waitFor({ timeout: 60_000 });
        const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
        expect(download.suggestedFilename()).toBe('secure-reply.html');
        const replyPath = join(workDirectory, 'secure-reply.html');
        await download.saveAs(replyPath);
        const replyHtml = await readFile(replyPath);
        expect(replyHtml.toString('utf8')).not.toContain('OFFLINEREPLY-5150');
        // An ordinary reply from any mail client, with the file attached.
        const raw = await new MailComposer({
          from: BOB,
          to: SENDER,
          subject: `Re: ${subject}`,
          text: 'My secure reply is attached.',
          attachments: [{ filename: 'secure-reply.html', content: replyHtml }],
        })
          .compile()
          .build();
        const received = await session.receive(raw);
        const displayed = await DisplayedMessage.open(session, received);
        await displayed.waitForSealpostButton(true);
        await displayed.clickSealpostButton();
        const shown = await new SentCopyTab(session.thunderbird.marionette, received).read();
        expect(shown.subject).toBe(`Re: ${subject}`);
        expect(shown.bodyText).toContain('OFFLINEREPLY-5150');
        expect(shown.attachmentNames).toEqual(['quittung.bin']);
        await session.helper.call('closeTabs', { urlPart: 'sent-copy.html' });
      } finally {
        await page.context().close();
      }
    });

    it('the header button is disabled on a message that is not sealed', async () => {
      const plainSubject = 'Not sealed, just lunch';
      const outcome = await runScenario(
        session,
        scenario({ to: [BOB], subject: plainSubject, body: 'Pizza?', secure: false }),
      );
      expect(outcome.outcome).toBe('sent');
      const plainId = await sentMessageId(session, plainSubject);
      const displayed = await DisplayedMessage.open(session, plainId);
      await displayed.waitForSealpostButton(false);
      expect((await displayed.sealpostButton())?.disabled).toBe(true);
    });
  });

  describe('the keyboard shortcut', () => {
    let compose: OpenCompose;
    let shortcut: WindowShortcut;

    beforeAll(async () => {
      compose = await session.compose({
        from: SENDER,
        to: [BOB],
        subject: 'Shortcut',
        body: 'Sealed by keyboard: SHORTCUT-2290.',
      });
      const registered = await compose.window.addonShortcut(SEALPOST_WIDGET_ID);
      if (!registered) throw new Error('Thunderbird registered no shortcut for Sealpost');
      shortcut = registered;
    });

    it('is registered as declared and no Thunderbird compose shortcut takes it first', async () => {
      // As the manifest's `commands.toggle-secure-mode` suggests it.
      const declared = await declaredShortcut(session);
      expect(shortcut.key.toUpperCase()).toBe(declared.key);
      expect(shortcut.modifiers.split(/[\s,]+/).sort()).toEqual(
        declared.modifiers.split(',').sort(),
      );
      // A built-in key bound to the same combination (and enabled) wins the key press.
      expect(await compose.window.builtInKeysLike(shortcut)).toEqual([]);
    });

    it('toggles secure mode without the popup (subject or body focused); the send is then sealed', async () => {
      const off = await toolbarButton(compose);
      expect(off.label).toBe('Sealpost');
      expect(off.tooltip).toMatch(/secure mode off/);

      const labelBecomes = (label: string) =>
        waitFor(`the toolbar label "${label}" after the shortcut`, async () =>
          (await toolbarButton(compose)).label === label ? true : undefined,
        );
      await compose.window.sendKeys(webDriverKeys(shortcut), '#msgSubject');
      await labelBecomes('Secure');
      const on = await toolbarButton(compose);
      expect(on.tooltip).toBe('Sealpost: secure mode on — this message will be sealed');
      expect(on.icon).toContain('lock-on.svg');
      // Pressed again with the cursor in the message body: off; once more: on. It toggles.
      await compose.window.sendKeys(webDriverKeys(shortcut), '#messageEditor');
      await labelBecomes('Sealpost');
      expect((await toolbarButton(compose)).icon).toContain('lock-off.svg');
      await compose.window.sendKeys(webDriverKeys(shortcut), '#msgSubject');
      await labelBecomes('Secure');
      // The key presses went to the shortcut, not into the text.
      const state = await session.composeState(compose.tabId);
      expect(state.subject).toBe('Shortcut');
      expect(state.plainTextBody.trim()).toBe('Sealed by keyboard: SHORTCUT-2290.');

      // Send without ever opening the popup; Bob's code is remembered from the first case.
      const popup = new SealpostPopup(session.thunderbird.marionette, compose.window);
      const sent = await pressSend(session, compose, popup);
      expect(sent.outcome, sent.message).toBe('sent');
      const readerPath = join(workDirectory, 'shortcut.html');
      const parsed = await sealedMail(sent.mails, readerPath);
      expect(parsed.subject).toBe('Shortcut');
      expect(
        await findLeaks(sent.mails[0]!.raw, [{ label: 'body', value: 'SHORTCUT-2290' }]),
      ).toEqual([]);
      const shown = await openReaderAndUnlock(readerPath, BOB_CODE, {
        browser,
        downloadDir: join(workDirectory, 'download-shortcut'),
      });
      expect(shown.bodyText).toContain('Sealed by keyboard: SHORTCUT-2290.');
    });
  });

  describe('a mailing list', () => {
    const members = {
      'ines@partner.example': { name: 'Ines Partner', code: 'Harbor-Tulip-Granite-61' },
      'jonas@other.example': { name: 'Jonas Other', code: 'Maple-Comet-Ridge-804' },
    };

    it('is expanded to its members in the popup; each member opens the sealed mail', async () => {
      const created = await session.helper.call<{ members: string[] }>('createMailingList', {
        name: 'Partners',
        members: Object.entries(members).map(([address, member]) => ({
          address,
          name: member.name,
        })),
      });
      expect(created.members.sort()).toEqual(Object.keys(members).sort());

      const compose = await session.compose({
        from: SENDER,
        to: ['Partners <Partners>'],
        subject: 'To the partners',
        body: 'Board minutes for the list: LISTMARK-4410.',
      });
      const popup = new SealpostPopup(session.thunderbird.marionette, compose.window);
      await popup.open();
      await popup.setSecure(true);
      for (const [address, member] of Object.entries(members)) {
        await popup.waitForRecipient(address);
        expect(await popup.popup.text(`${recipientRow(address)} .list`)).toContain('Partners');
        expect(await popup.popup.text(recipientRow(address))).toContain(member.name);
        expect(await popup.recipientKind(address)).toBe('external');
      }
      // The list itself is no recipient row: exactly its two members.
      expect(await popup.popup.count('li.recipient')).toBe(2);
      for (const [address, member] of Object.entries(members)) {
        await popup.chooseMethod(address, 'code-new');
        await popup.typeCode(address, member.code);
        await popup.chooseLanguage(address, 'nl');
        await popup.waitUntilSaved(address);
      }

      const sent = await pressSend(session, compose, popup);
      expect(sent.outcome, sent.message).toBe('sent');
      expect([...sent.mails[0]!.rcptTo].sort()).toEqual(Object.keys(members).sort());
      const readerPath = join(workDirectory, 'list.html');
      const parsed = await sealedMail(sent.mails, readerPath);
      expect(parsed.text).toMatch(/toegangscode/);
      expect(
        await findLeaks(sent.mails[0]!.raw, [{ label: 'body', value: 'LISTMARK-4410' }]),
      ).toEqual([]);
      for (const [address, member] of Object.entries(members)) {
        const shown = await openReaderAndUnlock(readerPath, member.code, {
          browser,
          downloadDir: join(workDirectory, `download-${address}`),
        });
        expect(shown.bodyText).toContain('Board minutes for the list: LISTMARK-4410.');
        // The sealed original names the members, not the list's pseudo-address.
        for (const memberAddress of Object.keys(members)) expect(shown.to).toContain(memberAddress);
      }
    });
  });
});

describe('Sealpost in Thunderbird, event page suspended when idle', () => {
  let session: ThunderbirdSession;

  beforeAll(async () => {
    session = await ThunderbirdSession.start({
      from: SENDER,
      sealpostXpi: ensureSealpostBuilt(),
      workDirectory: join(workDirectory, 'idle'),
      eventPageIdleTimeoutMs: 1_500,
    });
  });

  afterAll(async () => {
    await session?.stop();
  });

  it('secure mode survives the suspension (storage.session): the send is sealed', async () => {
    const marionette = session.thunderbird.marionette;
    const code = 'Lichen-Beacon-Orchard-37';
    const compose = await session.compose({
      from: SENDER,
      to: [BOB],
      subject: 'After a nap',
      body: 'Sealed after the event page slept: IDLEMARK-6602.',
    });
    const popup = new SealpostPopup(marionette, compose.window);
    await popup.open();
    await popup.setSecure(true);
    await popup.waitForRecipient(BOB);
    await popup.chooseMethod(BOB, 'code-new');
    await popup.typeCode(BOB, code);
    await popup.waitUntilSaved(BOB);
    await popup.close();

    // The popup needed the background; once idle it is suspended (its memory is gone).
    await waitUntilSuspended(marionette, SEALPOST_ADDON_ID);
    // Reopening the popup wakes it: secure mode is read back from storage.session.
    await popup.open();
    await popup.waitForRecipient(BOB);
    expect(await popup.isSecure()).toBe(true);
    await popup.close();
    await waitUntilSuspended(marionette, SEALPOST_ADDON_ID);
    expect((await toolbarButton(compose)).label).toBe('Secure');
    expect(await backgroundState(marionette, SEALPOST_ADDON_ID)).toBe('stopped');

    // Send wakes the event page through compose.onBeforeSend.
    const sent = await pressSend(session, compose, popup);
    expect(sent.outcome, sent.message).toBe('sent');
    const readerPath = join(workDirectory, 'idle.html');
    await sealedMail(sent.mails, readerPath);
    expect(
      await findLeaks(sent.mails[0]!.raw, [{ label: 'body', value: 'IDLEMARK-6602' }]),
    ).toEqual([]);
    const shown = await openReaderAndUnlock(readerPath, code, {
      browser,
      downloadDir: join(workDirectory, 'download-idle'),
    });
    expect(shown.bodyText).toContain('Sealed after the event page slept: IDLEMARK-6602.');
  });

  it("sends the Bcc recipient's own mail even when the event page slept while the main one was slow", async () => {
    // Measured: without Sealpost keeping its event page awake while it holds the sealed copy,
    // the page is suspended during the slow send and the copy never leaves.
    const hidden = 'slow.hidden@elsewhere.example';
    const mailsBefore = session.sink.mails.length;
    // The To mail takes longer than the event page's idle time to be accepted.
    session.sink.acceptDelayMs = (rcptTo) => (rcptTo.includes(BOB) ? 6_000 : 0);
    try {
      const outcome = await runScenario(
        session,
        scenario({
          to: [BOB],
          bcc: [hidden],
          subject: 'Slow line',
          body: 'Sealed while the line was slow: SLOWMARK-2291.',
          secure: true,
          recipients: {
            [BOB]: { method: 'code', code: 'Lichen-Beacon-Orchard-37' },
            [hidden]: {
              method: 'code',
              code: 'Kx7-Marble-Falcon-Quarry-Vyq64-Zeta',
              language: 'nl',
            },
          },
        }),
      );
      expect(outcome.outcome, outcome.message).toBe('sent');
      const copy = await waitFor(
        'the Bcc copy at the sink',
        async () =>
          session.sink.mails.slice(mailsBefore).find((mail) => mail.rcptTo.includes(hidden)),
        60_000,
      );
      expect(copy.rcptTo).toEqual([hidden]);
      expect(await findLeaks(copy.raw, [{ label: 'body', value: 'SLOWMARK-2291' }])).toEqual([]);
    } finally {
      session.sink.acceptDelayMs = () => 0;
    }
  });
});
