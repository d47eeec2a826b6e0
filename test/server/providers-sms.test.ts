import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmsProvider, type SmsProviderDependencies } from '../../src/server/providers/sms.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP endpoint on 127.0.0.1 that records requests and answers with `status`. */
async function startEndpoint(
  status = 201,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end('{"sid":"SM123","body":"echo"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}`, received, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

function dependencies(): SmsProviderDependencies & { outbox: unknown[]; lines: string[] } {
  const outbox: unknown[] = [];
  const lines: string[] = [];
  return {
    outbox,
    lines,
    recordInOutbox: async (entry) => {
      outbox.push(entry);
    },
    log: (line) => lines.push(line),
    timeoutMs: 2_000,
  };
}

const message = { to: '+4915123456789', text: 'Your Sealpost code: 123456' };

describe('SMS providers', () => {
  it('dev: writes the outbox, and logs neither the code nor the full number', async () => {
    const deps = dependencies();
    const provider = createSmsProvider({ provider: 'dev' }, deps);
    expect(await provider.send(message)).toEqual({ ok: true });
    expect(deps.outbox).toEqual([{ channel: 'sms', to: message.to, text: message.text }]);
    expect(deps.lines).toHaveLength(1);
    // No code ever reaches a log, not even in development.
    expect(deps.lines[0]).not.toContain('123456');
    expect(deps.lines[0]).not.toContain('15123456789');
    expect(deps.lines[0]).toContain('development outbox');
  });

  it('dev: an outbox failure is unavailable, not a throw', async () => {
    const deps = dependencies();
    deps.recordInOutbox = () => Promise.reject(new Error('database down'));
    const result = await createSmsProvider({ provider: 'dev' }, deps).send(message);
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('webhook: POSTs JSON {to, text} to the configured URL', async () => {
    const endpoint = await startEndpoint(200);
    const provider = createSmsProvider(
      { provider: 'webhook', url: `${endpoint.url}/hooks/sms` },
      dependencies(),
    );
    expect(await provider.send(message)).toEqual({ ok: true });
    expect(endpoint.received).toHaveLength(1);
    const [request] = endpoint.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/hooks/sms');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ to: message.to, text: message.text });
  });

  it('webhook: a non-2xx answer or an unreachable endpoint is unavailable', async () => {
    const failing = await startEndpoint(500);
    const provider = createSmsProvider({ provider: 'webhook', url: failing.url }, dependencies());
    expect(await provider.send(message)).toEqual({
      ok: false,
      reason: 'unavailable',
      detail: 'HTTP 500',
    });
    const closed = await startEndpoint(200);
    await new Promise((resolve) => closed.server.close(resolve));
    const unreachable = createSmsProvider({ provider: 'webhook', url: closed.url }, dependencies());
    expect(await unreachable.send(message)).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('twilio: Messages API format, form-encoded, basic auth', async () => {
    const endpoint = await startEndpoint(201);
    const provider = createSmsProvider(
      {
        provider: 'twilio',
        url: `${endpoint.url}/`,
        accountSid: 'AC0123',
        authToken: 'secret-token',
        from: '+15005550006',
      },
      dependencies(),
    );
    expect(await provider.send(message)).toEqual({ ok: true });
    const [request] = endpoint.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/2010-04-01/Accounts/AC0123/Messages.json');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('AC0123:secret-token').toString('base64')}`,
    );
    const form = new URLSearchParams(request?.body);
    expect(Object.fromEntries(form)).toEqual({
      To: message.to,
      From: '+15005550006',
      Body: message.text,
    });
  });

  it('twilio: an error answer (e.g. 401) is unavailable', async () => {
    const endpoint = await startEndpoint(401);
    const provider = createSmsProvider(
      {
        provider: 'twilio',
        url: endpoint.url,
        accountSid: 'AC0123',
        authToken: 'wrong',
        from: '+15005550006',
      },
      dependencies(),
    );
    expect(await provider.send(message)).toEqual({
      ok: false,
      reason: 'unavailable',
      detail: 'HTTP 401',
    });
  });

  it('refuses a provider configured without what it needs', () => {
    expect(() => createSmsProvider({ provider: 'webhook' }, dependencies())).toThrow(/sms\.url/);
    expect(() =>
      createSmsProvider({ provider: 'twilio', accountSid: 'AC1', from: '+1' }, dependencies()),
    ).toThrow(/sms\.authToken/);
  });
});
