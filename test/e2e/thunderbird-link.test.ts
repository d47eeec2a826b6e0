/**
 * Link delivery end to end: a real, headless Thunderbird with Sealpost signed in to a real server
 * sends a message with a 40 MB attachment. It goes by link: the payload is sealed straight into a
 * resumable upload while a progress window shows how far it is, the mail that leaves is small
 * (the notification and the envelope-only secure-message.html), and the hosted reader in Chromium
 * opens the attachment byte for byte. The server is taken away in the middle of the upload and
 * comes back: the upload resumes. The sender's Cancel in the progress window cancels the send and
 * keeps the draft. A small message the sender chooses to send by link carries no payload either.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLinkedEnvelope, type LinkedEnvelope } from '../../src/core/envelope.ts';
import { extractEnvelopeJson, parseEnvelope } from '../../src/core/envelopeCodec.ts';
import { launchChromium, readOpenedMessage } from '../helpers/chromium.ts';
import { ensureSealpostBuilt } from './harness/build.ts';
import { waitFor } from './harness/chromeWindows.ts';
import { confirmAddress, typeCode } from './harness/readerServerFlow.ts';
import { prepareScenario, type PreparedScenario } from './harness/runScenario.ts';
import type { LoadedScenario } from './harness/scenario.ts';
import type { SealpostServer } from './harness/sealpostServer.ts';
import { SendProgressWindow } from './harness/sendProgressWindow.ts';
import { connectSealpost, startServerForSession } from './harness/serverSession.ts';
import { ThunderbirdSession } from './harness/session.ts';
import type { ReceivedMail } from './harness/smtpSink.ts';

const ALICE = 'alice@example.org';
const CAROL = { address: 'carol@client.example', code: 'Harbour-Lantern-42' };
/** The bound: a mail sent by link stays under this whatever the attachments. */
const SMALL_MAIL_BYTES = 400 * 1024;

let alice: ThunderbirdSession | undefined;
let server: SealpostServer;
let browser: Browser;
let workDirectory: string;

beforeAll(async () => {
  const xpi = ensureSealpostBuilt();
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-link-'));
  [alice, browser] = await Promise.all([
    ThunderbirdSession.start({
      from: `Alice Example <${ALICE}>`,
      sealpostXpi: xpi,
      workDirectory: join(workDirectory, 'alice'),
    }),
    launchChromium(),
  ]);
  server = await startServerForSession(alice, ['example.org']);
  await connectSealpost(alice, server, ALICE);
}, 180_000);

