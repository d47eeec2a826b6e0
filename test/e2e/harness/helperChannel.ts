import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

interface PendingCommand {
  id: string;
  name: string;
  params: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The harness side of the test helper add-on: a small HTTP server on 127.0.0.1 the add-on
 * long-polls (`GET /next`) for commands and answers (`POST /result/<id>`). It also serves
 * attachment bytes (`GET /file/<token>`) so large files need not travel inside JSON.
 */
export class HelperChannel {
  private readonly queue: PendingCommand[] = [];
  private readonly inFlight = new Map<string, PendingCommand>();
  private readonly pollers: ServerResponse[] = [];
  private readonly files = new Map<string, Uint8Array>();
  private lastPollAt = 0;

  private readonly server: Server;
  /** Port the helper add-on must contact (written into its config.json; set by `start`). */
  port = 0;

  private constructor() {
    this.server = createServer((request, response) => this.handle(request, response));
  }

  static async start(): Promise<HelperChannel> {
    const channel = new HelperChannel();
    await new Promise<void>((resolve) => channel.server.listen(0, '127.0.0.1', () => resolve()));
    channel.port = (channel.server.address() as AddressInfo).port;
    return channel;
  }

  /** Makes `bytes` downloadable by the helper; returns the URL to hand it. */
  shareFile(bytes: Uint8Array): string {
    const token = randomUUID();
    this.files.set(token, bytes);
    return `http://127.0.0.1:${this.port}/file/${token}`;
  }

  /** Resolves once the helper add-on has polled at least once (it is running). */
  async waitUntilConnected(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.lastPollAt === 0) {
      if (Date.now() > deadline) throw new Error('test helper add-on never contacted the harness');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Sends one command to the helper and resolves with its answer (rejects with its error). */
  call<T = unknown>(name: string, params: unknown = {}, timeoutMs = 30_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`test helper: no answer to ${name} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.queue.push({
        id: randomUUID(),
        name,
        params,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.dispatch();
    });
  }

  stop(): Promise<void> {
    for (const poller of this.pollers.splice(0)) poller.writeHead(204).end();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    response.setHeader('Access-Control-Allow-Origin', '*');
    const url = request.url ?? '';
    if (request.method === 'GET' && url === '/next') {
      this.lastPollAt = Date.now();
      this.pollers.push(response);
      // Answer empty after a while so a dead connection never hides a command.
      setTimeout(() => {
        const index = this.pollers.indexOf(response);
        if (index >= 0) {
          this.pollers.splice(index, 1);
          response.writeHead(204).end();
        }
      }, 10_000).unref();
      this.dispatch();
      return;
    }
    const fileMatch = /^\/file\/([\w-]+)$/.exec(url);
    if (request.method === 'GET' && fileMatch) {
      const bytes = this.files.get(fileMatch[1]!);
      if (!bytes) return void response.writeHead(404).end();
      response.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(bytes);
      return;
    }
    const resultMatch = /^\/result\/([\w-]+)$/.exec(url);
    if (request.method === 'POST' && resultMatch) {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        response.writeHead(204).end();
        const command = this.inFlight.get(resultMatch[1]!);
        if (!command) return;
        this.inFlight.delete(command.id);
        const answer = JSON.parse(Buffer.concat(chunks).toString()) as
          { ok: true; value: unknown } | { ok: false; error: string };
        if (answer.ok) command.resolve(answer.value);
        else command.reject(new Error(`test helper ${command.name}: ${answer.error}`));
      });
      return;
    }
    response.writeHead(404).end();
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.pollers.length > 0) {
      const command = this.queue.shift()!;
      const poller = this.pollers.shift()!;
      this.inFlight.set(command.id, command);
      poller
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ id: command.id, name: command.name, params: command.params }));
    }
  }
}
