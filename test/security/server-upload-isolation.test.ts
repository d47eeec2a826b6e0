/**
 * Attack: someone else reaches the upload endpoint of link delivery and wants to read, change,
 * end or take over an upload, or to fetch a payload before it is whole.
 * - Another signed-in sender cannot create an upload for Alice's message, nor HEAD, PATCH or
 *   DELETE Alice's upload: each is answered exactly as an unknown one (404), and the upload is
 *   untouched (a control shows Alice's own requests work).
 * - A stranger without a device token gets 401 before anything is looked up or read.
 * - Nothing is served before the upload finished (404, and `/public` says no payload).
 * - A revoked message's payload is gone: 410, and its object deleted from the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metadata } from '@tus/server';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../server/harness.ts';
import { SERVER_START_TIMEOUT_MS, signedInSender } from '../server/messages-fixtures.ts';
import {
  MIB,
  payloadOf,
  payloadRow,
  registerForUpload,
  tusUpload,
} from '../server/uploads-fixtures.ts';

describe.each(DATABASE_KINDS)('uploads of link delivery on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  let mallory: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signedInSender(server, 'alice@example.org');
    mallory = await signedInSender(server, 'mallory@example.org');
  }, SERVER_START_TIMEOUT_MS);
  afterAll(() => server.close());

  /** A tus request to the upload endpoint as `token` (or none). */
  const tus = (
    method: string,
    path: string,
    token: string | null,
    headers: Record<string, string> = {},
    body?: Buffer,
  ) =>
    fetch(`${server.baseUrl}/api/v1/uploads${path}`, {
      method,
      headers: {
        'tus-resumable': '1.0.0',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body ? { body: new Uint8Array(body) } : {}),
    });
  const createFor = (messageId: string, token: string | null) =>
    tus('POST', '', token, {
      'upload-defer-length': '1',
      'upload-metadata': Metadata.stringify({ messageId }),
    });
  const patch = (uploadId: string, token: string | null, offset: number, bytes: Buffer) =>
    tus(
      'PATCH',
      `/${uploadId}`,
      token,
      { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
      bytes,
    );

  it("lets no one else create, resume, read or end Alice's upload, and answers as for none", async () => {
    const { messageId } = await registerForUpload(server, alice, 3 * MIB);
    // Mallory cannot take the message's one upload.
    const taken = await createFor(messageId, mallory);
    expect(taken.status).toBe(404);
    const unknownMessage = await createFor(crypto.randomUUID(), mallory);
    expect(unknownMessage.status).toBe(404);
    expect(await taken.json()).toEqual(await unknownMessage.json());
    expect(await payloadRow(server, messageId)).toBeNull();

    // Alice's upload, half done.
    const created = await createFor(messageId, alice);
    expect(created.status).toBe(201);
    const uploadId = new URL(created.headers.get('location')!).pathname.split('/').pop()!;
    const firstHalf = payloadOf(MIB);
    expect((await patch(uploadId, alice, 0, firstHalf)).status).toBe(204);

    const unknownId = '0123456789abcdef0123456789abcdef';
    for (const [method, extra] of [
      ['HEAD', {}],
      ['DELETE', {}],
    ] as const) {
      const theirs = await tus(method, `/${uploadId}`, mallory, extra);
      const none = await tus(method, `/${unknownId}`, mallory, extra);
      expect(theirs.status).toBe(404);
      expect(none.status).toBe(404);
      expect(theirs.headers.get('upload-offset')).toBeNull();
    }
    const overwrite = await patch(uploadId, mallory, MIB, payloadOf(1000));
    expect(overwrite.status).toBe(404);
    const rewrite = await patch(uploadId, mallory, 0, payloadOf(1000));
    expect(rewrite.status).toBe(404);

    // Untouched: Alice resumes where she was and finishes with her own bytes.
    const head = await tus('HEAD', `/${uploadId}`, alice);
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(MIB));
    const secondHalf = payloadOf(MIB);
    const last = await patch(uploadId, alice, MIB, secondHalf);
    expect(last.status).toBe(204);
    const finish = await tus('PATCH', `/${uploadId}`, alice, {
      'upload-offset': String(2 * MIB),
      'upload-length': String(2 * MIB),
      'content-type': 'application/offset+octet-stream',
    });
    expect(finish.status).toBe(204);
    const downloaded = await server.download(`/api/v1/messages/${messageId}/payload`);
    expect(downloaded.bytes.equals(Buffer.concat([firstHalf, secondHalf]))).toBe(true);
    // One upload per message, even for its sender.
    expect((await createFor(messageId, alice)).status).toBe(400);
  });

  it('answers a stranger without a token 401 before looking at anything', async () => {
    const { messageId } = await registerForUpload(server, alice, MIB);
    const created = await createFor(messageId, alice);
    const uploadId = new URL(created.headers.get('location')!).pathname.split('/').pop()!;
    const answers = [
      await createFor(messageId, null),
      await tus('HEAD', `/${uploadId}`, null),
      await patch(uploadId, null, 0, payloadOf(1000)),
      await tus('DELETE', `/${uploadId}`, null),
      await tus('HEAD', `/${uploadId}`, 'not-a-token-but-long-enough-0123456789'),
    ];
    for (const answer of answers) expect(answer.status).toBe(401);
    // Still there, still empty.
    expect(Number((await payloadRow(server, messageId))!.byte_length)).toBe(0);
    expect((await tus('HEAD', `/${uploadId}`, alice)).headers.get('upload-offset')).toBe('0');
  });

  it('serves nothing before the upload finished', async () => {
    const { messageId } = await registerForUpload(server, alice, 2 * MIB);
    await tusUpload(server, alice, messageId, payloadOf(2 * MIB), {
      chunkSize: MIB,
      stopAfterBytes: MIB,
    });
    expect(Number((await payloadRow(server, messageId))!.byte_length)).toBeGreaterThan(0);
    const early = await server.download(`/api/v1/messages/${messageId}/payload`);
    expect(early.status).toBe(404);
    expect(early.bytes.length).toBeLessThan(500);
    expect(
      (await server.request('GET', `/api/v1/messages/${messageId}/public`)).body.hasPayload,
    ).toBe(false);
  });

  it("deletes a revoked message's payload: 410, and its object gone", async () => {
    const { messageId } = await registerForUpload(server, alice, MIB);
    await tusUpload(server, alice, messageId, payloadOf(MIB));
    const key = (await payloadRow(server, messageId))!.store_key!;
    expect(await server.payloads.holdsAnything(key)).toBe(true);
    await server.request('POST', `/api/v1/messages/${messageId}/revoke`, {
      body: {},
      token: alice,
    });
    const gone = await server.download(`/api/v1/messages/${messageId}/payload`);
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.bytes.toString()).error.code).toBe('revoked');
    expect(await server.payloads.holdsAnything(key)).toBe(false);
    // Nor can its sender upload anything for it any more.
    expect((await createFor(messageId, alice)).status).toBe(410);
  });
});
