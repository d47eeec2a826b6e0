/**
 * What the sender sees in the compose window while Sealpost sends, in a real Thunderbird: a
 * sheet over the editor names the step under way (sealing, then sending), and the recipients'
 * notification, which replaces the body for the mail that leaves, is never visible there. The
 * editor is read from the chrome context every 100 ms from the click on Send until the window
 * closes; the SMTP sink answers slowly, so the sealed body sits in the editor for seconds.
 * With SEALPOST_E2E_SCREENSHOTS=<folder>, the window as it looked while sending is saved there.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSealpostBuilt } from './harness/build.ts';
import { acceptCommonDialogs, waitFor } from './harness/chromeWindows.ts';
import { prepareScenario } from './harness/runScenario.ts';
import { scenarioWithDefaults } from './harness/scenario.ts';
import { ThunderbirdSession, type OpenCompose } from './harness/session.ts';

const SENDER = 'alice@example.test';
const BOB = 'bob@partner.example';
const BOB_CODE = 'Otter-Harbour-Violet-93';
const BODY = 'The tender closes Friday: our bid is 4.2 million.';
/** What Sealpost's sheet says while Thunderbird sends (extension/_locales/en). */
const SENDING = 'Sealed. Thunderbird is sending it now';
const SEALING = 'Sealpost is sealing your message';

interface Sample {
  at: number;
  cover: string | null;
  body: string;
}

let workDirectory: string;
let session: ThunderbirdSession;

beforeAll(async () => {
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-cover-'));
  session = await ThunderbirdSession.start({
    from: SENDER,
    sealpostXpi: ensureSealpostBuilt(),
    workDirectory,
  });
});

afterAll(async () => {
  await session?.stop();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

/** Composes a secure mail to Bob (his access code chosen in the panel), ready for Send. */
async function composeForBob(subject: string): Promise<OpenCompose> {
  const scenario = scenarioWithDefaults(SENDER, {
    to: [BOB],
    subject,
    body: BODY,
    secure: true,
    // Large enough that sealing takes longer than a moment, small enough to travel inline.
    attachmentFiles: [{ name: 'tender.bin', bytes: randomBytes(6 * 1024 * 1024) }],
    recipients: { [BOB]: { method: 'code', code: BOB_CODE } },
  });
  const { compose, popup, notes } = await prepareScenario(session, scenario);
  expect(notes).toEqual([]);
  await popup.close();
  return compose;
}

/**
 * Clicks Send and reads the editor until `done` says so (or the window closes); with
 * `screenshots`, the window is kept as it looked while sealing and while sending.
 */
async function sendAndWatch(
  compose: OpenCompose,
  done: () => Promise<boolean>,
  { screenshots }: { screenshots: boolean },
) {
  // For a person to look at: SEALPOST_E2E_SCREENSHOTS=<folder> keeps what the sender saw. Only
  // then, and not while Thunderbird's error dialog may be up (a screenshot then waited forever).
  const folder = screenshots ? process.env.SEALPOST_E2E_SCREENSHOTS : undefined;
  const samples: Sample[] = [];
  const started = Date.now();
  await compose.window.clickSend();
  let screenshot: string | null = null;
  let sealingShot: string | null = null;
  await waitFor(
    'the send to end',
    async () => {
      if (!(await compose.window.isOpen())) return true;
      const view = await compose.window.editorView().catch(() => null);
      if (view) {
        samples.push({ at: Date.now() - started, ...view });
        if (folder && !screenshot && view.cover?.includes(SENDING)) {
          screenshot = await compose.window.screenshot().catch(() => null);
        }
        if (folder && !sealingShot && view.cover?.includes(SEALING)) {
          sealingShot = await compose.window.screenshot().catch(() => null);
        }
      }
      return (await done()) ? true : undefined;
    },
    180_000,
    100,
  );
  if (folder) {
    for (const [name, png] of [
      ['sealing', sealingShot],
      ['sending', screenshot],
    ] as const) {
      if (png)
        await writeFile(join(folder, `compose-${name}-${started}.png`), Buffer.from(png, 'base64'));
    }
  }
  return samples;
}

describe('the compose window while Sealpost sends', () => {
  it('names each step over the editor and never shows the notification where the text was', async () => {
    session.sink.acceptDelayMs = () => 3_000;
    const compose = await composeForBob('Tender');
    const samples = await sendAndWatch(compose, async () => false, { screenshots: true });
    session.sink.acceptDelayMs = () => 0;

    const [mail] = await session.sink.waitForMails(1);
    const raw = mail!.raw.toString('latin1');
    expect(raw).toContain('secure-message.html');

    // Every moment: either the sender's own text, or the sheet over whatever is underneath.
    const uncovered = samples.filter((sample) => sample.cover === null);
    for (const sample of uncovered) expect(sample.body, `at ${sample.at} ms`).toContain(BODY);
    // The sealed body did sit in the editor (the sink was slow), and the sheet covered it.
    const sealedBody = samples.filter((sample) => !sample.body.includes(BODY));
    expect(sealedBody.length).toBeGreaterThan(3);
    expect(sealedBody.every((sample) => sample.cover?.includes(SENDING))).toBe(true);
    expect(sealedBody.some((sample) => sample.body.includes(SENDER))).toBe(true);
    // Sealing the attachment took a while: the sheet said so before it said "sending".
    const steps = samples.map((sample) =>
      sample.cover?.includes(SEALING)
        ? 'sealing'
        : sample.cover?.includes(SENDING)
          ? 'sending'
          : '',
    );
    expect(steps).toContain('sealing');
    expect(steps.lastIndexOf('sealing')).toBeLessThan(steps.indexOf('sending'));

    // The sheet is a style of the window, not part of the mail.
    for (const trace of [SENDING, SEALING, '2147483647', 'Your text is kept']) {
      expect(raw).not.toContain(trace);
    }
  });

  it('takes the sheet away when a refused send puts the sender’s text back', async () => {
    session.sink.refusedRecipients.add(BOB);
    const mailsBefore = session.sink.mails.length;
    const compose = await composeForBob('Tender, again');
    let covered = false;
    const samples = await sendAndWatch(
      compose,
      async () => {
        // Thunderbird reports the refusal in a dialog of its own; the sender closes it.
        await acceptCommonDialogs(session.thunderbird.marionette);
        const view = await compose.window.editorView();
        covered ||= view.cover !== null;
        // Covered, then the text back: the send has ended (onAfterSend). Not asked whether the
        // window is busy: that switches windows with focus (see ComposeWindow.editorView).
        return covered && view.cover === null && view.body.includes(BODY);
      },
      { screenshots: false },
    );
    session.sink.refusedRecipients.delete(BOB);

    expect(samples.some((sample) => sample.cover?.includes(SENDING))).toBe(true);
    const after = await waitFor('the sheet gone', async () => {
      const view = await compose.window.editorView();
      return view.cover === null ? view : undefined;
    });
    expect(after.body).toContain(BODY);
    expect(session.sink.mails).toHaveLength(mailsBefore);
  });
});
