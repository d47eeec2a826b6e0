/**
 * Two real Thunderbird profiles of one organisation and one Sealpost server: Bob signs in and
 * his Sealpost key is published; Alice's panel then chooses Bob's account by itself (the key
 * comes from the server) and seals to it. Bob opens it inside his Thunderbird with "Open secure
 * message" and no code, answers with "Reply securely", and Alice opens the reply the same way.
 * When the key on the server is swapped between two sends, Alice's panel shows both
 * fingerprints and the send is blocked until she confirms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wkdHash } from '../../src/core/wkd.ts';
import { ensureSealpostBuilt } from './harness/build.ts';
import { DisplayedMessage, SentCopyTab } from './harness/messageDisplay.ts';
import { waitFor } from './harness/chromeWindows.ts';
import { pressSend } from './harness/runScenario.ts';
import { SealpostOptions } from './harness/sealpostOptions.ts';
import { SealpostPopup } from './harness/sealpostPopup.ts';
import {
  signInSender,
  startSealpostServer,
  type SealpostServer,
} from './harness/sealpostServer.ts';
import { codeFromSink, connectSealpost } from './harness/serverSession.ts';
import { ThunderbirdSession } from './harness/session.ts';

const ALICE = 'alice@example.org';
const BOB = 'bob@example.org';

let workDirectory: string;
let alice: ThunderbirdSession;
let bob: ThunderbirdSession;
let server: SealpostServer;

beforeAll(async () => {
  const xpi = ensureSealpostBuilt();
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-account-server-'));
  // One after the other: two Thunderbirds starting at once on two cores time out.
  alice = await ThunderbirdSession.start({
    from: `Alice <${ALICE}>`,
    sealpostXpi: xpi,
    workDirectory: join(workDirectory, 'alice'),
  });
  bob = await ThunderbirdSession.start({
    from: `Bob <${BOB}>`,
    sealpostXpi: xpi,
    workDirectory: join(workDirectory, 'bob'),
  });
  // The server's mail (sign-in codes) goes to Alice's sink; Bob reads his code there.
  server = await startSealpostServer({
    domains: ['example.org'],
    smtp: { host: '127.0.0.1', port: alice.sink.port },
    // Bob signs in twice within a minute (his Thunderbird, then the test swapping his key).
    limits: { resendThrottleSeconds: 1 },
  });
}, 240_000);

afterAll(async () => {
  await alice?.stop();
  await bob?.stop();
  await server?.close();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

/** The key the server publishes for an address by WKD (advanced form), or null. */
async function publishedKey(address: string): Promise<openpgp.Key | null> {
  const [local, domain] = address.split('@') as [string, string];
  const response = await fetch(
    `${server.url}/.well-known/openpgpkey/${domain}/hu/${await wkdHash(local)}?l=${local}`,
  );
  if (!response.ok) return null;
  return openpgp.readKey({ binaryKey: new Uint8Array(await response.arrayBuffer()) });
}

const grouped = (fingerprint: string) => fingerprint.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');

async function composeToBob(subject: string) {
  const compose = await alice.compose({
    from: `Alice <${ALICE}>`,
    to: [BOB],
    subject,
    body: `For Bob only: ${subject}.`,
  });
  const popup = new SealpostPopup(alice.thunderbird.marionette, compose.window);
  await popup.open();
  await popup.setSecure(true);
  await popup.waitForRecipient(BOB);
  return { compose, popup };
}

