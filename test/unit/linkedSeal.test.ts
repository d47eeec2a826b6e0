/**
 * A message sealed for link delivery: the payload stream, the envelope-only page the mail
 * attaches (version 2, the link and the hash, no payload), and Thunderbird opening it with the
 * sender's key once the payload comes from the link, refusing one that is not what the
 * envelope names.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSenderKey, type SenderKey } from '../../src/crypto/index.ts';
import { isLinkedEnvelope, type LinkedEnvelope } from '../../src/core/envelope.ts';
import { extractEnvelopeJson, parseEnvelope } from '../../src/core/envelopeCodec.ts';
import { parseOriginalMime } from '../../src/core/mime/parseMime.ts';
import { openSealedMessage } from '../../src/core/openSealedCopy.ts';
import { createPayloadDigest } from '../../src/core/payloadDigest.ts';
import { linkedEnvelope, sealToStream } from '../../src/core/sealPipeline.ts';
import { passwordForCode } from '../../src/core/accessCode.ts';
import { linkedEnvelopeHtml } from '../../src/i18n/linkedEnvelopePage.ts';
import { LIGHT_CRYPTO_CONFIG } from './crypto/testCrypto.ts';
import { SAMPLE_TEMPLATE } from './envelope/envelopeFixture.ts';
import { bytesOf } from '../helpers/blobBytes.ts';

const SERVER = 'https://sealpost.example.org';
const attachment = new Uint8Array(randomBytes(200_000));
let sender: SenderKey;
let payload: Uint8Array;
/** Another message sealed to the same key: it opens, but it is not the one the mail names. */
let forged: Uint8Array;
let html: string;

beforeAll(async () => {
  sender = await generateSenderKey({
    name: 'Alice',
    address: 'alice@example.test',
    date: new Date('2026-01-01T00:00:00Z'),
  });
  const sealed = await seal('The survey data. LINKED-SECRET');
  payload = new Uint8Array(await new Response(sealed.payload).arrayBuffer());
  forged = new Uint8Array(
    await new Response((await seal('Pay the invoice to another account.')).payload).arrayBuffer(),
  );
  const digest = createPayloadDigest();
  digest.update(payload);
  const envelope = linkedEnvelope(sealed.envelope, {
    url: `${SERVER}/api/v1/messages/5b0f7c1e/payload`,
    bytes: payload.length,
    sha256: digest.hex(),
  });
  html = linkedEnvelopeHtml(envelope, `${SERVER}/r/5b0f7c1e#${'A'.repeat(43)}=`);
});

function seal(text: string) {
  return sealToStream({
    original: {
      messageId: '<5b0f7c1e@sealpost>',
      date: new Date('2026-12-01T08:00:00Z'),
      from: { name: 'Alice', address: 'alice@example.test' },
      to: ['bob@partner.example'],
      cc: [],
      subject: 'Survey',
      body: { kind: 'plain', text },
      attachments: [
        { name: 'survey.bin', contentType: 'application/octet-stream', bytes: attachment },
      ],
    },
    locks: [
      { method: 'code', password: passwordForCode('K7QM-X2PA-9FHT-3WBN-5RDE'), language: 'de' },
    ],
    senderPublicKey: sender.armoredPublicKey,
    readerTemplate: SAMPLE_TEMPLATE,
    serverUrl: SERVER,
    languages: ['de', 'en'],
    createdAt: new Date('2026-12-01T08:00:01Z'),
    cryptoConfig: LIGHT_CRYPTO_CONFIG,
  });
}

function parsedEnvelope(): LinkedEnvelope {
  const parsed = parseEnvelope(extractEnvelopeJson(html) ?? '');
  if (!parsed.ok || !isLinkedEnvelope(parsed.envelope)) throw new Error('not a linked envelope');
  return parsed.envelope;
}

describe('the envelope-only page of a mail sent by link', () => {
  it('is small, holds a version-2 envelope naming the payload, and links the message per language', () => {
    expect(html.length).toBeLessThan(8 * 1024);
    expect(html).not.toContain('LINKED-SECRET');
    const envelope = parsedEnvelope();
    expect(envelope.version).toBe(2);
    expect(envelope.payloadLink.bytes).toBe(payload.length);
    expect(envelope).not.toHaveProperty('payload');
    expect(html).toContain(`href="${SERVER}/r/5b0f7c1e?lang=de#`);
    expect(html).toContain(`href="${SERVER}/r/5b0f7c1e?lang=en#`);
    expect(html).toContain('<p lang="de">Diese Datei enthält nur die Schlüsselangaben');
  });
});

describe('opening it in Thunderbird with the sender key', () => {
  const ownKeys = () => [{ address: 'alice@example.test', fingerprint: sender.fingerprint }];
  const privateKey = async () =>
    ({ state: 'ready', armoredPrivateKey: sender.armoredPrivateKey }) as const;

  it('fetches the payload from its link and opens the original', async () => {
    const asked: string[] = [];
    const opened = await openSealedMessage(html, ownKeys(), privateKey, async (envelope) => {
      asked.push(envelope.payloadLink.url);
      return payload;
    });
    expect(asked).toEqual([`${SERVER}/api/v1/messages/5b0f7c1e/payload`]);
    if (!opened.ok) throw new Error(`not opened: ${opened.reason}`);
    const message = await parseOriginalMime(opened.mime);
    expect(await bytesOf(message.attachments[0]?.content)).toEqual(attachment);
  });

  it('refuses a payload that is not the one the envelope names, even one the key opens', async () => {
    const forgedAlone = await openSealedMessage(
      html.replace(
        /"bytes":\d+,"sha256":"[0-9a-f]+"/,
        `"bytes":${forged.length},"sha256":"${'0'.repeat(64)}"`,
      ),
      ownKeys(),
      privateKey,
      async () => forged,
    );
    expect(forgedAlone).toEqual({ ok: false, reason: 'damaged' });
    const swapped = await openSealedMessage(html, ownKeys(), privateKey, async () => forged);
    expect(swapped).toEqual({ ok: false, reason: 'damaged' });
    const shorter = await openSealedMessage(html, ownKeys(), privateKey, async () =>
      payload.subarray(1),
    );
    expect(shorter).toEqual({ ok: false, reason: 'damaged' });
  });

  it('says when the server has it no more, or does not answer', async () => {
    expect(await openSealedMessage(html, ownKeys(), privateKey, async () => 'ended')).toEqual({
      ok: false,
      reason: 'ended',
    });
    expect(await openSealedMessage(html, ownKeys(), privateKey, async () => 'unavailable')).toEqual(
      { ok: false, reason: 'unavailable' },
    );
  });
});
