import { describe, expect, it } from 'vitest';
import { setPassphrase, unlockSenderKeys } from '../../../src/background/keyVault.ts';
import { saveRecipientSettings } from '../../../src/background/recipientStore.ts';
import { handleBeforeSend } from '../../../src/background/sealOnSend.ts';
import { setSecure } from '../../../src/background/secureMode.ts';
import { ensureSenderKey } from '../../../src/background/senderKey.ts';
import { openSecureMessage, updateOpenMessageButton } from '../../../src/background/sentCopy.ts';
import { passwordForCode } from '../../../src/core/accessCodeFormat.ts';
import {
  bytesFromBase64,
  extractEnvelopeJson,
  parseEnvelope,
} from '../../../src/core/envelopeCodec.ts';
import type { OriginalMessage } from '../../../src/core/mime/buildMime.ts';
import { parseOriginalMime } from '../../../src/core/mime/parseMime.ts';
import { ownKeyOrder } from '../../../src/core/openSealedCopy.ts';
import { sealMessage, type AnySealLock } from '../../../src/core/sealPipeline.ts';
import { generateSenderKey } from '../../../src/crypto/index.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';
import { LIGHT_CRYPTO_CONFIG } from '../crypto/testCrypto.ts';
import { bytesOf } from '../../helpers/blobBytes.ts';

const TAB = 3;
const SENT = 501;
const RECEIVED = 601;
const BOB = { name: 'Bob Brühl', address: 'bob@partner.example' };

async function sendSealed(host: FakeThunderbirdHost): Promise<void> {
  host.openCompose(
    TAB,
    { to: ['bob@partner.example'], subject: 'Contract', plainTextBody: 'Signed copy attached.' },
    [new File([new Uint8Array([1, 2, 3, 250])], 'contract.pdf', { type: 'application/pdf' })],
  );
  await saveRecipientSettings(host.local, 'bob@partner.example', {
    method: 'code',
    code: 'K7QM-X2PA-9FHT-3WBN-QX4D',
  });
  await setSecure(host, TAB, true);
  expect((await handleBeforeSend(host, TAB)).cancel).toBeUndefined();
  host.fileAsSent(TAB, SENT);
}

const original: OriginalMessage = {
  messageId: '<7a1c-account@sealpost>',
  date: new Date('2026-11-27T08:00:00Z'),
  from: { name: 'Alice Sender', address: 'alice@example.test' },
  to: ['Bob Brühl <bob@partner.example>'],
  cc: ['Carol <carol@example.test>'],
  subject: 'Quarterly figures',
  body: { kind: 'plain', text: 'Bob, the figures are attached.' },
  attachments: [
    { name: 'figures.csv', contentType: 'text/csv', bytes: new TextEncoder().encode('q,1\n') },
  ],
};

/**
 * Alice's add-on seals a message with `locks` (plus her own key, as every sealed message has)
 * and it arrives in Bob's Thunderbird as message RECEIVED.
 */
async function receiveSealed(bob: FakeThunderbirdHost, locks: AnySealLock[]): Promise<string> {
  const alice = await generateSenderKey({ name: 'Alice Sender', address: 'alice@example.test' });
  const sealed = await sealMessage({
    original,
    locks,
    senderPublicKey: alice.armoredPublicKey,
    readerTemplate: bob.template,
    serverUrl: null,
    languages: ['en'],
    cryptoConfig: LIGHT_CRYPTO_CONFIG,
  });
  const readerHtml = await sealed.readerHtml.text();
  bob.storedMessages.set(RECEIVED, [
    { name: 'secure-message.html', file: new File([readerHtml], 'secure-message.html') },
  ]);
  return readerHtml;
}

/** Bob's Thunderbird: a Sealpost key for his identity, registered on his organisation's server. */
async function bobsThunderbird(): Promise<{
  host: FakeThunderbirdHost;
  publicKey: string;
  fingerprint: string;
}> {
  const host = new FakeThunderbirdHost();
  // Another identity's key first, so the right key is not simply the only one.
  await ensureSenderKey(host.local, { name: 'Bob at home', address: 'bob@home.example' });
  const key = await ensureSenderKey(host.local, BOB);
  return { host, publicKey: key.armoredPublicKey, fingerprint: key.fingerprint };
}

const codeLock = (): AnySealLock => ({
  method: 'code',
  password: passwordForCode('K7QM-X2PA-9FHT-3WBN-QX4D'),
  hint: 'b•••@partner.example',
  language: 'en',
});

async function expectOpened(host: FakeThunderbirdHost, messageId: number): Promise<void> {
  const opened = await openSecureMessage(host, messageId);
  expect(opened.ok).toBe(true);
  if (!opened.ok) return;
  const message = await parseOriginalMime(bytesFromBase64(opened.mimeBase64)!);
  expect(message.subject).toBe('Quarterly figures');
  expect(message.text).toContain('the figures are attached');
  expect(message.attachments[0]?.name).toBe('figures.csv');
}

