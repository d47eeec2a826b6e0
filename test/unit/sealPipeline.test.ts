import { beforeAll, describe, expect, it } from 'vitest';
import * as openpgp from 'openpgp';
import { randomBytes } from 'node:crypto';
import {
  generateSenderKey,
  openWithPassword,
  openWithPrivateKey,
  type SenderKey,
} from '../../src/crypto/index.ts';
import { passwordForCode } from '../../src/core/accessCode.ts';
import {
  bytesFromBase64,
  extractEnvelopeJson,
  parseEnvelope,
} from '../../src/core/envelopeCodec.ts';
import type { OriginalMessage } from '../../src/core/mime/buildMime.ts';
import { parseOriginalMime } from '../../src/core/mime/parseMime.ts';
import { sealMessage, type SealInput } from '../../src/core/sealPipeline.ts';
import { LIGHT_CRYPTO_CONFIG } from './crypto/testCrypto.ts';
import { SAMPLE_TEMPLATE } from './envelope/envelopeFixture.ts';
import { inlineEnvelope } from '../helpers/inlineEnvelope.ts';
import { bytesOf } from '../helpers/blobBytes.ts';

let sender: SenderKey;
beforeAll(async () => {
  // Created before the pinned createdAt below: keys are checked as of the sealing date.
  sender = await generateSenderKey({
    name: 'Alice Äpfel',
    address: 'alice@example.test',
    date: new Date('2026-01-01T00:00:00Z'),
  });
});

const attachmentBytes = new Uint8Array(randomBytes(300_000));
const original: OriginalMessage = {
  messageId: '<0c1d2e3f-4a5b@sealpost>',
  date: new Date('2026-11-27T08:00:00Z'),
  from: { name: 'Alice Äpfel', address: 'alice@example.test' },
  to: ['Bob Brühl <bob@partner.example>'],
  cc: ['carol@other.example'],
  subject: 'Vertrag — Entwurf №2 ✍️',
  body: { kind: 'plain', text: 'Hallo Bob, siehe Anhang.' },
  attachments: [
    { name: 'Vertrag Entwurf.pdf', contentType: 'application/pdf', bytes: attachmentBytes },
  ],
};

function input(overrides: Partial<SealInput> = {}): SealInput {
  return {
    original,
    locks: [
      {
        method: 'code',
        password: passwordForCode('K7QM-X2PA-9FHT-3WBN-5RDE'),
        hint: 'b•••@partner.example',
        language: 'de',
      },
      {
        method: 'code',
        password: passwordForCode('M4NP-Q8RS-T2VW-X6YZ-0ABC'),
        hint: 'c•••@other.example',
        language: 'en',
      },
      // A Bcc recipient sharing Bob's code: no hint, same password, deduplicated.
      { method: 'code', password: passwordForCode('K7QM-X2PA-9FHT-3WBN-5RDE'), language: 'nl' },
    ],
    senderPublicKey: sender.armoredPublicKey,
    readerTemplate: SAMPLE_TEMPLATE,
    serverUrl: null,
    languages: ['de', 'en', 'nl'],
    createdAt: new Date('2026-11-27T08:00:05Z'),
    cryptoConfig: LIGHT_CRYPTO_CONFIG,
    ...overrides,
  };
}

async function payloadOf(readerHtml: Blob): Promise<Uint8Array> {
  const parsed = parseEnvelope(extractEnvelopeJson(await readerHtml.text())!);
  if (!parsed.ok) throw new Error(parsed.reason);
  return bytesFromBase64(inlineEnvelope(parsed.envelope).payload)!;
}

