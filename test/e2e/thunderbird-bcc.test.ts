/**
 * Bcc recipients leave no trace, end to end: a real, headless Thunderbird signed in to a real
 * Sealpost server sends one message to To/Cc/Bcc recipients in five languages with code, SMS and
 * email verification. The SMTP sink must receive one mail for To/Cc and one per Bcc recipient
 * (each with its own SMTP envelope); the To/Cc mail is searched for every trace of the hidden
 * recipients; each Bcc mail opens in Chromium with its recipient's own factor only. The sink
 * refuses one Bcc recipient at first: Thunderbird's error dialog, Sealpost's panel naming who did
 * not get it, the sealed draft, and "Send again". Then the sender's side: read status of every
 * copy in the options page, revocation stopping every copy, and the known SMS number offered and
 * used for the next message.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractEnvelopeJson, parseEnvelope } from '../../src/core/envelopeCodec.ts';
import type { Envelope } from '../../src/core/envelope.ts';
import { maskAddress } from '../../src/core/address.ts';
import { languageName, readerText } from '../../src/i18n/index.ts';
import {
  errorText,
  launchChromium,
  openReaderPage,
  readOpenedMessage,
} from '../helpers/chromium.ts';
import { ensureSealpostBuilt } from './harness/build.ts';
import {
  acceptCommonDialogs,
  ComposeWindow,
  waitFor,
  windowHandlesMatching,
} from './harness/chromeWindows.ts';
import { haystacks } from './harness/leakSearch.ts';
import { confirmAddress, typeCode } from './harness/readerServerFlow.ts';
import { pressSend, runScenario } from './harness/runScenario.ts';
import type { LoadedScenario } from './harness/scenario.ts';
import type { SealpostServer } from './harness/sealpostServer.ts';
import { SealpostOptions } from './harness/sealpostOptions.ts';
import { SealpostPopup } from './harness/sealpostPopup.ts';
import { codeFromSink, connectSealpost, startServerForSession } from './harness/serverSession.ts';
import { ThunderbirdSession } from './harness/session.ts';
import type { ReceivedMail } from './harness/smtpSink.ts';
import { inlineEnvelope } from '../helpers/inlineEnvelope.ts';

const ALICE = 'alice@example.org';
const DORA = { address: 'dora@partner.de', code: 'Tulpen-Hafen-2026' };
const EMMA = 'emma@partner.uk';
const FELIX = { address: 'felix@hidden.fr', phone: '+33 6 12 34 56 78', e164: '+33612345678' };
const GINA = { address: 'gina@hidden.it', code: 'Gondola-Vento-88' };
const HUGO = 'hugo@refuse.es';
const HIDDEN = [FELIX.address, GINA.address, HUGO];
const SUBJECT = 'Offer 2027 — confidential';
const BODY = 'The price is 48,300 EUR. Reference BCCSECRET-4471. — Alice';

let session: ThunderbirdSession | undefined;
let server: SealpostServer;
let browser: Browser;
let workDirectory: string;

beforeAll(async () => {
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-bcc-'));
  [session, browser] = await Promise.all([
    ThunderbirdSession.start({
      from: `Alice Example <${ALICE}>`,
      sealpostXpi: ensureSealpostBuilt(),
      workDirectory: join(workDirectory, 'alice'),
    }),
    launchChromium(),
  ]);
  server = await startServerForSession(session, ['example.org']);
  expect(await connectSealpost(session, server, ALICE)).toContain(ALICE);
}, 180_000);

afterAll(async () => {
  await Promise.all([session?.stop(), browser?.close()]);
  await server?.close();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

interface SealedMail {
  mail: ReceivedMail;
  parsed: ParsedMail;
  envelope: Envelope;
  readerPath: string;
}

async function readSealed(mail: ReceivedMail, name: string): Promise<SealedMail> {
  const parsed = await simpleParser(mail.raw);
  const reader = parsed.attachments.find((part) => part.filename === 'secure-message.html');
  if (!reader) throw new Error(`${name}: no secure-message.html`);
  const envelope = parseEnvelope(extractEnvelopeJson(reader.content.toString('utf8')) ?? '');
  if (!envelope.ok) throw new Error(`${name}: envelope ${envelope.reason}`);
  // Each reader file in a folder of its own, under the name the recipient saves it as.
  const readerPath = join(workDirectory, `${name}-secure-message.html`);
  await writeFile(readerPath, reader.content);
  return { mail, parsed, envelope: inlineEnvelope(envelope.envelope), readerPath };
}

/** Opens a reader in Chromium as `address`; returns the page, or null if the reader refused. */
async function openAs(
  readerPath: string,
  address: string,
  readCode: () => Promise<string>,
): Promise<Page | null> {
  const page = await openReaderPage(browser, readerPath, { locale: 'en-US' });
  if ((await confirmAddress(page, address)) !== 'code') {
    await page.context().close();
    return null;
  }
  expect(await typeCode(page, await readCode())).toBe('open');
  return page;
}

