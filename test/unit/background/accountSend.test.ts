/**
 * A send with account recipients, through the background as Thunderbird drives it: a v4 key
 * (no SEIPDv2), a v6 key, a Bcc recipient with a key, and a code recipient. Every recipient
 * opens their own mail; the Bcc recipient's key id is in no packet of any mail; a key that
 * changes between two sends blocks the second until the sender confirms it.
 */
import * as openpgp from 'openpgp';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getComposeState } from '../../../src/background/composeState.ts';
import { importKey } from '../../../src/background/recipientKeys.ts';
import {
  getRecipientSettings,
  saveRecipientSettings,
} from '../../../src/background/recipientStore.ts';
import { handleAfterSend, handleBeforeSend } from '../../../src/background/sealOnSend.ts';
import { setSecure } from '../../../src/background/secureMode.ts';
import { passwordForCode } from '../../../src/core/accessCode.ts';
import {
  bytesFromBase64,
  extractEnvelopeJson,
  parseEnvelope,
} from '../../../src/core/envelopeCodec.ts';
import { openWithPassword, openWithPrivateKey } from '../../../src/crypto/index.ts';
import { FakeThunderbirdHost, type FakeComposeTab } from '../../fakes/fakeThunderbirdHost.ts';
import { inlineEnvelope } from '../../helpers/inlineEnvelope.ts';

const TAB = 5;
const ERIN_CODE = 'K7QM-X2PA-9FHT-3WBN-QX4D';
type Pair = { privateKey: string; publicKey: string };
let bob: Pair; // v4, no SEIPDv2 (as GnuPG 2.2 and Thunderbird make them)
let dave: Pair; // v6
let carol: Pair; // v6, on Bcc
let daveNew: Pair;

beforeAll(async () => {
  const make = (email: string, v6: boolean) =>
    openpgp.generateKey({
      type: v6 ? 'curve25519' : 'ecc',
      ...(v6 ? {} : { curve: 'curve25519Legacy' as const }),
      userIDs: [{ email }],
      config: { v6Keys: v6, aeadProtect: v6 },
    });
  [bob, dave, carol, daveNew] = await Promise.all([
    make('bob@partner.example', false),
    make('dave@partner.example', true),
    make('carol@hidden.example', true),
    make('dave@partner.example', true),
  ]);
});

async function envelopeOf(mail: FakeComposeTab) {
  const html = await mail.attachments[0]!.file.text();
  const parsed = parseEnvelope(extractEnvelopeJson(html) ?? '');
  if (!parsed.ok) throw new Error('no envelope');
  const envelope = inlineEnvelope(parsed.envelope);
  return { envelope, payload: bytesFromBase64(envelope.payload)! };
}

async function opensWithKey(mail: FakeComposeTab, pair: Pair): Promise<boolean> {
  const { payload } = await envelopeOf(mail);
  return (await openWithPrivateKey({ payload, armoredPrivateKey: pair.privateKey })).ok;
}

/** Every key id (primary and subkeys) of a key, as the 8 bytes a PKESK v3 would carry. */
async function keyIds(armoredKey: string): Promise<Buffer[]> {
  const key = await openpgp.readKey({ armoredKey });
  return [key, ...key.subkeys].flatMap((part) => [
    Buffer.from(part.getKeyID().toHex(), 'hex'),
    Buffer.from(part.getFingerprint(), 'hex'),
  ]);
}

