/**
 * The reader's secure reply: sealed in the browser to the sender's key alone, only when the
 * payload vouches for the key in the envelope; threaded to the message it answers; as a file
 * (no server) that Sealpost in the sender's Thunderbird opens with the sender's key.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { base64FromBytes } from '../../../src/core/base64.ts';
import { extractEnvelopeJson, parseEnvelope } from '../../../src/core/envelopeCodec.ts';
import { parseOriginalMime, type ParsedOriginal } from '../../../src/core/mime/parseMime.ts';
import { openSealedMessage } from '../../../src/core/openSealedCopy.ts';
import {
  generateSenderKey,
  openWithPrivateKey,
  publicKeyParts,
  type SenderKey,
} from '../../../src/crypto/index.ts';
import { replyFile, sealReply } from '../../../src/reader/reply.ts';
import { bytesOf } from '../../helpers/blobBytes.ts';

let alice: SenderKey;
let mallory: SenderKey;
let envelope: { replyKey: string; sender: { name: string; address: string } };
let fingerprint: string;

const original = (overrides: Partial<ParsedOriginal> = {}): ParsedOriginal => ({
  subject: 'Contract ✓',
  from: 'Alice <alice@example.test>',
  to: ['bob@partner.example'],
  cc: [],
  date: '2026-12-01T09:00:00.000Z',
  text: 'Please sign.',
  html: null,
  attachments: [],
  messageId: '<orig-1@sealpost>',
  replyKeyFingerprint: fingerprint,
  ...overrides,
});

beforeAll(async () => {
  alice = await generateSenderKey({ name: 'Alice', address: 'alice@example.test' });
  mallory = await generateSenderKey({ name: 'Mallory', address: 'alice@example.test' });
  const parts = await publicKeyParts(alice.armoredPublicKey);
  fingerprint = parts.fingerprint;
  envelope = {
    replyKey: base64FromBytes(parts.bytes),
    sender: { name: 'Alice', address: 'alice@example.test' },
  };
});

describe('sealReply', () => {
  it('seals the reply to the sender’s key alone, threaded, with its attachments', async () => {
    const attachment = new File([new Uint8Array([0, 1, 2, 255])], 'signed.pdf', {
      type: 'application/pdf',
    });
    const sealed = await sealReply(envelope, original(), {
      from: 'bob@partner.example',
      text: 'Signed — Bob',
      files: [attachment],
    });
    expect(sealed.ok).toBe(true);
    if (!sealed.ok) return;
    expect(sealed.fingerprint).toBe(fingerprint);
    const opened = await openWithPrivateKey({
      payload: sealed.payload,
      armoredPrivateKey: alice.armoredPrivateKey,
    });
    if (!opened.ok) throw new Error(opened.reason);
    const reply = await parseOriginalMime(opened.plaintext);
    expect(reply.subject).toBe('Re: Contract ✓');
    expect(reply.from).toBe('bob@partner.example');
    expect(reply.to).toEqual(['alice@example.test']);
    expect(reply.text?.trim()).toBe('Signed — Bob');
    expect(
      await Promise.all(
        reply.attachments.map(async (file) => [file.name, [...(await bytesOf(file.content))]]),
      ),
    ).toEqual([['signed.pdf', [0, 1, 2, 255]]]);
    expect(new TextDecoder().decode(opened.plaintext)).toMatch(/^In-Reply-To: <orig-1@sealpost>/m);
    // Nobody else's key opens it.
    expect(
      (
        await openWithPrivateKey({
          payload: sealed.payload,
          armoredPrivateKey: mallory.armoredPrivateKey,
        })
      ).ok,
    ).toBe(false);
  });

  it('refuses when the envelope’s key is not the one the payload names (a swapped envelope)', async () => {
    const swapped = {
      ...envelope,
      replyKey: base64FromBytes((await publicKeyParts(mallory.armoredPublicKey)).bytes),
    };
    expect(
      await sealReply(swapped, original(), { from: 'b@x.example', text: 'x', files: [] }),
    ).toEqual({ ok: false, reason: 'key-mismatch' });
    expect(
      await sealReply(envelope, original({ replyKeyFingerprint: null }), {
        from: 'b@x.example',
        text: 'x',
        files: [],
      }),
    ).toEqual({ ok: false, reason: 'no-reply-key' });
  });
});

describe('replyFile', () => {
  it('holds only the envelope, and opens in the sender’s Thunderbird with their key', async () => {
    const sealed = await sealReply(envelope, original(), {
      from: 'bob@partner.example',
      text: 'Offline answer',
      files: [],
    });
    if (!sealed.ok) throw new Error(sealed.reason);
    // The page's envelope element, as the browser serialises the reader's own (cloned) one.
    const element = (json: string) =>
      `<script type="application/json" id="sealpost-envelope">${json}</script>`;
    const file = replyFile(
      sealed,
      'bob@partner.example',
      'de',
      new Date('2026-12-02T10:00:00Z'),
      element,
    );
    expect(file.name).toBe('secure-reply.html');
    const html = await file.text();
    const parsed = parseEnvelope(extractEnvelopeJson(html) ?? '');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.envelope.sender.address).toBe('bob@partner.example');
    expect(parsed.envelope.locks).toEqual([{ method: 'account', language: 'de', fingerprint }]);
    expect(html).not.toContain('Offline answer');
    const opened = await openSealedMessage(
      html,
      [{ address: 'alice@example.test', fingerprint }],
      async () => ({ state: 'ready', armoredPrivateKey: alice.armoredPrivateKey }),
      () => Promise.reject(new Error('a reply carries its payload inside')),
    );
    expect(opened.ok).toBe(true);
  });
});