describe('the sender reopens a sealed message they sent', () => {
  it('opens the Sent copy with the key kept by the add-on', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host);
    const copy = await openSecureMessage(host, SENT);
    expect(copy.ok).toBe(true);
    if (!copy.ok) return;
    expect(copy.envelope.sender.address).toBe('alice@example.test');
    const original = await parseOriginalMime(bytesFromBase64(copy.mimeBase64)!);
    expect(original.subject).toBe('Contract');
    expect(original.text).toContain('Signed copy attached.');
    expect(await bytesOf(original.attachments[0]?.content)).toEqual(new Uint8Array([1, 2, 3, 250]));
  });

  it('offers the code flow when the key is gone, and says so when the message is not sealed', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host);
    await host.local.remove('senderKey:alice@example.test');
    const answer = await openSecureMessage(host, SENT);
    expect(answer).toEqual({ ok: false, reason: 'no-own-key', envelope: expect.any(Object) });
    host.storedMessages.set(9, [{ name: 'notes.txt', file: new File(['x'], 'notes.txt') }]);
    expect(await openSecureMessage(host, 9)).toEqual({ ok: false, reason: 'not-sealed' });
  });

  it('offers the code flow for a copy sealed for another sender key', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host);
    const other = new FakeThunderbirdHost();
    await sendSealed(other); // gives `other` a sender key of its own for the same address
    other.storedMessages.set(SENT + 1, host.storedMessages.get(SENT)!);
    expect(await openSecureMessage(other, SENT + 1)).toMatchObject({
      ok: false,
      reason: 'no-own-key',
    });
  });
});

describe('a recipient opens a secure message inside Thunderbird', () => {
  it('opens a message sealed to their identity key by an account lock, with no code', async () => {
    const bob = await bobsThunderbird();
    const html = await receiveSealed(bob.host, [
      {
        method: 'account',
        publicKey: bob.publicKey,
        fingerprint: bob.fingerprint,
        hidden: false,
        language: 'en',
      },
    ]);
    expect(extractEnvelopeJson(html)).toContain(bob.fingerprint);
    await expectOpened(bob.host, RECEIVED);
  });

  it('opens a Bcc copy, whose lock names no fingerprint and whose key id is anonymous', async () => {
    const bob = await bobsThunderbird();
    const html = await receiveSealed(bob.host, [
      {
        method: 'account',
        publicKey: bob.publicKey,
        fingerprint: bob.fingerprint,
        hidden: true,
        language: 'en',
      },
    ]);
    expect(html).not.toContain(bob.fingerprint);
    await expectOpened(bob.host, RECEIVED);
  });

  it('answers only the envelope when none of their keys holds a lock, so the page asks for the code', async () => {
    const bob = await bobsThunderbird();
    const html = await receiveSealed(bob.host, [codeLock()]);
    const envelope = parseEnvelope(extractEnvelopeJson(html)!);
    expect(envelope.ok).toBe(true);
    const answer = await openSecureMessage(bob.host, RECEIVED);
    // Exactly these three fields: no key, no key list, no plaintext.
    expect(answer).toStrictEqual({
      ok: false,
      reason: 'no-own-key',
      envelope: envelope.ok ? envelope.envelope : null,
    });
  });

  it('asks for the passphrase only when a protected key may open the message', async () => {
    const bob = await bobsThunderbird();
    expect((await setPassphrase(bob.host, 'correct horse battery')).ok).toBe(true);
    await receiveSealed(bob.host, [codeLock()]);
    // Meant for a code: a passphrase could not help, so the code flow comes at once.
    expect(await openSecureMessage(bob.host, RECEIVED)).toMatchObject({ reason: 'no-own-key' });
    await receiveSealed(bob.host, [
      codeLock(),
      {
        method: 'account',
        publicKey: bob.publicKey,
        fingerprint: bob.fingerprint,
        hidden: false,
        language: 'en',
      },
    ]);
    expect(await openSecureMessage(bob.host, RECEIVED)).toEqual({ ok: false, reason: 'locked' });
    expect((await unlockSenderKeys(bob.host, 'correct horse battery')).ok).toBe(true);
    await expectOpened(bob.host, RECEIVED);
  });

  it('tries the sender address first, then keys an account lock names, then the rest', () => {
    const keys = [
      { address: 'other@example.test', fingerprint: 'AA' },
      { address: 'bob@partner.example', fingerprint: 'BB' },
      { address: 'Alice@Example.test', fingerprint: 'CC' },
    ];
    const envelope = (fingerprint?: string) => ({
      format: 'sealpost-envelope' as const,
      version: 1 as const,
      messageId: 'm',
      createdAt: '2026-11-27T08:00:00.000Z',
      serverUrl: null,
      sender: { name: 'Alice', address: 'alice@example.test' },
      languages: ['en' as const],
      locks: [
        {
          method: 'account' as const,
          language: 'en' as const,
          ...(fingerprint ? { fingerprint } : {}),
        },
        { method: 'sender-key' as const, language: 'en' as const },
      ],
      payload: '',
    });
    expect(ownKeyOrder(envelope('bb'), keys)).toEqual([
      { key: keys[2], possible: true },
      { key: keys[1], possible: true },
      { key: keys[0], possible: false },
    ]);
    // A Bcc lock names no key: any key may be it.
    expect(ownKeyOrder(envelope(), keys).map(({ possible }) => possible)).toEqual([
      true,
      true,
      true,
    ]);
  });
});

describe('the "Open secure message" button', () => {
  it('is enabled only for one sealed message', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host);
    host.storedMessages.set(9, []);
    await updateOpenMessageButton(host, 1, [SENT]);
    await updateOpenMessageButton(host, 1, [9]);
    await updateOpenMessageButton(host, 1, [SENT, 9]);
    expect(host.sentCopyButtons).toEqual([
      [1, true],
      [1, false],
      [1, false],
    ]);
  });
});
