import { Socket, connect } from 'node:net';

/**
 * A minimal Marionette client: `<byte length>:<json>` frames over TCP, commands are
 * `[0, id, name, params]` and replies `[1, id, error, result]`.
 * Protocol: https://firefox-source-docs.mozilla.org/testing/marionette/Protocol.html
 */
export class MarionetteClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private onGreeting: () => void = () => {};
  /** Resolves when the server's hello frame (not a reply) has arrived. */
  private readonly greeted = new Promise<void>((resolve) => (this.onGreeting = resolve));
  private closedError: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.failAll(new Error('Marionette connection closed')));
    socket.on('error', (error) => this.failAll(error));
  }

  /** Connects, reads the server greeting and starts a session. */
  static async connect(port: number, host = '127.0.0.1'): Promise<MarionetteClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const candidate = connect({ port, host }, () => resolve(candidate));
      candidate.once('error', reject);
    });
    const client = new MarionetteClient(socket);
    await client.greeted;
    await client.command('WebDriver:NewSession', {
      capabilities: { alwaysMatch: { 'moz:accessibilityChecks': false } },
    });
    return client;
  }

  /** Sends one command and resolves with its result, or rejects with the remote error. */
  command<T = unknown>(name: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const json = JSON.stringify([0, id, name, params]);
    this.socket.write(`${Buffer.byteLength(json)}:${json}`);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Runs `script` (a function body; `arguments` holds `args`) in the current context. */
  executeScript<T = unknown>(script: string, args: unknown[] = []): Promise<T> {
    return this.command<{ value: T }>('WebDriver:ExecuteScript', { script, args }).then(
      (reply) => reply.value,
    );
  }

  /** Like `executeScript`, but the script calls `arguments[arguments.length - 1](result)`. */
  executeAsyncScript<T = unknown>(script: string, args: unknown[] = [], timeoutMs = 30_000) {
    return this.command<{ value: T }>('WebDriver:ExecuteAsyncScript', {
      script,
      args,
      scriptTimeout: timeoutMs,
    }).then((reply) => reply.value);
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      if (this.buffer.length < colon + 1 + length) return;
      const frame = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString());
      this.buffer = this.buffer.subarray(colon + 1 + length);
      if (!Array.isArray(frame)) {
        this.onGreeting();
        continue;
      }
      const [, id, error, result] = frame as [number, number, MarionetteError | null, unknown];
      const waiter = this.pending.get(id);
      if (!waiter) continue;
      this.pending.delete(id);
      if (error) waiter.reject(new Error(`${error.error}: ${error.message}`));
      else waiter.resolve(result);
    }
  }

  private failAll(error: Error): void {
    this.closedError = error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

interface MarionetteError {
  error: string;
  message: string;
}
