/**
 * The `account` method in a real, headless Thunderbird: recipients' keys found by WKD (a
 * loopback directory; the test build's `wkdBaseUrl`), chosen automatically in the panel, and
 * sealed to — a v4 key made by GnuPG, v6 keys, one of them on Bcc, next to a code recipient.
 * Every payload is decrypted independently: `gpg --decrypt` for the GnuPG key, openpgp.js for
 * the rest; the Bcc recipient's key id is searched for in every packet of every mail.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordForCode } from '../../src/core/accessCode.ts';
import {
  bytesFromBase64,
  extractEnvelopeJson,
  parseEnvelope,
} from '../../src/core/envelopeCodec.ts';
import type { Envelope } from '../../src/core/envelope.ts';
import { openWithPassword, openWithPrivateKey } from '../../src/crypto/index.ts';
import { GnupgHome } from '../helpers/gnupg.ts';
import { ensureSealpostBuilt, xpiWithDefaults } from './harness/build.ts';
import { waitFor } from './harness/chromeWindows.ts';
import { pressSend } from './harness/runScenario.ts';
import { SealpostPopup } from './harness/sealpostPopup.ts';
import { ThunderbirdSession } from './harness/session.ts';
import type { ReceivedMail } from './harness/smtpSink.ts';
import { WkdServer } from './harness/wkdServer.ts';
import { inlineEnvelope } from '../helpers/inlineEnvelope.ts';

const ALICE = 'alice@example.test';
const BOB = 'bob@gnupg.example'; // v4 key made by GnuPG 2.2
const DAVE = 'dave@partner.example'; // v6
const CAROL = 'carol@hidden.example'; // v6, on Bcc
const ERIN = 'erin@partner.example'; // an access code
const ERIN_CODE = 'Kestrel-Harbour-Violet-2291';
const BODY = 'Board minutes: ACCOUNTBODY-3318, merger closes Friday.';

type Pair = { privateKey: string; publicKey: string };
let workDirectory: string;
let gnupg: GnupgHome;
let bobKey: string;
let dave: Pair;
let carol: Pair;
let wkd: WkdServer;
let session: ThunderbirdSession;

beforeAll(async () => {
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-account-'));
  gnupg = new GnupgHome();
  bobKey = gnupg.generateKey(BOB, 'Bob GnuPG');
  const v6 = (email: string) =>
    openpgp.generateKey({ type: 'curve25519', userIDs: [{ email }], config: { v6Keys: true } });
  [dave, carol] = await Promise.all([v6(DAVE), v6(CAROL)]);
  wkd = await WkdServer.start();
  for (const key of [bobKey, dave.publicKey, carol.publicKey]) await wkd.publish(key);
  const xpi = await xpiWithDefaults(
    ensureSealpostBuilt(),
    { wkdBaseUrl: wkd.url },
    join(workDirectory, 'sealpost-wkd.xpi'),
  );
  session = await ThunderbirdSession.start({
    from: `Alice <${ALICE}>`,
    sealpostXpi: xpi,
    workDirectory: join(workDirectory, 'alice'),
  });
}, 180_000);

afterAll(async () => {
  await session?.stop();
  await wkd?.close();
  gnupg?.remove();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

async function sealed(mail: ReceivedMail): Promise<{ envelope: Envelope; payload: Uint8Array }> {
  const parsed = await simpleParser(mail.raw);
  const reader = parsed.attachments.find((part) => part.filename === 'secure-message.html');
  if (!reader) throw new Error('no secure-message.html');
  const envelope = parseEnvelope(extractEnvelopeJson(reader.content.toString('utf8')) ?? '');
  if (!envelope.ok) throw new Error('no envelope');
  const inline = inlineEnvelope(envelope.envelope);
  return { envelope: inline, payload: bytesFromBase64(inline.payload)! };
}

const fingerprintOf = async (armoredKey: string) =>
  (await openpgp.readKey({ armoredKey })).getFingerprint().toUpperCase();

describe('recipients with keys on WKD', () => {
  let mails: ReceivedMail[];

  it('the panel finds each key and chooses the account method by itself', async () => {
    const compose = await session.compose({
      from: `Alice <${ALICE}>`,
      to: [BOB, ERIN],
      cc: [DAVE],
      bcc: [CAROL],
      subject: 'Board minutes',
      body: BODY,
    });
    const popup = new SealpostPopup(session.thunderbird.marionette, compose.window);
    await popup.open();
    await popup.setSecure(true);
    for (const address of [BOB, DAVE, CAROL]) {
      await popup.waitForRecipient(address);
      await waitFor(`the account method for ${address}`, async () =>
        (await popup.methodValue(address)) === 'account' ? true : undefined,
      );
    }
    expect(
      wkd.requests.some((path) => path.startsWith('/.well-known/openpgpkey/gnupg.example/hu/')),
    ).toBe(true);
    await popup.chooseMethod(ERIN, 'code-new');
    await popup.typeCode(ERIN, ERIN_CODE);
    await popup.waitUntilSaved(ERIN);
    const sent = await pressSend(session, compose, popup);
    expect(sent.message).toBe('');
    expect(sent.outcome).toBe('sent');
    mails = await waitFor('the To/Cc mail and the Bcc copy', async () =>
      session.sink.mails.length >= 2 ? session.sink.mails.slice(0, 2) : undefined,
    );
  });

  it('GnuPG 2.2 opens the To/Cc payload with the v4 key; the v6 keys and the code open it too', async () => {
    const { envelope, payload } = await sealed(mails[0]!);
    const accountLocks = envelope.locks.filter((lock) => lock.method === 'account');
    expect(accountLocks.map((lock) => lock.fingerprint).sort()).toEqual(
      [await fingerprintOf(bobKey), await fingerprintOf(dave.publicKey)].sort(),
    );
    const decrypted = gnupg.decrypt(payload);
    expect((await simpleParser(decrypted.plaintext)).text).toContain('ACCOUNTBODY-3318');
    const text = async (result: Awaited<ReturnType<typeof openWithPassword>>) =>
      result.ok ? ((await simpleParser(Buffer.from(result.plaintext))).text ?? '') : result.reason;
    expect(
      await text(await openWithPrivateKey({ payload, armoredPrivateKey: dave.privateKey })),
    ).toContain('ACCOUNTBODY-3318');
    expect(
      await text(await openWithPassword({ payload, password: passwordForCode(ERIN_CODE) })),
    ).toContain('ACCOUNTBODY-3318');
    expect((await openWithPrivateKey({ payload, armoredPrivateKey: carol.privateKey })).ok).toBe(
      false,
    );
  });

  it('the Bcc recipient opens their own mail; their key id is in no packet of any mail', async () => {
    const carolMail = mails.find((mail) => mail.rcptTo.includes(CAROL));
    expect(carolMail).toBeDefined();
    const { envelope, payload } = await sealed(carolMail!);
    expect(envelope.locks.map((lock) => [lock.method, lock.hint, lock.fingerprint])).toEqual([
      ['account', undefined, undefined],
      ['sender-key', undefined, undefined],
    ]);
    expect((await openWithPrivateKey({ payload, armoredPrivateKey: carol.privateKey })).ok).toBe(
      true,
    );
    const key = await openpgp.readKey({ armoredKey: carol.publicKey });
    const ids = [key, ...key.subkeys].flatMap((part) => [
      Buffer.from(part.getKeyID().toHex(), 'hex'),
      Buffer.from(part.getFingerprint(), 'hex'),
      Buffer.from(part.getFingerprint().toUpperCase()),
    ]);
    for (const mail of mails) {
      const raw = Buffer.from(mail.raw);
      const { payload: bytes } = await sealed(mail);
      for (const id of ids) {
        expect(Buffer.from(bytes).includes(id)).toBe(false);
        expect(raw.includes(id)).toBe(false);
      }
    }
  });
});