describe('sealMessage', () => {
  it('produces a reader whose payload every code and the sender key open to the original MIME', async () => {
    const output = await sealMessage(input());
    const payload = await payloadOf(output.readerHtml);
    expect(payload.length).toBe(output.payloadSize);
    for (const typed of ['k7qm x2pa 9fht 3wbn 5rde', 'M4NP-Q8RS-T2VW-X6YZ-0ABC']) {
      const opened = await openWithPassword({ payload, password: passwordForCode(typed) });
      if (!opened.ok) throw new Error(opened.reason);
      expect(opened.plaintext.length).toBe(output.originalMimeSize);
      const mime = await parseOriginalMime(opened.plaintext);
      expect(mime.subject).toBe(original.subject);
      expect(mime.to).toEqual(original.to);
      expect(mime.cc).toEqual(original.cc);
      expect(mime.text?.trim()).toBe('Hallo Bob, siehe Anhang.');
      expect(
        Buffer.from(await bytesOf(mime.attachments[0]!.content)).equals(
          Buffer.from(attachmentBytes),
        ),
      ).toBe(true);
    }
    expect(await openWithPassword({ payload, password: passwordForCode('WRONG-CODE') })).toEqual({
      ok: false,
      reason: 'wrong-code',
    });
    expect(
      await openWithPrivateKey({ payload, armoredPrivateKey: sender.armoredPrivateKey }),
    ).toMatchObject({ ok: true });
  });

  it('describes one lock per SealLock plus the sender key, and nothing about Bcc', async () => {
    const output = await sealMessage(input());
    expect(output.envelope).toEqual({
      format: 'sealpost-envelope',
      version: 1,
      messageId: original.messageId,
      createdAt: '2026-11-27T08:00:05.000Z',
      serverUrl: null,
      sender: { name: 'Alice Äpfel', address: 'alice@example.test' },
      languages: ['de', 'en', 'nl'],
      locks: [
        { method: 'code', hint: 'b•••@partner.example', language: 'de' },
        { method: 'code', hint: 'c•••@other.example', language: 'en' },
        { method: 'code', language: 'nl' },
        { method: 'sender-key', language: 'de' },
      ],
      replyKey: expect.any(String),
    });
    // The key a reply is sealed to is the sender's, and the payload vouches for it.
    const replyKey = await openpgp.readKey({
      binaryKey: Buffer.from(output.envelope.replyKey!, 'base64'),
    });
    const senderFingerprint = (await openpgp.readKey({ armoredKey: sender.armoredPublicKey }))
      .getFingerprint()
      .toUpperCase();
    expect(replyKey.getFingerprint().toUpperCase()).toBe(senderFingerprint);
    expect(replyKey.isPrivate()).toBe(false);
    const opened = await openWithPrivateKey({
      payload: await payloadOf(output.readerHtml),
      armoredPrivateKey: sender.armoredPrivateKey,
    });
    if (!opened.ok) throw new Error(opened.reason);
    expect(new TextDecoder().decode(opened.plaintext)).toContain(
      `X-Sealpost-Reply-Key: ${senderFingerprint}`,
    );
    const html = await output.readerHtml.text();
    expect(output.readerHtml.type).toBe('text/html');
    // What the reader file carries is what the sealer described, reply key included.
    const carried = parseEnvelope(extractEnvelopeJson(html) ?? '');
    expect(carried.ok && carried.envelope.replyKey).toBe(output.envelope.replyKey);
    // Whole values only: a 4-character fragment turns up in random base64 now and then.
    for (const secret of [
      'K7QM-X2PA-9FHT-3WBN-5RDE',
      passwordForCode('K7QM-X2PA-9FHT-3WBN-5RDE'),
      passwordForCode('M4NP-Q8RS-T2VW-X6YZ-0ABC'),
    ]) {
      expect(html).not.toContain(secret);
    }
    expect(html).not.toContain('Vertrag');
  });

  it('refuses a raw (unnormalised) code, no locks, or no languages', async () => {
    await expect(
      sealMessage(input({ locks: [{ method: 'code', password: 'k7qm-x2pa', language: 'en' }] })),
    ).rejects.toThrow(/passwordForCode/);
    await expect(sealMessage(input({ locks: [] }))).rejects.toThrow(/no lock/);
    await expect(sealMessage(input({ languages: [] }))).rejects.toThrow(/no language/);
  });
});
