/**
 * The reader's payload when it is not inside the file (docs/envelope.md §9): a version-2
 * envelope's link, checked by size and SHA-256, and the hosted page's payload. Real sealed
 * bytes, a fake `fetch` answering them in chunks; the real server is exercised by
 * test/e2e/reader-link.test.ts.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { passwordForCode } from '../../../src/core/accessCode.ts';
import type { LinkedEnvelope } from '../../../src/core/envelope.ts';
import { linkedEnvelopeJson } from '../../../src/core/envelopeCodec.ts';
import { sealMessage } from '../../../src/core/sealPipeline.ts';
import { generateSenderKey } from '../../../src/crypto/index.ts';
import { MAX_PAYLOAD_BYTES, ReaderPayload } from '../../../src/reader/readerPayload.svelte.ts';
import { ReaderState } from '../../../src/reader/readerState.svelte.ts';
import { loadEnvelope, payloadSource, type ReaderEnvelope } from '../../../src/reader/unlock.ts';
import { LIGHT_CRYPTO_CONFIG } from '../crypto/testCrypto.ts';
import { SAMPLE_TEMPLATE } from '../envelope/envelopeFixture.ts';

const SERVER = 'https://s.example';
const MESSAGE_ID = '0b6c1d52-8a4e-4f55-9b8e-3f1f0e7b6a21';
const PAYLOAD_URL = `${SERVER}/api/v1/messages/${MESSAGE_ID}/payload`;
const CODE = 'K7QM-X2PA-9FHT-3WBN-5RDE';

let payload: Uint8Array;
let linked: LinkedEnvelope;

beforeAll(async () => {
  const sender = await generateSenderKey({ name: 'Alice', address: 'alice@example.test' });
  const sealed = await sealMessage({
    original: {
      messageId: `<${MESSAGE_ID}@sealpost>`,
      date: new Date('2026-11-27T08:00:00Z'),
      from: { name: 'Alice', address: 'alice@example.test' },
      to: ['bob@partner.example'],
      cc: [],
      subject: 'Large files',
      body: { kind: 'plain', text: 'By link.' },
      attachments: [{ name: 'a.bin', contentType: 'application/octet-stream', bytes: noise() }],
    },
    locks: [{ method: 'code', password: passwordForCode(CODE), language: 'en' }],
    senderPublicKey: sender.armoredPublicKey,
    readerTemplate: SAMPLE_TEMPLATE,
    serverUrl: SERVER,
    languages: ['en'],
    cryptoConfig: LIGHT_CRYPTO_CONFIG,
  });
  payload = new Uint8Array(Buffer.from(await sealed.payloadBase64.text(), 'base64'));
  linked = {
    ...sealed.envelope,
    messageId: MESSAGE_ID,
    version: 2,
    payloadLink: {
      url: PAYLOAD_URL,
      bytes: payload.length,
      sha256: createHash('sha256').update(payload).digest('hex'),
    },
  };
});

/** 300 KB that do not compress, so the payload comes in several chunks. */
function noise(): Uint8Array {
  const bytes = new Uint8Array(300_000);
  let state = 7;
  for (let index = 0; index < bytes.length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

type Answer = { status: number; bytes?: Uint8Array; json?: unknown; length?: number } | Error;

/** A fetch answering `answers` in turn, binary bodies in 64 KiB chunks; records the URLs asked. */
function fakeFetch(...answers: Answer[]): string[] {
  const urls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    urls.push(url);
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${url}`);
    if (answer instanceof Error) throw answer;
    if (answer.json !== undefined) {
      return new Response(JSON.stringify(answer.json), { status: answer.status });
    }
    const bytes = answer.bytes ?? new Uint8Array();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 65_536) {
          controller.enqueue(bytes.slice(at, at + 65_536));
        }
        controller.close();
      },
    });
    return new Response(answer.status === 200 ? body : null, {
      status: answer.status,
      headers: { 'content-length': String(answer.length ?? bytes.length) },
    });
  });
  return urls;
}

beforeEach(() => {
  vi.stubGlobal('requestAnimationFrame', (paint: () => void) => setTimeout(paint, 0));
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function withoutLink(envelope: LinkedEnvelope): Omit<LinkedEnvelope, 'payloadLink'> {
  const copy: Partial<LinkedEnvelope> = { ...envelope };
  delete copy.payloadLink;
  return copy as Omit<LinkedEnvelope, 'payloadLink'>;
}

/** Lets the started download and what follows it settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the reader envelope', () => {
  it('takes a version-2 envelope from the page, with its link', () => {
    const loaded = loadEnvelope(linkedEnvelopeJson(linked));
    if (!loaded.ok) throw new Error(loaded.reason);
    expect(payloadSource(loaded.envelope)).toEqual({
      kind: 'download',
      url: PAYLOAD_URL,
      expected: { bytes: linked.payloadLink.bytes, sha256: linked.payloadLink.sha256 },
    });
  });

  it('knows where each kind of envelope has its payload', () => {
    const metadata = withoutLink(linked);
    const inline: ReaderEnvelope = { ...metadata, version: 1, payload: 'AAAA' };
    expect(payloadSource(inline)).toEqual({ kind: 'inline', base64: 'AAAA' });
    const hosted: ReaderEnvelope = { ...metadata, version: 1, hostedPayloadUrl: PAYLOAD_URL };
    expect(payloadSource(hosted)).toEqual({ kind: 'download', url: PAYLOAD_URL });
  });
});

describe('ReaderPayload', () => {
  it('downloads a linked payload with its progress, once, and checks it', async () => {
    const urls = fakeFetch({ status: 200, bytes: payload });
    const reader = new ReaderPayload(linked);
    expect(reader.downloads).toBe(true);
    expect(reader.total).toBe(payload.length);
    const seen: number[] = [];
    const watching = setInterval(() => seen.push(reader.received), 0);
    const [first, second] = await Promise.all([reader.load(), reader.load()]);
    clearInterval(watching);
    expect(first).toBe(second);
    if (!first.ok) throw new Error(first.reason);
    expect(Buffer.from(first.payload).equals(Buffer.from(payload))).toBe(true);
    expect(urls).toEqual([PAYLOAD_URL]);
    expect(reader.ready).toBe(true);
    expect(reader.received).toBe(payload.length);
  });

  it('calls a payload that is not the one the envelope describes damaged', async () => {
    const altered = payload.slice();
    altered[altered.length - 1]! ^= 1;
    fakeFetch({ status: 200, bytes: altered });
    expect(await new ReaderPayload(linked).load()).toEqual({ ok: false, reason: 'damaged' });
    // One byte more than announced is refused too.
    fakeFetch({ status: 200, bytes: new Uint8Array([...payload, 0]), length: payload.length });
    expect(await new ReaderPayload(linked).load()).toEqual({ ok: false, reason: 'damaged' });
  });

  it('names a missing payload, an ended message and a failed request', async () => {
    fakeFetch({ status: 404 }, { status: 410 }, new TypeError('Failed to fetch'));
    expect(await new ReaderPayload(linked).load()).toEqual({ ok: false, reason: 'not-hosted' });
    expect(await new ReaderPayload(linked).load()).toEqual({ ok: false, reason: 'ended' });
    expect(await new ReaderPayload(linked).load()).toEqual({ ok: false, reason: 'unavailable' });
  });

  it('tries again after a failed request, not after anything else', async () => {
    const urls = fakeFetch(new TypeError('Failed to fetch'), { status: 200, bytes: payload });
    const reader = new ReaderPayload(linked);
    expect(await reader.load()).toEqual({ ok: false, reason: 'unavailable' });
    expect((await reader.load()).ok).toBe(true);
    expect(urls).toHaveLength(2);
    fakeFetch({ status: 404 });
    const missing = new ReaderPayload(linked);
    await missing.load();
    expect(await missing.load()).toEqual({ ok: false, reason: 'not-hosted' });
  });

  it('refuses a link to more than the reader may open, without downloading it', async () => {
    const urls = fakeFetch();
    const huge = {
      ...linked,
      payloadLink: { ...linked.payloadLink, bytes: MAX_PAYLOAD_BYTES + 1 },
    };
    expect(await new ReaderPayload(huge).load()).toEqual({ ok: false, reason: 'too-large' });
    expect(urls).toEqual([]);
  });

  it('takes the hosted payload at the length the server announces, within the cap', async () => {
    const metadata = withoutLink(linked);
    const hosted: ReaderEnvelope = { ...metadata, version: 1, hostedPayloadUrl: PAYLOAD_URL };
    fakeFetch({ status: 200, bytes: payload });
    const reader = new ReaderPayload(hosted);
    expect(reader.total).toBe(0);
    expect((await reader.load()).ok).toBe(true);
    expect(reader.total).toBe(payload.length);
    fakeFetch({ status: 200, bytes: payload, length: MAX_PAYLOAD_BYTES + 1 });
    // Over the cap is "too large", not "the server cannot be reached".
    expect(await new ReaderPayload(hosted).load()).toEqual({ ok: false, reason: 'too-large' });
  });
});

describe('ReaderState with a linked envelope', () => {
  const locked = (envelope: ReaderEnvelope = linked) =>
    new ReaderState({ kind: 'locked', envelope, fatal: null }, 'en');

  it('starts the download when the page opens, and opens with the code once it is there', async () => {
    const urls = fakeFetch({ status: 200, bytes: payload });
    const reader = locked();
    expect(urls).toEqual([PAYLOAD_URL]);
    await reader.unlock('wrong');
    expect(reader.retry).toBe('wrong-code');
    await reader.unlock(CODE.toLowerCase());
    expect(reader.screen.kind).toBe('open');
    // Opened: the downloaded ciphertext is let go.
    expect(reader.payload).toBeNull();
    if (reader.screen.kind !== 'open') return;
    expect(reader.screen.message.subject).toBe('Large files');
    expect(reader.screen.message.attachments[0]?.content.size).toBe(300_000);
    expect(urls).toHaveLength(1);
  });

  it('says a payload that does not match the envelope is damaged, before any code is typed', async () => {
    fakeFetch({ status: 200, bytes: payload.subarray(1) });
    const reader = locked();
    await settle();
    expect(reader.screen).toMatchObject({ kind: 'locked', fatal: 'damaged' });
  });

  it('asks the server why a payload is gone (410) and says it', async () => {
    const urls = fakeFetch(
      { status: 410 },
      { status: 410, json: { error: { code: 'revoked', message: 'revoked' } } },
    );
    const reader = locked();
    await settle();
    expect(reader.screen).toMatchObject({ kind: 'locked', fatal: 'revoked' });
    expect(urls[1]).toBe(`${SERVER}/api/v1/messages/${MESSAGE_ID}/public`);
  });

  it('says so when the server has no payload for it (yet)', async () => {
    fakeFetch({ status: 404 });
    const reader = locked();
    await settle();
    expect(reader.screen).toMatchObject({ kind: 'locked', fatal: 'not-hosted' });
    expect(reader.text('reader.error.not-hosted')).toContain('not on the server');
  });

  it('after a failed request, asks the recipient to try again and downloads once more', async () => {
    fakeFetch(new TypeError('Failed to fetch'), new TypeError('Failed to fetch'));
    const reader = locked();
    await settle();
    expect(reader.screen).toMatchObject({ kind: 'locked', fatal: null });
    await reader.unlock(CODE);
    expect(reader.retry).toBe('unavailable');
    fakeFetch({ status: 200, bytes: payload });
    await reader.unlock(CODE);
    expect(reader.screen.kind).toBe('open');
  });

  it('spends no server code while the payload cannot be had', async () => {
    const serverLinked: ReaderEnvelope = {
      ...linked,
      locks: [{ method: 'sms', id: 'lock-sms-000000001', serverProtected: true, language: 'en' }],
      mailShare: Buffer.alloc(32, 7).toString('base64'),
    };
    fakeFetch(new TypeError('Failed to fetch'));
    const reader = locked(serverLinked);
    reader.verification = {
      handle: 'H'.repeat(43),
      lockId: 'lock-sms-000000001',
      method: 'sms',
      sentTo: '+49 ••• •••• 89',
      codeExpiresAt: '2026-11-27T09:10:00.000Z',
    };
    await settle();
    const urls = fakeFetch({ status: 404 });
    await reader.unlock('123456');
    expect(reader.screen).toMatchObject({ fatal: 'not-hosted' });
    // The download was tried again; verify/complete never asked.
    expect(urls).toEqual([PAYLOAD_URL]);
  });
});
