/**
 * The SMS providers wired into the running server (as main.ts wires them): a recipient's
 * verification goes out through the dev outbox, a webhook, or the Twilio API format to a local
 * HTTP endpoint, and the code that arrives there opens the lock.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsSender } from '../../src/server/deps.ts';
import { smsSenderForServer, type SmsSettings } from '../../src/server/providers/sms.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';
import {
  lock,
  recipientFlow,
  registration,
  shareReleased,
  signedInSender,
} from './messages-fixtures.ts';

interface Received {
  url: string;
  contentType: string;
  body: string;
}

describe.each(DATABASE_KINDS)('SMS providers in the server on %s', (kind) => {
  let server: TestServer;
  let endpoint: Server;
  let endpointUrl: string;
  const received: Received[] = [];
  const logLines: string[] = [];
  let current: SmsSender;
  let token: string;

  beforeAll(async () => {
    endpoint = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        received.push({
          url: request.url ?? '',
          contentType: request.headers['content-type'] ?? '',
          body,
        });
        response.writeHead(201, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
    // The provider is swapped per test behind one sender, so one server serves all three.
    server = await startTestServer(kind, {
      sms: () => ({ send: (message) => current.send(message) }),
    });
    token = await signedInSender(server);
  });
  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => endpoint.close(resolve));
  });

  async function verifyThrough(
    settings: SmsSettings,
    phone: string,
    codeFrom: () => Promise<string | undefined> | string | undefined,
  ) {
    current = smsSenderForServer(settings, server.db, server.clock, (line) => logLines.push(line));
    const bob = lock({ method: 'sms', address: 'bob@partner.example', phone });
    const body = registration([bob]);
    await server.request('POST', '/api/v1/messages', { body, token });
    const recipient = recipientFlow(server, body.messageId, [bob]);
    expect((await recipient.start('bob@partner.example')).status).toBe(200);
    const code = await codeFrom();
    expect(code).toMatch(/^\d{6}$/);
    const released = await recipient.complete(bob.lockId, code ?? '');
    expect(released.body).toEqual(shareReleased(bob.serverShare));
  }

  it('dev: the outbox and a log line without the full number', async () => {
    await verifyThrough({ provider: 'dev' }, '+4915123400001', async () => {
      const [row] = await server.outboxFor('+4915123400001');
      expect(row?.channel).toBe('sms');
      return /\b(\d{6})\b/.exec(row?.text ?? '')?.[1];
    });
    expect(logLines.at(-1)).toContain('+49 ••• •••• 01');
    expect(logLines.join('\n')).not.toContain('15123400001');
  });

  it('webhook unreachable: the recipient hears "try again later", the log says why (never the number)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    current = smsSenderForServer(
      { provider: 'webhook', url: `http://127.0.0.1:${port}/sms` },
      server.db,
      server.clock,
      (line) => logLines.push(line),
    );
    const bob = lock({ method: 'sms', address: 'bob@partner.example', phone: '+4915123400077' });
    const body = registration([bob]);
    await server.request('POST', '/api/v1/messages', { body, token });
    const started = await recipientFlow(server, body.messageId, [bob]).start('bob@partner.example');
    expect(started.status).toBe(503);
    expect(started.body.error.message).toBe('The SMS could not be sent; try again later.');
    const said = server.logLines().filter((line) => line.smsError !== undefined);
    expect(said.at(-1)?.msg).toBe(
      `an SMS could not be sent: SMS provider webhook failed: TypeError: fetch failed (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(JSON.stringify(server.logLines())).not.toContain('15123400077');
  });

  it('webhook: JSON {to, text} reaches the endpoint', async () => {
    const before = received.length;
    await verifyThrough(
      { provider: 'webhook', url: `${endpointUrl}/sms` },
      '+4915123400002',
      () => {
        const request = received[before];
        if (request === undefined) return undefined;
        expect(request.url).toBe('/sms');
        expect(request.contentType).toBe('application/json');
        const json = JSON.parse(request.body) as { to: string; text: string };
        expect(json.to).toBe('+4915123400002');
        return /\b(\d{6})\b/.exec(json.text)?.[1];
      },
    );
  });

  it('twilio: the Messages API request reaches the endpoint', async () => {
    const before = received.length;
    await verifyThrough(
      {
        provider: 'twilio',
        url: endpointUrl,
        accountSid: 'AC42',
        authToken: 'token',
        from: '+15005550006',
      },
      '+4915123400003',
      () => {
        const request = received[before];
        if (request === undefined) return undefined;
        expect(request.url).toBe('/2010-04-01/Accounts/AC42/Messages.json');
        const form = new URLSearchParams(request.body);
        expect(form.get('To')).toBe('+4915123400003');
        return /\b(\d{6})\b/.exec(form.get('Body') ?? '')?.[1];
      },
    );
  });
});
