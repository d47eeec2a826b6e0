/**
 * Shared pieces of the link-delivery tests (test/server/link-delivery.test.ts and the attack
 * tests in test/security/): a real tus client (tus-js-client's Node build) streaming a payload of
 * unknown length, a registration for link delivery, and a TCP proxy that cuts a connection in
 * the middle of a request.
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { Upload, type HttpRequest, type HttpResponse } from 'tus-js-client';
import { expect } from 'vitest';
import { lock, registration } from './messages-fixtures.ts';
import type { TestServer } from './harness.ts';

export const MIB = 1024 * 1024;

/** Random bytes: any corruption or reordering shows in a comparison. */
export const payloadOf = (bytes: number): Buffer => randomBytes(bytes);

/** A registration body for link delivery. */
export function uploadRegistration(expectedBytes: number, extra: { expiresInDays?: number } = {}) {
  return {
    ...registration([lock({ method: 'email', address: 'bob@partner.example' })], extra),
    upload: { expectedBytes },
  };
}

/** Registers a message for link delivery; answers its id and the URLs the server gave. */
export async function registerForUpload(
  server: TestServer,
  token: string,
  expectedBytes: number,
  extra: { expiresInDays?: number } = {},
): Promise<{ messageId: string; uploadUrl: string; payloadUrl: string }> {
  const body = uploadRegistration(expectedBytes, extra);
  const response = await server.request('POST', '/api/v1/messages', { body, token });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return {
    messageId: body.messageId,
    uploadUrl: response.body.uploadUrl,
    payloadUrl: response.body.payloadUrl,
  };
}

export interface TusUploadOptions {
  /** Where to create the upload (default: the server's `/api/v1/uploads`). */
  endpoint?: string;
  /** Bytes per PATCH (default 1 MiB). */
  chunkSize?: number;
  /** Sees every answer (e.g. the `Upload-Offset` of a HEAD after a cut). */
  onAfterResponse?: (request: HttpRequest, response: HttpResponse) => void;
  /** Stop after this many bytes were acknowledged, leaving the upload unfinished. */
  stopAfterBytes?: number;
}

/**
 * Uploads `bytes` as the add-on does: a stream of unknown length (`Upload-Defer-Length`), the
 * last PATCH declaring it; retries resume from the server's offset. Resolves with the upload's
 * URL, or rejects with tus-js-client's error (its `originalResponse` holds the server's answer).
 */
export function tusUpload(
  server: TestServer,
  token: string,
  messageId: string,
  bytes: Buffer,
  options: TusUploadOptions = {},
): Promise<string> {
  const chunkSize = options.chunkSize ?? MIB;
  // In pieces, as an encrypting stream produces them.
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += 256 * 1024)
    pieces.push(bytes.subarray(offset, offset + 256 * 1024));
  return new Promise((resolve, reject) => {
    const upload = new Upload(Readable.from(pieces), {
      endpoint: options.endpoint ?? `${server.baseUrl}/api/v1/uploads`,
      uploadLengthDeferred: true,
      chunkSize,
      metadata: { messageId },
      headers: { authorization: `Bearer ${token}` },
      retryDelays: [0, 100, 300],
      ...(options.onAfterResponse ? { onAfterResponse: options.onAfterResponse } : {}),
      onProgress: (sent) => {
        if (options.stopAfterBytes !== undefined && sent >= options.stopAfterBytes) {
          void upload.abort(false).then(() => resolve(upload.url ?? ''));
        }
      },
      onSuccess: () => resolve(upload.url ?? ''),
      onError: reject,
    });
    upload.start();
  });
}

/**
 * A TCP proxy to the server that destroys the first connection once `cutAfterBytes` of request
 * data went through it (both directions dropped, as a network failure would); later connections
 * pass untouched.
 */
export async function cuttingProxy(
  server: TestServer,
  cutAfterBytes: number,
): Promise<{ url: string; cuts: () => number; close: () => Promise<void> }> {
  const target = new URL(server.baseUrl);
  let cuts = 0;
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let forwarded = 0;
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      if (cuts === 0 && forwarded > cutAfterBytes) {
        cuts += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    cuts: () => cuts,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

/** What tus-js-client rejects with when the server refused: the server's status and error code. */
export async function refusal(upload: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = (await upload.then(
    () => ({}),
    (failure: unknown) => failure,
  )) as { originalResponse?: { getStatus(): number; getBody(): string } | null };
  const response = error.originalResponse;
  if (!response) return { status: 0, code: 'none' };
  return { status: response.getStatus(), code: JSON.parse(response.getBody()).error.code };
}

/** The payload row of a message (null when none). */
export async function payloadRow(server: TestServer, messageId: string) {
  return (
    (await server.db
      .selectFrom('message_payloads')
      .select(['store_key', 'byte_length', 'finished_at', 'payload'])
      .where('message_id', '=', messageId)
      .executeTakeFirst()) ?? null
  );
}
