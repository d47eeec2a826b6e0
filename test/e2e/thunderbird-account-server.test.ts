/**
 * Two real Thunderbird profiles of one organisation and one Sealpost server: Bob signs in and
 * his Sealpost key is published; Alice's panel then chooses Bob's account by itself (the key
 * comes from the server) and seals to it. When the key on the server is swapped between two
 * sends, Alice's panel shows both fingerprints and the send is blocked until she confirms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wkdHash } from '../../src/core/wkd.ts';
import { ensureSealpostBuilt } from './harness/build.ts';
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
