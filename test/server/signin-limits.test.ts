/**
 * Sign-in limits beyond one address: per client (a stranger cycling through addresses), for the
 * whole server, the address forms that could be routed elsewhere, and device tokens that die
 * when unused. A second client is a second loopback address (127.0.0.2) on this machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, postFrom, startTestServer, type TestServer } from './harness.ts';

describe.each(DATABASE_KINDS)('sign-in limits on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, {
      config: {
        limits: { signInStartsPerClientPerHour: 3, signInStartsPerHourTotal: 5 },
      },
    });
  });
  afterAll(() => server.close());

  it('bounds one client cycling through addresses, but not another client; and all of them together', async () => {
    const start = (client: string, address: string) =>
      postFrom(server, client, '/api/v1/auth/start', { address });
    for (const name of ['a1', 'a2', 'a3']) {
      expect((await start('127.0.0.1', `${name}@example.org`)).status).toBe(200);
    }
    const fourth = await start('127.0.0.1', 'a4@example.org');
    expect(fourth.status).toBe(429);
    expect(fourth.body.error?.code).toBe('rate-limited');
    // Another client is not locked out by the first one.
    expect((await start('127.0.0.2', 'b1@example.org')).status).toBe(200);
    expect((await start('127.0.0.2', 'b2@example.org')).status).toBe(200);
    // Five started in total this hour: even a fresh client waits now.
    expect((await start('127.0.0.3', 'c1@example.org')).status).toBe(429);
    server.clock.advanceSeconds(3601);
    expect((await start('127.0.0.1', 'a4@example.org')).status).toBe(200);
  });

  it('refuses quoted local parts and source-routing forms as no email address', async () => {
    server.clock.advanceSeconds(3601);
    const challenges = async () =>
      (await server.db.selectFrom('sign_in_challenges').select('id').execute()).length;
    const before = await challenges();
    for (const address of [
      'mallory%evil.example@example.org',
      'evil.example!mallory@example.org',
      '"mallory@evil.example"@example.org',
      'mallory..x@example.org',
      '@evil.example:mallory@example.org',
    ]) {
      const response = await server.request('POST', '/api/v1/auth/start', { body: { address } });
      expect(response.status, address).toBe(400);
      expect(response.body.error.code).toBe('bad-request');
    }
    // Nothing was started and nothing mailed for any of them.
    expect(await challenges()).toBe(before);
  });

  it('refuses a device token unused for longer than its idle lifetime; each use renews it', async () => {
    server.clock.advanceSeconds(3601);
    const start = await server.request('POST', '/api/v1/auth/start', {
      body: { address: 'dora@example.org' },
    });
    const [mail] = await server.outboxFor('dora@example.org');
    const code = /is (\d{6})\./.exec(mail!.text)![1]!;
    const complete = await server.request('POST', '/api/v1/auth/complete', {
      body: { challengeId: start.body.challengeId, code, deviceName: 'laptop' },
    });
    const token: string = complete.body.token;
    const days = server.config.limits.deviceTokenIdleDays;
    server.clock.advanceSeconds((days - 1) * 86_400);
    expect((await server.request('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    // Used just now: the lifetime starts again.
    server.clock.advanceSeconds((days - 1) * 86_400);
    expect((await server.request('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    server.clock.advanceSeconds(days * 86_400 + 1);
    const expired = await server.request('GET', '/api/v1/auth/me', { token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('unauthorized');
  });
});
