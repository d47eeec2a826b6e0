/**
 * The sender's key under a passphrase, in a real, headless Thunderbird: set on the options page,
 * sending still works while the key is locked, and the sent-copy page asks for the passphrase
 * once per session (a wrong one is refused with a clear message). Everything Sealpost-related
 * is clicked and typed for real through Marionette.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSealpostBuilt } from './harness/build.ts';
import { DisplayedMessage, SentCopyTab, sentMessageId } from './harness/messageDisplay.ts';
import { runScenario } from './harness/runScenario.ts';
import { scenarioWithDefaults } from './harness/scenario.ts';
import { SealpostOptions } from './harness/sealpostOptions.ts';
import { ThunderbirdSession } from './harness/session.ts';

const SENDER = 'alice@example.test';
const BOB = 'bob@partner.example';
const PASSPHRASE = 'lantern quarry mosaic';

let session: ThunderbirdSession;
let workDirectory: string;

/** Sends a sealed message to Bob; returns its Sent copy's message id. */
async function sendSealed(subject: string, body: string): Promise<number> {
  const outcome = await runScenario(
    session,
    scenarioWithDefaults(SENDER, {
      to: [BOB],
      subject,
      body,
      secure: true,
      recipients: { [BOB]: { method: 'code', code: 'Otter-Harbour-Violet-93', language: 'en' } },
    }),
  );
  if (outcome.outcome !== 'sent') throw new Error(`not sent: ${outcome.message}`);
  return sentMessageId(session, subject);
}

/** Opens the Sent copy through Sealpost's header button, as the sender does. */
async function openSentCopy(messageId: number): Promise<SentCopyTab> {
  const displayed = await DisplayedMessage.open(session, messageId);
  await displayed.waitForSealpostButton(true);
  await displayed.clickSealpostButton();
  return new SentCopyTab(session.thunderbird.marionette, messageId);
}

beforeAll(async () => {
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-passphrase-'));
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

describe('the sender key under a passphrase', () => {
  let before: number;
  let whileLocked: number;

  it('is offered on the options page, which says what it protects and what not', async () => {
    before = await sendSealed('Before the passphrase', 'Sealed with a key in clear: PP-1101.');
    const options = await SealpostOptions.open(session.thunderbird.marionette);
    const shown = await options.setPassphrase(PASSPHRASE);
    expect(shown).toContain('protected by a passphrase');
    expect(shown).toContain('Locked');
    const page = await options.page.text('section[aria-labelledby="key-heading"]');
    expect(page).toContain('access codes');
    expect(page).toContain('device token');
  });

  it('leaves sending working while the key is locked', async () => {
    whileLocked = await sendSealed('While locked', 'Sealed while the key was locked: PP-2202.');
  });

  it('asks for the passphrase once per session: a wrong one is refused, the right one opens', async () => {
    const tab = await openSentCopy(whileLocked);
    expect(await tab.unlock('lantern quarry')).toBe('That passphrase is not right. Try again.');
    expect(await tab.unlock(PASSPHRASE)).toBeNull();
    const shown = await tab.read();
    expect(shown.subject).toBe('While locked');
    expect(shown.bodyText).toContain('PP-2202');
    await session.helper.call('closeTabs', { urlPart: 'sent-copy.html' });

    // Same session: the copy sealed before the passphrase opens without asking again.
    const again = await (await openSentCopy(before)).read();
    expect(again.bodyText).toContain('PP-1101');
    await session.helper.call('closeTabs', { urlPart: 'sent-copy.html' });
  });
});