describe('colleagues with Sealpost keys on the server', () => {
  let bobFingerprint: string;
  let firstMail: Buffer;

  it('Bob signs in, and his Sealpost key is published (lookups and WKD)', async () => {
    const options = await SealpostOptions.open(bob.thunderbird.marionette);
    await options.setServerUrl(server.url);
    const before = alice.sink.mails.length;
    const signedIn = await options.signIn(BOB, () => codeFromSink(alice.sink, BOB, before));
    expect(signedIn).toContain(BOB);
    const key = await waitFor('Bob’s key on the server', () =>
      publishedKey(BOB).then((k) => k ?? undefined),
    );
    expect(key.keyPacket.version).toBe(6);
    expect(key.getUserIDs().join()).toContain(BOB);
    expect(key.isPrivate()).toBe(false);
    bobFingerprint = key.getFingerprint().toUpperCase();
  });

  it('Alice’s panel chooses Bob’s account by itself, shows the key, and the mail is sealed to it', async () => {
    expect(await connectSealpost(alice, server, ALICE)).toContain(ALICE);
    const { compose, popup } = await composeToBob('Account one');
    await waitFor('the account method for Bob', async () =>
      (await popup.methodValue(BOB)) === 'account' ? true : undefined,
    );
    expect(await popup.keyFingerprint(BOB)).toBe(grouped(bobFingerprint));
    const sent = await pressSend(alice, compose, popup);
    expect(sent.message).toBe('');
    expect(sent.outcome).toBe('sent');
    const parsed = await simpleParser(sent.mails[0]!.raw);
    const reader = parsed.attachments.find((part) => part.filename === 'secure-message.html');
    const html = reader!.content.toString('utf8');
    expect(html).toContain(`"method":"account"`);
    expect(html).toContain(`"fingerprint":"${bobFingerprint}"`);
    firstMail = sent.mails[0]!.raw;
  });

  it('Bob opens it inside Thunderbird with no code, replies securely, and Alice opens the reply', async () => {
    const received = await bob.receive(firstMail);
    const displayed = await DisplayedMessage.open(bob, received);
    await displayed.waitForSealpostButton(true);
    expect((await displayed.sealpostButton())?.label).toBe('Open secure message');
    await displayed.clickSealpostButton();
    const page = new SentCopyTab(bob.thunderbird.marionette, received);
    const view = await page.read();
    expect(view.subject).toBe('Account one');
    expect(view.bodyText).toContain('For Bob only: Account one.');

    // Reply securely: Thunderbird's reply, quoted, secure mode on, Alice's account chosen.
    const reply = await bob.composeOpenedBy(() =>
      page.page.click('button[data-action="reply-securely"]'),
    );
    // The quoted text goes in once secure mode is on.
    const details = await waitFor('the quoted reply', async () => {
      const state = await bob.composeState(reply.tabId);
      return state.plainTextBody.includes('> ') ? state : undefined;
    });
    expect(details.subject).toBe('Re: Account one');
    expect(details.plainTextBody).toContain('> For Bob only: Account one.');
    const popup = new SealpostPopup(bob.thunderbird.marionette, reply.window);
    await popup.open();
    expect(await popup.isSecure()).toBe(true);
    await popup.waitForRecipient(ALICE);
    await waitFor('the account method for Alice', async () =>
      (await popup.methodValue(ALICE)) === 'account' ? true : undefined,
    );
    const sent = await pressSend(bob, reply, popup);
    expect(sent.message).toBe('');
    expect(sent.outcome).toBe('sent');
    const raw = sent.mails[0]!.raw;
    const parsed = await simpleParser(raw);
    expect(parsed.inReplyTo).toBeTruthy();
    expect(parsed.text ?? '').not.toContain('For Bob only');

    const inAlice = await alice.receive(raw);
    const shown = await DisplayedMessage.open(alice, inAlice);
    await shown.waitForSealpostButton(true);
    await shown.clickSealpostButton();
    const aliceView = await new SentCopyTab(alice.thunderbird.marionette, inAlice).read();
    expect(aliceView.subject).toBe('Re: Account one');
    expect(aliceView.bodyText).toContain('For Bob only: Account one.');
    await alice.helper.call('closeTabs', { urlPart: 'sent-copy.html' });
    await bob.helper.call('closeTabs', { urlPart: 'sent-copy.html' });
  });

  it('a key swapped on the server blocks the next send until Alice confirms the new one', async () => {
    // Someone with Bob's sign-in (or the server) replaces his key.
    const before = alice.sink.mails.length;
    const token = await signInSender(server, BOB, () => codeFromSink(alice.sink, BOB, before));
    const swapped = await openpgp.generateKey({
      type: 'curve25519',
      userIDs: [{ email: BOB }],
      config: { v6Keys: true },
    });
    const answer = await fetch(`${server.url}/api/v1/me/key`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ publicKey: swapped.publicKey }),
    });
    expect(answer.status).toBe(200);
    const newFingerprint = (await openpgp.readKey({ armoredKey: swapped.publicKey }))
      .getFingerprint()
      .toUpperCase();

    const { compose, popup } = await composeToBob('Account two');
    // Keys from the server are asked about again after half a minute.
    await waitFor(
      'the panel to see the new key',
      async () => ((await popup.keyChanged(BOB)) ? true : undefined),
      90_000,
      500,
    );
    const shown = await popup.popup.text(`li[data-address="${BOB}"] [data-part="key-changed"]`);
    expect(shown).toContain(grouped(bobFingerprint));
    expect(shown).toContain(grouped(newFingerprint));
    const blocked = await pressSend(alice, compose, popup);
    expect(blocked.outcome).toBe('cancelled');
    expect(blocked.message).toContain(BOB);
    expect(blocked.mails).toEqual([]);

    await popup.confirmNewKey(BOB);
    await waitFor('the confirmation stored', async () =>
      (await popup.keyChanged(BOB)) ? undefined : true,
    );
    expect(await popup.keyFingerprint(BOB)).toBe(grouped(newFingerprint));
    const sent = await pressSend(alice, compose, popup);
    expect(sent.outcome).toBe('sent');
    const html = (await simpleParser(sent.mails[0]!.raw)).attachments
      .find((part) => part.filename === 'secure-message.html')!
      .content.toString('utf8');
    expect(html).toContain(`"fingerprint":"${newFingerprint}"`);
  });
});
