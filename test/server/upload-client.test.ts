/**
 * The add-on's own upload client (src/core/payloadUpload.ts, through the server client) against
 * a real server: a payload stream of unknown length in uneven pieces arrives byte for byte with
 * the size and SHA-256 the envelope will name; a connection cut in the middle resumes; Cancel
 * deletes what was uploaded; a refusal carries the server's code, which the sender reads as a
 * sentence of the add-on's.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerClient } from '../../src/core/serverClient.ts';
import { serverFailureText } from '../../src/core/serverFailureText.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { signedInSender } from './messages-fixtures.ts';
import { cuttingProxy, MIB, payloadOf, payloadRow, registerForUpload } from './uploads-fixtures.ts';

let server: TestServer;
let senders = 0;

beforeAll(async () => {
  server = await startTestServer('pglite', {
    config: {
      payloads: {
        maxBytes: 6 * MIB,
        quotaPerSenderBytes: 100 * MIB,
        quotaTotalBytes: 1000 * MIB,
        unfinishedUploadHours: 24,
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

/** The bytes as a stream in uneven pieces, as the encryption produces them. */
function streamOf(bytes: Buffer, onPull?: (offset: number) => void): ReadableStream<Uint8Array> {
  let offset = 0;
  let piece = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      const size = [65_536, 1000, 300_001, 7][piece++ % 4]!;
      onPull?.(offset);
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + size)));
      offset += size;
    },
  });
}

async function sender() {
  senders += 1;
  const token = await signedInSender(server, `upload${senders}@example.org`);
  return { token, client: createServerClient({ baseUrl: server.baseUrl, token, fetch }) };
}

describe('uploadPayload', () => {
  it('uploads a stream of unknown length in chunks; the download is identical and its hash is the one returned', async () => {
    const { token, client } = await sender();
    const bytes = payloadOf(5 * MIB + 12_345);
    const { messageId, uploadUrl, payloadUrl } = await registerForUpload(
      server,
      token,
      bytes.length,
    );
    const progress: number[] = [];
    const result = await client.uploadPayload({
      uploadUrl,
      messageId,
      payload: streamOf(bytes),
      chunkBytes: MIB,
      onProgress: (sent) => progress.push(sent),
    });
    expect(result).toEqual({
      ok: true,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(progress.at(-1)).toBe(bytes.length);
    const downloaded = Buffer.from(await (await fetch(payloadUrl)).arrayBuffer());
    expect(downloaded.equals(bytes)).toBe(true);
  });

  it('resumes from the server’s offset after a connection is cut in the middle of a chunk', async () => {
    const { token } = await sender();
    const bytes = payloadOf(4 * MIB);
    const { messageId, payloadUrl } = await registerForUpload(server, token, bytes.length);
    const proxy = await cuttingProxy(server, Math.round(2.5 * MIB));
    // The upload's Location must lead through the proxy too.
    const publicUrl = server.config.publicUrl;
    server.config.publicUrl = proxy.url;
    try {
      const viaProxy = createServerClient({ baseUrl: proxy.url, token, fetch });
      const result = await viaProxy.uploadPayload({
        uploadUrl: `${proxy.url}/api/v1/uploads`,
        messageId,
        payload: streamOf(bytes),
        chunkBytes: MIB,
        retryDelays: [0, 100, 300],
      });
      expect(proxy.cuts()).toBe(1);
      expect(result.ok && result.bytes).toBe(bytes.length);
    } finally {
      server.config.publicUrl = publicUrl;
      await proxy.close();
    }
    const downloaded = Buffer.from(await (await fetch(payloadUrl)).arrayBuffer());
    expect(downloaded.equals(bytes)).toBe(true);
  });

  it('cancels when the signal fires: the upload is deleted on the server, nothing is served', async () => {
    const { token, client } = await sender();
    const bytes = payloadOf(4 * MIB);
    const { messageId, uploadUrl, payloadUrl } = await registerForUpload(
      server,
      token,
      bytes.length,
    );
    const controller = new AbortController();
    const result = await client.uploadPayload({
      uploadUrl,
      messageId,
      // Cancel once the third chunk is being read: two are on the server by then.
      payload: streamOf(bytes, (offset) => {
        if (offset >= 2 * MIB + 100_000) controller.abort();
      }),
      chunkBytes: MIB,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ ok: false, reason: 'cancelled', message: 'cancelled' });
    await expect
      .poll(async () => (await payloadRow(server, messageId))?.finished_at ?? 'gone')
      .toBe('gone');
    expect((await fetch(payloadUrl)).status).toBe(404);
  });

  it('is refused past the size limit, as too large', async () => {
    const { token, client } = await sender();
    const bytes = payloadOf(7 * MIB);
    const { messageId, uploadUrl } = await registerForUpload(server, token, 1024);
    const result = await client.uploadPayload({
      uploadUrl,
      messageId,
      payload: streamOf(bytes),
      chunkBytes: MIB,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('refused');
    expect(result.status).toBe(413);
    expect(result.message).not.toMatch(/tus:|originalRequest/);
    // What the sender reads is the add-on's sentence for it, not the server's technical text.
    expect(result.code).toBe('payload-too-large');
    expect(serverFailureText(result, (key) => key)).toBe('serverErrorTooLarge');
  });

  it('fails as unavailable, not refused, when the server is not there', async () => {
    const client = createServerClient({ baseUrl: 'http://127.0.0.1:9', token: 'x', fetch });
    const result = await client.uploadPayload({
      uploadUrl: 'http://127.0.0.1:9/api/v1/uploads',
      messageId: 'nobody',
      payload: streamOf(payloadOf(1000)),
      retryDelays: [],
    });
    expect(result.ok === false && result.reason).toBe('unavailable');
    if (result.ok) return;
    expect(serverFailureText(result, (key) => key)).toBe('serverErrorNetwork');
  });
});
