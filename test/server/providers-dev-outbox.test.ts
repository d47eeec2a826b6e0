/**
 * The development outbox pages: they show what the dev providers sent (codes included), only
 * when `devOutbox` is on, with everything escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';
import { lock, registration, signedInSender } from './messages-fixtures.ts';

describe.each(DATABASE_KINDS)('development outbox on %s', (kind) => {
  let on: TestServer;
  let off: TestServer;
  beforeAll(async () => {
    on = await startTestServer(kind);
    off = await startTestServer(kind, { config: { devOutbox: false } });
  });
  afterAll(async () => {
    await on.close();
    await off.close();
  });

  it('shows a verification SMS as JSON and as escaped HTML', async () => {
    const token = await signedInSender(on);
    const body = registration([
      lock({ method: 'sms', address: 'bob@partner.example', phone: '+4915123456789' }),
    ]);
    await on.request('POST', '/api/v1/messages', { body, token });
    await on.request('POST', `/api/v1/messages/${body.messageId}/verify/start`, {
      body: { address: 'bob@partner.example' },
    });
    await on.db
      .insertInto('outbox')
      .values({
        at: on.clock.now(),
        channel: 'email',
        recipient: 'x@y.example',
        text: '<script>alert(1)</script>',
      })
      .execute();

    const json = await on.request('GET', '/api/v1/dev/outbox');
    expect(json.status).toBe(200);
    const sms = json.body.messages.find(
      (message: { to: string }) => message.to === '+4915123456789',
    );
    expect(sms).toMatchObject({ channel: 'sms', text: expect.stringMatching(/\b\d{6}\b/) });

    const html = await on.request('GET', '/dev/outbox');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = String(html.body);
    expect(page).toContain('+4915123456789');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toMatch(/&(lt|#60);script&(gt|#62);/);
  });

  it('is not there when devOutbox is off, even with codes in the table', async () => {
    const token = await signedInSender(off);
    const body = registration([
      lock({ method: 'sms', address: 'bob@partner.example', phone: '+4915123456789' }),
    ]);
    await off.request('POST', '/api/v1/messages', { body, token });
    await off.request('POST', `/api/v1/messages/${body.messageId}/verify/start`, {
      body: { address: 'bob@partner.example' },
    });
    expect(await off.outboxFor('+4915123456789')).toHaveLength(1);
    for (const path of ['/api/v1/dev/outbox', '/dev/outbox']) {
      const response = await off.request('GET', path);
      expect(response.status).toBe(404);
      expect(JSON.stringify(response.body)).not.toMatch(/\b\d{6}\b/);
    }
  });
});
