import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/server/admin.ts';
import { smtpMailer } from '../../src/server/mail/mailer.ts';
import { adminIo, DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';

/** The 6-digit code in the newest mail to `address` in the outbox. */
async function codeFromOutbox(server: TestServer, address: string): Promise<string> {
  const [mail] = await server.outboxFor(address);
  const code = /is (\d{6})\./.exec(mail?.text ?? '')?.[1];
  if (!code) throw new Error(`no code mailed to ${address}`);
  return code;
}

describe.each(DATABASE_KINDS)('sender sign-in on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.close());

  async function signIn(address: string, deviceName = 'Thunderbird on laptop') {
    const start = await server.request('POST', '/api/v1/auth/start', { body: { address } });
    expect(start.status).toBe(200);
    const code = await codeFromOutbox(server, address.toLowerCase());
    const complete = await server.request('POST', '/api/v1/auth/complete', {
      body: { challengeId: start.body.challengeId, code, deviceName },
    });
    return { start, code, complete };
  }

  it('signs in with the mailed code, knows the sender, and signs out', async () => {
    const { start, code, complete } = await signIn('Alice@Example.org');
    expect(start.body.expiresAt).toBe('2026-03-01T09:10:00.000Z');
    expect(complete.status).toBe(200);
    expect(complete.body.address).toBe('alice@example.org');
    expect(complete.body.organisation).toEqual({
      name: 'Example Ltd',
      domains: ['example.org', 'example.net'],
    });
    const token: string = complete.body.token;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    // An answer carrying a token is kept by no cache.
    expect(complete.headers.get('cache-control')).toBe('no-store');
    // The code is in the mail's text, never in its subject (lock screens, mailbox lists).
    const [mail] = await server.outboxFor('alice@example.org');
    const subjectLine = /^Subject: (.*)$/m.exec(mail!.text)?.[1] ?? '';
    expect(subjectLine).toBe('Your Sealpost sign-in code');
    expect(subjectLine).not.toContain(code);

    const me = await server.request('GET', '/api/v1/auth/me', { token });
    expect(me).toMatchObject({ status: 200, body: { address: 'alice@example.org' } });

    // Stored hashed only: neither the token nor the code is in the database.
    const dump = JSON.stringify([
      await server.db.selectFrom('device_tokens').selectAll().execute(),
      await server.db.selectFrom('sign_in_challenges').selectAll().execute(),
    ]);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(`"${code}"`);

    // The code works once.
    const again = await server.request('POST', '/api/v1/auth/complete', {
      body: { challengeId: start.body.challengeId, code, deviceName: 'x' },
    });
    expect(again.status).toBe(404);

    expect((await server.request('POST', '/api/v1/auth/signout', { token })).status).toBe(204);
    const after = await server.request('GET', '/api/v1/auth/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
  });

  it('never logs the code or the token', async () => {
    const { code, complete } = await signIn('logcheck@example.org');
    await server.request('GET', '/api/v1/auth/me', { token: complete.body.token });
    const log = server.logText();
    expect(log).toContain('/api/v1/auth/complete');
    expect(log).not.toContain(code);
    expect(log).not.toContain(complete.body.token);
  });

  it('refuses addresses outside the organisation, look-alike domains included', async () => {
    for (const address of [
      'mallory@evil.test',
      'mallory@example.org.evil.test',
      'mallory@sub.example.org',
    ]) {
      const response = await server.request('POST', '/api/v1/auth/start', { body: { address } });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
    expect(await server.outboxFor('mallory@evil.test')).toEqual([]);
  });

  it('throttles resending and says when to retry', async () => {
    const first = await server.request('POST', '/api/v1/auth/start', {
      body: { address: 'bob@example.net' },
    });
    expect(first.status).toBe(200);
    server.clock.advanceSeconds(20);
    const second = await server.request('POST', '/api/v1/auth/start', {
      body: { address: 'bob@example.net' },
    });
    expect(second.status).toBe(429);
    expect(second.body.error).toMatchObject({ code: 'rate-limited', retryAfterSeconds: 40 });
    expect(second.headers.get('retry-after')).toBe('40');
    server.clock.advanceSeconds(40);
    expect(
      (await server.request('POST', '/api/v1/auth/start', { body: { address: 'bob@example.net' } }))
        .status,
    ).toBe(200);
  });

  it('locks a challenge after 5 wrong codes, even for the right code', async () => {
    const start = await server.request('POST', '/api/v1/auth/start', {
      body: { address: 'carol@example.org' },
    });
    const code = await codeFromOutbox(server, 'carol@example.org');
    const wrong = code === '000000' ? '000001' : '000000';
    const left: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await server.request('POST', '/api/v1/auth/complete', {
        body: { challengeId: start.body.challengeId, code: wrong, deviceName: 'x' },
      });
      expect(response.status).toBe(403);
      left.push(response.body.error.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const right = await server.request('POST', '/api/v1/auth/complete', {
      body: { challengeId: start.body.challengeId, code, deviceName: 'x' },
    });
    expect(right.status).toBe(423);
    expect(right.body.error.code).toBe('locked');
  });

  it('refuses an expired code', async () => {
    const start = await server.request('POST', '/api/v1/auth/start', {
      body: { address: 'dave@example.org' },
    });
    const code = await codeFromOutbox(server, 'dave@example.org');
    server.clock.advanceSeconds(601);
    const response = await server.request('POST', '/api/v1/auth/complete', {
      body: { challengeId: start.body.challengeId, code, deviceName: 'x' },
    });
    expect(response.status).toBe(410);
    expect(response.body.error.code).toBe('code-expired');
  });

  it('lets an admin list and revoke a device token; the device then gets 401', async () => {
    server.clock.advanceSeconds(120);
    const { complete } = await signIn('erin@example.org', 'Thunderbird on erin-desktop');
    const token: string = complete.body.token;
    expect((await server.request('GET', '/api/v1/auth/me', { token })).status).toBe(200);
    const { lines, io } = adminIo(server);
    expect(await runAdminCommand(['tokens', 'list', '--address', 'erin@example.org'], io)).toBe(0);
    expect(lines).toHaveLength(2);
    const [id, address, device, , , revoked] = lines[1]!.split('\t');
    expect([address, device, revoked]).toEqual([
      'erin@example.org',
      'Thunderbird on erin-desktop',
      '-',
    ]);
    expect(lines.join('\n')).not.toContain(token);

    expect(await runAdminCommand(['tokens', 'revoke', id!], io)).toBe(0);
    const response = await server.request('GET', '/api/v1/auth/me', { token });
    expect(response.status).toBe(401);
    expect(await runAdminCommand(['tokens', 'revoke', id!], io)).toBe(1);
  });

  it('refuses malformed tokens and requests cleanly', async () => {
    expect((await server.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await server.request('GET', '/api/v1/auth/me', { token: 'A'.repeat(43) })).status).toBe(
      401,
    );
    const badCode = await server.request('POST', '/api/v1/auth/complete', {
      body: { challengeId: 'A'.repeat(22), code: '12345', deviceName: 'x' },
    });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.code).toBe('bad-request');
    const extra = await server.request('POST', '/api/v1/auth/start', {
      body: { address: 'a@example.org', admin: true },
    });
    expect(extra.status).toBe(400);
  });
});

describe('sign-in code by real SMTP', () => {
  let server: TestServer;
  let smtp: SMTPServer;
  const received: { to: string; text: string }[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            received.push({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','),
              text: mail.text ?? '',
            });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as { port: number }).port;
    server = await startTestServer('pglite', {
      config: {
        smtp: { host: '127.0.0.1', port, secure: false, from: 'Sealpost <sealpost@example.org>' },
      },
      mailer: () =>
        smtpMailer({
          host: '127.0.0.1',
          port,
          secure: false,
          from: 'Sealpost <sealpost@example.org>',
        }),
    });
  });
  afterAll(async () => {
    await server.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  it('mails the code to the sender and signs in with it', async () => {
    const start = await server.request('POST', '/api/v1/auth/start', {
      body: { address: 'frank@example.org' },
    });
    expect(start.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toBe('frank@example.org');
    const code = /is (\d{6})\./.exec(received[0]!.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const complete = await server.request('POST', '/api/v1/auth/complete', {
      body: { challengeId: start.body.challengeId, code, deviceName: 'x' },
    });
    expect(complete.status).toBe(200);
    expect(await server.outboxFor('frank@example.org')).toEqual([]);
  });
});
