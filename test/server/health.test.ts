import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';

describe.each(DATABASE_KINDS)('health and readiness on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.close());

  it('answers /healthz', async () => {
    const response = await server.request('GET', '/healthz');
    expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers /readyz once migrated', async () => {
    const response = await server.request('GET', '/readyz');
    expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers unknown routes with the contract error', async () => {
    const response = await server.request('GET', '/api/v1/nothing-here?address=a@example.org');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: 'not-found', message: 'No route GET /api/v1/nothing-here.' },
    });
  });

  it('shows the development outbox as JSON', async () => {
    await server.db
      .insertInto('outbox')
      .values({
        at: server.clock.now(),
        channel: 'sms',
        recipient: '+4915112345678',
        text: 'Code 123456',
      })
      .execute();
    const response = await server.request('GET', '/api/v1/dev/outbox');
    expect(response.status).toBe(200);
    expect(response.body.messages[0]).toEqual({
      at: '2026-03-01T09:00:00.000Z',
      channel: 'sms',
      to: '+4915112345678',
      text: 'Code 123456',
    });
  });
});