afterAll(async () => {
  await Promise.all([alice?.stop(), browser?.close()]);
  await server?.close();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

function scenario(subject: string, attachment: Buffer | null): LoadedScenario {
  return {
    from: `Alice Example <${ALICE}>`,
    to: [CAROL.address],
    cc: [],
    bcc: [],
    subject,
    body: `Here it is. Reference LINKSECRET-${subject.length}. — Alice`,
    html: false,
    attachments: [],
    attachmentFiles: attachment ? [{ name: 'survey.bin', bytes: attachment }] : [],
    keys: [],
    wkd: [],
    secure: true,
    recipients: { [CAROL.address]: { method: 'org-code', code: CAROL.code } },
  };
}

/**
 * Waits for the next mail at the sink after `before` mails; fails at once when the send ended
 * without one (the compose window unlocked and still open: Sealpost cancelled it).
 */
async function nextMail(
  before: number,
  compose: PreparedScenario['compose'],
  timeoutMs = 600_000,
): Promise<ReceivedMail> {
  // Two seconds unlocked in a row: not the moment between the click and the lock.
  let idle = 0;
  const found = await waitFor(
    'the sealed mail at the sink',
    async () => {
      const mail = alice!.sink.mails[before];
      if (mail) return mail;
      const ended = (await compose.window.isOpen()) && !(await compose.window.isBusy());
      idle = ended ? idle + 1 : 0;
      return idle >= 4 ? ('ended without a mail' as const) : undefined;
    },
    timeoutMs,
    500,
  );
  if (typeof found === 'string') throw new Error(`the send ${found}`);
  return found;
}

/** The notification's hosted link and the linked envelope of a mail sent by link. */
async function linkedMail(
  mail: ReceivedMail,
): Promise<{ parsed: ParsedMail; link: string; envelope: LinkedEnvelope }> {
  const parsed = await simpleParser(mail.raw);
  const link = new RegExp(
    `${server.url.replace(/[.]/g, '\\.')}/r/[0-9a-f-]{36}\\?lang=en#[A-Za-z0-9+/=%]{44,}`,
  ).exec(parsed.text ?? '')?.[0];
  if (!link) throw new Error('no hosted link in the notification');
  const file = parsed.attachments.find((part) => part.filename === 'secure-message.html');
  if (!file) throw new Error('no secure-message.html attached');
  const parsedEnvelope = parseEnvelope(extractEnvelopeJson(file.content.toString('utf8')) ?? '');
  if (!parsedEnvelope.ok || !isLinkedEnvelope(parsedEnvelope.envelope)) {
    throw new Error('the attached envelope is not a linked one');
  }
  return { parsed, link, envelope: parsedEnvelope.envelope };
}

/**
 * Takes the server off the network for `ms` (connections refused, open ones cut), keeping its
 * state, as a restart of the process in front of the same database and store would.
 */
async function interruptServer(ms: number): Promise<void> {
  const http = server.app.server;
  const { port } = http.address() as { port: number };
  await new Promise<void>((resolve) => {
    http.close(() => resolve());
    http.closeAllConnections();
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', () => resolve()));
}

describe('a 40 MB attachment with a server', () => {
  const attachment = randomBytes(40_000_000);

  it('goes by link: progress shown, the server cut and back mid-way, a mail under 400 KB, the hosted reader opens it byte for byte', async () => {
    const prepared = await prepareScenario(alice!, scenario('Survey data', attachment));
    expect(prepared.notes).toEqual([]);
    await prepared.popup.popup.waitFor('#send-by-link-note');
    expect(await prepared.popup.popup.attribute('#send-by-link-note', 'data-reason')).toBe('size');
    expect(await prepared.popup.popup.count('#mail-size-warning')).toBe(0);
    const before = alice!.sink.mails.length;
    await prepared.popup.close();
    await prepared.compose.window.clickSend();

    const progress = await SendProgressWindow.find(alice!.thunderbird.marionette);
    const started = await waitFor(
      'some of the upload',
      async () => {
        const percent = await progress.percent();
        return percent >= 5 ? percent : undefined;
      },
      300_000,
      250,
    );
    expect(started).toBeLessThan(100);
    expect(await progress.text()).toMatch(
      /Uploading the sealed message: [\d.]+ MB of about 5\d\.\d MB/,
    );
    // Longer than one chunk takes to seal here, so a request meets the server away.
    await interruptServer(12_000);

    const mail = await nextMail(before, prepared.compose);
    expect(mail.raw.length).toBeLessThan(SMALL_MAIL_BYTES);
    await waitFor('the progress window to close', async () =>
      (await progress.isOpen()) ? undefined : true,
    );
    const { parsed, link, envelope } = await linkedMail(mail);
    expect(parsed.text ?? '').not.toContain('LINKSECRET');
    expect(parsed.text ?? '').toContain('Open the link below in a web browser.');
    expect(envelope.payloadLink.url.startsWith(`${server.url}/api/v1/messages/`)).toBe(true);
    expect(envelope.payloadLink.bytes).toBeGreaterThan(40_000_000);

    // What the server hands out is exactly what the envelope in the mail promises.
    const hosted = Buffer.from(await (await fetch(envelope.payloadLink.url)).arrayBuffer());
    expect(hosted.length).toBe(envelope.payloadLink.bytes);
    expect(createHash('sha256').update(hosted).digest('hex')).toBe(envelope.payloadLink.sha256);

    const context = await browser.newContext({ acceptDownloads: true, locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(link);
      expect(await confirmAddress(page, CAROL.address)).toBe('code');
      expect(await typeCode(page, CAROL.code)).toBe('open');
      const shown = await readOpenedMessage(page, join(workDirectory, 'download-40mb'));
      expect(shown.subject).toBe('Survey data');
      expect(shown.bodyText).toContain('LINKSECRET');
      expect(shown.attachments.map((file) => file.name)).toEqual(['survey.bin']);
      expect(Buffer.from(shown.attachments[0]!.bytes).equals(attachment)).toBe(true);
    } finally {
      await context.close();
    }
  }, 900_000);

  it('is cancelled from the progress window: nothing sent, the draft as it was', async () => {
    const prepared = await prepareScenario(alice!, scenario('Survey data again', attachment));
    const before = alice!.sink.mails.length;
    await prepared.popup.close();
    await prepared.compose.window.clickSend();
    const progress = await SendProgressWindow.find(alice!.thunderbird.marionette);
    await waitFor(
      'some of the upload',
      async () => ((await progress.percent()) >= 2 ? true : undefined),
      300_000,
      250,
    );
    await progress.cancel();
    await waitFor(
      'the compose window to unlock',
      async () => {
        await prepared.compose.window.focus();
        return (await prepared.compose.window.isBusy()) ? undefined : true;
      },
      120_000,
    );
    await prepared.popup.open();
    const problem = await waitFor('the problem in the panel', () => prepared.popup.sendProblem());
    expect(problem).toContain('You cancelled sending');
    // A stray mail would show up within moments of the cancel.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(alice!.sink.mails.length).toBe(before);
    const state = await alice!.composeState(prepared.compose.tabId);
    expect(state.subject).toBe('Survey data again');
    expect(state.plainTextBody).toContain('LINKSECRET');
    expect(state.attachments).toEqual([{ name: 'survey.bin', size: 40_000_000 }]);
  }, 600_000);
});

describe('a small message the sender sends by link', () => {
  it('carries no payload in the mail, only the link and the envelope', async () => {
    const prepared = await prepareScenario(alice!, scenario('Short note', null));
    await prepared.popup.popup.waitFor('#send-by-link input');
    expect(await prepared.popup.popup.isSelected('#send-by-link input')).toBe(false);
    await prepared.popup.popup.click('#send-by-link input');
    await waitFor('the choice to be kept', async () =>
      (await prepared.popup.popup.isSelected('#send-by-link input')) ? true : undefined,
    );
    const before = alice!.sink.mails.length;
    await prepared.popup.close();
    await prepared.compose.window.clickSend();
    const mail = await nextMail(before, prepared.compose, 120_000);
    const { envelope } = await linkedMail(mail);
    expect(mail.raw.length).toBeLessThan(64 * 1024);
    expect(envelope.payloadLink.bytes).toBeGreaterThan(0);
    const hosted = await fetch(envelope.payloadLink.url);
    expect(hosted.status).toBe(200);
  }, 300_000);
});