async function expectOriginal(page: Page, name: string): Promise<void> {
  try {
    const shown = await readOpenedMessage(page, join(workDirectory, `download-${name}`));
    expect(shown.subject).toBe(SUBJECT);
    expect(shown.bodyText).toContain('BCCSECRET-4471');
  } finally {
    await page.context().close();
  }
}

describe('one message to To, Cc and three Bcc recipients in five languages', () => {
  let main: SealedMail;
  const copies = new Map<string, SealedMail>();

  it('sends one mail to To/Cc and one per Bcc recipient; a refused copy is reported, kept sealed and sent again', async () => {
    session!.sink.refusedRecipients.add(HUGO);
    const scenario: LoadedScenario = {
      from: `Alice Example <${ALICE}>`,
      to: [DORA.address],
      cc: [EMMA],
      bcc: HIDDEN,
      subject: SUBJECT,
      body: BODY,
      html: false,
      attachments: [],
      attachmentFiles: [],
      keys: [],
      wkd: [],
      secure: true,
      recipients: {
        [DORA.address]: { method: 'code', code: DORA.code, language: 'de' },
        [EMMA]: { method: 'email', language: 'en' },
        [FELIX.address]: { method: 'sms', phone: FELIX.phone, language: 'fr' },
        [GINA.address]: { method: 'code', code: GINA.code, language: 'it' },
        [HUGO]: { method: 'email', language: 'es' },
      },
    };
    const outcome = await runScenario(session!, scenario);
    expect(outcome.notes).toEqual([]);
    if (outcome.outcome !== 'sent') throw new Error(`not sent: ${outcome.message}`);

    // Thunderbird reports the refused copy in its own modal dialog; the sender closes it.
    const dialogs = await waitFor(
      "Thunderbird's send error for the refused copy",
      async () => {
        const texts = await acceptCommonDialogs(session!.thunderbird.marionette);
        return texts.length > 0 ? texts : undefined;
      },
      60_000,
      500,
    );
    expect(dialogs.join('\n')).toContain(HUGO);
    const mails = session!.sink.mails.slice(-3);
    expect(mails.map((mail) => mail.rcptTo)).toEqual([
      [DORA.address, EMMA],
      [FELIX.address],
      [GINA.address],
    ]);

    // The copy's window stays open, its panel says who did not get it.
    const [handle] = await waitFor('the refused copy still open', async () => {
      const open = await windowHandlesMatching(session!.thunderbird.marionette, 'messengercompose');
      return open.length === 1 ? open : undefined;
    });
    const copyWindow = new ComposeWindow(session!.thunderbird.marionette, handle!);
    const popup = new SealpostPopup(session!.thunderbird.marionette, copyWindow);
    expect(await popup.waitForSealedCopyPanel()).toBe(true);
    // Its window no longer says it is sending: the sheet over the editor is gone.
    expect((await copyWindow.editorView()).cover).toBeNull();
    const problem = await popup.sendProblem();
    expect(problem).toContain(HUGO);
    expect(problem).toMatch(/was not sent/);
    expect(await popup.popup.text('#sealed-copy h2')).toContain(HUGO);

    // Kept as a draft, sealed: Hugo's own mail, nothing of the content.
    const drafts = await session!.helper.call<{ raw: string }[]>('folderMessages', {
      folder: 'drafts',
      subject: SUBJECT,
    });
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.raw).toMatch(new RegExp(`^Bcc: ${HUGO}`, 'm'));
    expect(drafts[0]!.raw).toContain('secure-message.html');
    expect(drafts[0]!.raw).not.toContain('BCCSECRET');

    // The mailbox works again: one click sends the sealed copy as it is.
    session!.sink.refusedRecipients.delete(HUGO);
    await popup.popup.click('button[data-action="send-sealed-copy"]');
    const [hugoMail] = await waitFor('the copy to Hugo at the sink', async () => {
      const found = session!.sink.mails.filter((mail) => mail.rcptTo.includes(HUGO));
      return found.length > 0 ? found : undefined;
    });
    expect(hugoMail!.rcptTo).toEqual([HUGO]);
    await waitFor('the copy window to close', async () =>
      (await windowHandlesMatching(session!.thunderbird.marionette, 'messengercompose')).length ===
      0
        ? true
        : undefined,
    );

    main = await readSealed(mails[0]!, 'main');
    copies.set(FELIX.address, await readSealed(mails[1]!, 'felix'));
    copies.set(GINA.address, await readSealed(mails[2]!, 'gina'));
    copies.set(HUGO, await readSealed(hugoMail!, 'hugo'));

    // The Sent folder holds every mail, and no draft is left.
    const sent = await session!.helper.call<{ raw: string }[]>('folderMessages', {
      folder: 'sent',
      subject: SUBJECT,
    });
    expect(sent).toHaveLength(4);
    for (const address of HIDDEN) {
      expect(sent.filter((copy) => copy.raw.includes(`Bcc: ${address}`))).toHaveLength(1);
    }
    expect(
      await session!.helper.call('folderMessages', { folder: 'drafts', subject: SUBJECT }),
    ).toEqual([]);
  }, 300_000);

  it('leaves no trace of any Bcc recipient in the To/Cc mail', async () => {
    const traces = [
      ...HIDDEN,
      ...HIDDEN.map((address) => address.split('@')[1]!),
      ...HIDDEN.map(maskAddress),
      FELIX.e164,
      '12 34 56 78',
      GINA.code,
    ];
    for (const place of haystacks(main.mail.raw, main.parsed)) {
      const text = place.bytes.toString('utf8');
      for (const trace of traces) expect(text, `${trace} in ${place.where}`).not.toContain(trace);
    }
    // Names alone are short enough to occur in the reader's own code ("origina…"): they are
    // searched where the mail describes people: its headers, its text and the envelope.
    const descriptive = [
      main.mail.raw.toString('utf8').split(/\r?\n\r?\n/)[0]!,
      main.parsed.text ?? '',
      JSON.stringify({ ...main.envelope, payload: '' }),
    ].join('\n');
    for (const address of HIDDEN) {
      expect(descriptive.toLowerCase()).not.toContain(address.split('@')[0]!);
    }
    expect(main.parsed.headers.has('bcc')).toBe(false);
    // Only the visible recipients' languages, locks and hints (plus the sender's key).
    expect(main.envelope.languages).toEqual(['de', 'en']);
    expect(main.envelope.locks).toHaveLength(3);
    expect(main.envelope.locks.filter((lock) => lock.method !== 'sender-key')).toEqual([
      expect.objectContaining({ hint: maskAddress(DORA.address), language: 'de' }),
      expect.objectContaining({ hint: maskAddress(EMMA), language: 'en' }),
    ]);
    const body = main.parsed.text ?? '';
    for (const language of ['fr', 'it', 'es'] as const) {
      expect(body).not.toContain(languageName(language));
    }
    expect(body).toContain(languageName('de'));
  });

  it('gives each Bcc recipient a mail with only their own lock, in their language', () => {
    const expected = { [FELIX.address]: 'fr', [GINA.address]: 'it', [HUGO]: 'es' };
    for (const [address, copy] of copies) {
      expect(copy.envelope.languages).toEqual([expected[address]]);
      expect(copy.envelope.locks.map((lock) => [lock.method === 'sender-key', lock.hint])).toEqual([
        [false, undefined],
        [true, undefined],
      ]);
      expect(copy.envelope.messageId).not.toBe(main.envelope.messageId);
      // Addressed as a Bcc mail is: nobody named in To, the recipient only in the SMTP envelope.
      expect(copy.mail.raw.toString('latin1')).toMatch(/^To: undisclosed-recipients: ;\r?$/m);
      const others = HIDDEN.filter((other) => other !== address);
      const everything = copy.mail.raw.toString('utf8');
      for (const other of others) {
        // As a word: the Spanish notification's "página" holds "gina" and names no one.
        const name = other.split('@')[0]!;
        expect(everything).not.toMatch(
          new RegExp(`(?<![\\p{L}\\p{N}])${name}(?![\\p{L}\\p{N}])`, 'iu'),
        );
        expect(everything).not.toContain(other);
      }
      for (const language of ['de', 'en'] as const) {
        expect(copy.parsed.text ?? '').not.toContain(languageName(language));
      }
    }
  });

  it('opens each Bcc mail with its own factor only', async () => {
    const felix = copies.get(FELIX.address)!;
    // Nobody else can start a verification on Felix's mail, nor Felix on the visible one.
    expect(await openAs(felix.readerPath, DORA.address, async () => DORA.code)).toBeNull();
    expect(await openAs(felix.readerPath, GINA.address, async () => GINA.code)).toBeNull();
    expect(await openAs(main.readerPath, FELIX.address, async () => '000000')).toBeNull();

    const before = (await server.outbox())[0]?.at ?? null;
    const felixPage = await openAs(felix.readerPath, FELIX.address, () =>
      server.codeFromOutbox(FELIX.e164, { after: before }),
    );
    await expectOriginal(felixPage!, 'felix');

    const ginaPage = await openAs(
      copies.get(GINA.address)!.readerPath,
      GINA.address,
      async () => GINA.code,
    );
    await expectOriginal(ginaPage!, 'gina');

    const mailsBefore = session!.sink.mails.length;
    const hugoPage = await openAs(copies.get(HUGO)!.readerPath, HUGO, () =>
      codeFromSink(session!.sink, HUGO, mailsBefore),
    );
    await expectOriginal(hugoPage!, 'hugo');

    // The sealed original shows To and Cc as a Bcc recipient sees them, and no Bcc.
    const page = await openAs(
      copies.get(GINA.address)!.readerPath,
      GINA.address,
      async () => GINA.code,
    );
    try {
      const shown = [
        await page!.locator('[data-testid="to"]').innerText(),
        await page!.locator('[data-testid="cc"]').innerText(),
        await page!.locator('article.message').innerText(),
      ]
        .join('\n')
        .toLowerCase();
      expect(shown).toContain(DORA.address);
      expect(shown).toContain(EMMA);
      for (const other of [FELIX.address, HUGO]) expect(shown).not.toContain(other);
    } finally {
      await page!.context().close();
    }
  }, 240_000);

  it("shows the sender each recipient's read status and revokes every copy at once", async () => {
    // Someone who knows Dora's address guesses her access code until her lock is locked out.
    const base = `${server.url}/api/v1/messages/${main.envelope.messageId}`;
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const started = (await (await post('/verify/start', { address: DORA.address })).json()) as {
      handle: string;
    };
    let answer: Response | null = null;
    for (let guess = 0; guess < 12 && answer?.status !== 423; guess++) {
      answer = await post('/verify/complete', {
        handle: started.handle,
        code: `WRONG-${guess}-X`,
      });
    }
    expect(answer?.status).toBe(423);

    await session!.helper.call('closeTabs', { urlPart: 'options.html' });
    const options = await SealpostOptions.open(session!.thunderbird.marionette);
    const status = await options.sentMessageStatus(main.envelope.messageId);
    expect(status).toEqual({
      [DORA.address]: false,
      [EMMA]: false,
      [FELIX.address]: true,
      [GINA.address]: true,
      [HUGO]: true,
    });
    // The sender unlocks her, and her own code opens the message again.
    await options.unlockRecipient(main.envelope.messageId, DORA.address);
    const dora = await openAs(main.readerPath, DORA.address, async () => DORA.code);
    await expectOriginal(dora!, 'dora');
    expect(await options.revokeSentMessage(main.envelope.messageId)).toMatch(/revoked/i);
    for (const [address, copy] of copies) {
      const page = await openReaderPage(browser, copy.readerPath, { locale: 'en-US' });
      try {
        expect(await confirmAddress(page, address), address).toBe('error');
        // The reader speaks the recipient's language.
        expect(await errorText(page)).toContain(
          readerText(copy.envelope.languages[0]!, 'reader.error.revoked'),
        );
      } finally {
        await page.context().close();
      }
    }
  }, 120_000);

  it('offers and uses the known number for the next message to the SMS recipient', async () => {
    const compose = await session!.compose({
      from: ALICE,
      to: [FELIX.address],
      subject: 'Follow-up',
      body: 'Second message, reference KNOWNNUMBER-12.',
    });
    const popup = new SealpostPopup(session!.thunderbird.marionette, compose.window);
    await popup.open();
    await popup.setSecure(true);
    await popup.waitForRecipient(FELIX.address);
    expect(await popup.methodValue(FELIX.address)).toBe('sms-known');
    const label = await popup.methodLabel(FELIX.address);
    expect(label).toContain('78');
    expect(label).not.toContain('12 34');
    expect(await popup.languageValue(FELIX.address)).toBe('fr');
    const sent = await pressSend(session!, compose, popup);
    expect(sent.outcome).toBe('sent');
    expect(sent.mails.map((mail) => mail.rcptTo)).toEqual([[FELIX.address]]);
    const followUp = await readSealed(sent.mails[0]!, 'follow-up');
    const before = (await server.outbox())[0]?.at ?? null;
    const page = await openAs(followUp.readerPath, FELIX.address, () =>
      server.codeFromOutbox(FELIX.e164, { after: before }),
    );
    try {
      expect(await page!.locator('[data-testid="subject"]').innerText()).toBe('Follow-up');
    } finally {
      await page!.context().close();
    }
  }, 180_000);
});
