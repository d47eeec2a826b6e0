/**
 * A message of more MIME than the old 256 MiB cap opens in the reader: its plaintext streams
 * through the MIME splitter and its attachment into Blobs. The suite opens a small one and
 * refuses a decompression bomb, and opens one of 300 MiB of MIME sealed as link delivery seals
 * (not compressed, docs/envelope.md §9), printing time and memory. `SEALPOST_LARGE_MIB=<n>`
 * makes that attachment n MiB instead of 220.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { streamOriginalMime, type OriginalMessage } from '../../../src/core/mime/buildMime.ts';
import { generateSenderKey, sealPayload } from '../../../src/crypto/index.ts';
import { openPayload } from '../../../src/reader/unlock.ts';
import { LIGHT_CRYPTO_CONFIG } from '../crypto/testCrypto.ts';

const MIB = 1024 * 1024;
const PASSWORD = 'K7QMX2PA9FHT3WBN5RDE';
const LARGE_MIB = Number(process.env.SEALPOST_LARGE_MIB ?? 220);

function messageWith(attachment: Blob): OriginalMessage {
  return {
    messageId: '<large@sealpost>',
    date: new Date('2026-11-27T08:15:30Z'),
    from: { name: 'Alice', address: 'alice@example.test' },
    to: ['bob@partner.example'],
    cc: [],
    subject: 'Large files',
    body: { kind: 'plain', text: 'The scans.' },
    attachments: [
      { name: 'scans.bin', contentType: 'application/octet-stream', bytes: attachment },
    ],
  };
}

/** `mib` MiB of one random MiB repeated: DEFLATE's 32 KiB window cannot shrink it. */
function repeatedRandom(mib: number): { blob: Blob; block: Uint8Array } {
  const block = new Uint8Array(randomBytes(MIB));
  return { blob: new Blob(Array.from({ length: mib }, () => block)), block };
}

async function seal(
  attachment: Blob,
  compression: 'zip' | 'uncompressed' = 'zip',
): Promise<{ payload: Uint8Array; mimeBytes: number }> {
  const sender = await generateSenderKey({ name: 'Alice', address: 'alice@example.test' });
  const mime = streamOriginalMime(messageWith(attachment));
  const payload = await sealPayload({
    plaintext: mime.stream,
    passwords: [PASSWORD],
    encryptionKeys: [sender.armoredPublicKey],
    config: { ...LIGHT_CRYPTO_CONFIG, compression },
  });
  return { payload, mimeBytes: mime.size };
}

async function expectAttachment(content: Blob, mib: number, block: Uint8Array): Promise<void> {
  expect(content.size).toBe(mib * MIB);
  // The first and last MiB, read back from the Blob, are the block.
  for (const start of [0, (mib - 1) * MIB]) {
    const slice = new Uint8Array(await content.slice(start, start + MIB).arrayBuffer());
    expect(Buffer.from(slice).equals(Buffer.from(block))).toBe(true);
  }
}

describe('opening a large message', () => {
  it('streams the attachment into a Blob', async () => {
    const { blob, block } = repeatedRandom(6);
    const { payload } = await seal(blob);
    const progress: number[] = [];
    const opened = await openPayload(payload, PASSWORD, (done, total) =>
      progress.push(done / total),
    );
    if (!opened.ok) throw new Error(opened.reason);
    expect(opened.message.text?.trim()).toBe('The scans.');
    await expectAttachment(opened.message.attachments[0]!.content, 6, block);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(10);
  }, 60_000);

  it('shows nothing of a payload whose last chunk was altered', async () => {
    const { blob } = repeatedRandom(3);
    const { payload } = await seal(blob);
    const altered = payload.slice();
    altered[altered.length - 20]! ^= 1;
    expect(await openPayload(altered, PASSWORD)).toEqual({ ok: false, reason: 'damaged' });
    expect(await openPayload(payload.subarray(0, payload.length - 100), PASSWORD)).toEqual({
      ok: false,
      reason: 'damaged',
    });
  }, 60_000);

  it('refuses a decompression bomb: 200 MiB of zeros from a payload of about 1 MiB', async () => {
    const { payload } = await seal(new Blob([new Uint8Array(200 * MIB)]));
    expect(payload.length).toBeLessThan(2 * MIB);
    expect(await openPayload(payload, PASSWORD)).toEqual({ ok: false, reason: 'too-large' });
  }, 120_000);

  it(`opens ${LARGE_MIB} MiB of attachment, more than 256 MiB of MIME, sealed as by link`, async () => {
    const { blob, block } = repeatedRandom(LARGE_MIB);
    let started = performance.now();
    const { payload, mimeBytes } = await seal(blob, 'uncompressed');
    const sealSeconds = (performance.now() - started) / 1000;
    const before = process.memoryUsage();
    let peakRss = before.rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    started = performance.now();
    const opened = await openPayload(payload, PASSWORD);
    const openSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (!opened.ok) throw new Error(opened.reason);
    const after = process.memoryUsage();
    console.log(
      `MIME ${(mimeBytes / MIB).toFixed(0)} MiB, payload ${(payload.length / MIB).toFixed(0)} MiB; ` +
        `sealed in ${sealSeconds.toFixed(1)} s, opened in ${openSeconds.toFixed(1)} s; ` +
        `peak RSS ${(peakRss / MIB).toFixed(0)} MiB (${((peakRss - before.rss) / MIB).toFixed(0)} above the start); ` +
        `heap used after ${(after.heapUsed / MIB).toFixed(0)} MiB`,
    );
    expect(mimeBytes).toBeGreaterThan(256 * MIB);
    await expectAttachment(opened.message.attachments[0]!.content, LARGE_MIB, block);
  }, 600_000);
});
