/**
 * A loopback HTTP proxy in front of a real Sealpost server, for the reader's link-delivery
 * tests: everything passes through unchanged, except a payload download (`GET …/payload`),
 * which it can slow down (so the reader's progress can be watched) or alter (one byte flipped:
 * a server handing out other bytes than the envelope names).
 */
import { createServer, request as forward, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PayloadProxy {
  url: string;
  /** How payload answers are passed on from now on (change the fields). */
  payloads: { chunkBytes: number; pauseMs: number; flipByteAt: number | null };
  /** Paths of the payload downloads seen. */
  downloads: string[];
  close(): Promise<void>;
}

export async function startPayloadProxy(target: string): Promise<PayloadProxy> {
  const upstream = new URL(target);
  const payloads: PayloadProxy['payloads'] = { chunkBytes: 1 << 20, pauseMs: 0, flipByteAt: null };
  const downloads: string[] = [];
  const server: Server = createServer((request, response) => {
    const isPayload = request.method === 'GET' && /\/payload$/.test(request.url ?? '');
    if (isPayload) downloads.push(request.url ?? '');
    const outgoing = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: request.url,
        method: request.method,
        headers: { ...request.headers, host: upstream.host },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!isPayload || answer.statusCode !== 200) return void answer.pipe(response);
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => void trickle(Buffer.concat(chunks), response, payloads));
      },
    );
    outgoing.on('error', () => response.destroy());
    request.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    payloads,
    downloads,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function trickle(
  body: Buffer,
  response: ServerResponse,
  { chunkBytes, pauseMs, flipByteAt }: PayloadProxy['payloads'],
): Promise<void> {
  if (flipByteAt !== null) body[flipByteAt]! ^= 0x01;
  for (let at = 0; at < body.length; at += chunkBytes) {
    if (response.destroyed) return;
    response.write(body.subarray(at, at + chunkBytes));
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  response.end();
}