describe('sealing to account keys', () => {
  let host: FakeThunderbirdHost;

  beforeEach(async () => {
    host = new FakeThunderbirdHost();
    host.beforeSend = (tabId) => handleBeforeSend(host, tabId);
    host.openCompose(TAB, {
      to: ['Bob <bob@partner.example>', 'erin@partner.example'],
      cc: ['dave@partner.example'],
      bcc: ['carol@hidden.example'],
      subject: 'Figures',
      plainTextBody: 'The numbers are 42.',
    });
    for (const pair of [bob, dave, carol]) {
      expect((await importKey(host, pair.publicKey)).ok).toBe(true);
    }
    await saveRecipientSettings(host.local, 'erin@partner.example', {
      method: 'code',
      code: ERIN_CODE,
    });
    await setSecure(host, TAB, true);
  });

  async function send() {
    await host.sendComposeNow(TAB);
    await handleAfterSend(host, TAB, false);
  }

  it('chooses the account method by itself for every address with a key', async () => {
    const state = await getComposeState(host, TAB);
    const methods = Object.fromEntries(
      state.recipients.map((view) => [view.address, view.settings?.method]),
    );
    expect(methods).toEqual({
      'bob@partner.example': 'account',
      'erin@partner.example': 'code',
      'dave@partner.example': 'account',
      'carol@hidden.example': 'account',
    });
    const bobView = state.recipients.find((view) => view.address === 'bob@partner.example');
    expect(bobView?.menu[0]?.method).toBe('account');
    expect(bobView?.key?.source).toBe('manual');
  });

  it('opens for each recipient with their own key or code; the Bcc key id is in no packet', async () => {
    await send();
    expect(host.sentMails).toHaveLength(2);
    const [main, carolMail] = host.sentMails as [FakeComposeTab, FakeComposeTab];
    const { envelope, payload } = await envelopeOf(main);
    const fingerprints = envelope.locks.map((lock) => [lock.method, lock.fingerprint]);
    expect(fingerprints).toEqual([
      [
        'account',
        (await openpgp.readKey({ armoredKey: bob.publicKey })).getFingerprint().toUpperCase(),
      ],
      ['code', undefined],
      [
        'account',
        (await openpgp.readKey({ armoredKey: dave.publicKey })).getFingerprint().toUpperCase(),
      ],
      ['sender-key', undefined],
    ]);
    // Bob's v4 key makes the whole payload the compatible form; every lock still opens it.
    const data = Array.from((await openpgp.readMessage({ binaryMessage: payload })).packets).at(-1);
    expect((data as unknown as { version: number }).version).toBe(1);
    expect(await opensWithKey(main, bob)).toBe(true);
    expect(await opensWithKey(main, dave)).toBe(true);
    expect((await openWithPassword({ payload, password: passwordForCode(ERIN_CODE) })).ok).toBe(
      true,
    );
    expect(await opensWithKey(main, carol)).toBe(false);

    const carolEnvelope = (await envelopeOf(carolMail)).envelope;
    expect(carolEnvelope.locks.map((lock) => [lock.method, lock.hint, lock.fingerprint])).toEqual([
      ['account', undefined, undefined],
      ['sender-key', undefined, undefined],
    ]);
    expect(await opensWithKey(carolMail, carol)).toBe(true);
    // Neither the To/Cc mail nor Carol's own names her key, in any packet or field.
    for (const mail of [main, carolMail]) {
      const html = Buffer.from(await mail.attachments[0]!.file.text());
      const { payload: bytes } = await envelopeOf(mail);
      for (const id of await keyIds(carol.publicKey)) {
        expect(Buffer.from(bytes).includes(id)).toBe(false);
        expect(html.includes(Buffer.from(id.toString('hex').toUpperCase()))).toBe(false);
      }
    }
  });

  it('pins the key it sealed to; a different key for the address blocks the next send until confirmed', async () => {
    await send();
    const daveFingerprint = (await openpgp.readKey({ armoredKey: dave.publicKey }))
      .getFingerprint()
      .toUpperCase();
    expect((await getRecipientSettings(host.local, 'dave@partner.example'))?.keyFingerprint).toBe(
      daveFingerprint,
    );
    // Dave's key is replaced (a new import stands in for a lookup answering another key).
    expect((await importKey(host, daveNew.publicKey)).ok).toBe(true);
    host.openCompose(TAB + 1, {
      to: ['dave@partner.example'],
      subject: 'Again',
      plainTextBody: 'More numbers.',
    });
    await setSecure(host, TAB + 1, true);
    const view = (await getComposeState(host, TAB + 1)).recipients[0]!;
    expect(view.previousFingerprint).toBe(daveFingerprint);
    const sentBefore = host.sentMails.length;
    expect(await handleBeforeSend(host, TAB + 1)).toEqual({ cancel: true });
    expect(host.sentMails).toHaveLength(sentBefore);
    expect((await getComposeState(host, TAB + 1)).problem?.reason).toBe('key-changed');

    await saveRecipientSettings(host.local, 'dave@partner.example', {
      keyFingerprint: view.key!.fingerprint,
    });
    await host.sendComposeNow(TAB + 1);
    const mail = host.sentMails.at(-1)!;
    expect(await opensWithKey(mail, daveNew)).toBe(true);
    expect(await opensWithKey(mail, dave)).toBe(false);
  });
});
