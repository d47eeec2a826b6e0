/**
 * Mail that fails is said, and counted: a real SMTP transport to a port where nothing listens
 * logs why each send failed (the connection refused, never the password or an address), and the
 * server is not ready until a send works again, against a real SMTP server on that same port.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer, type Mailer } from '../../src/server/mail/mailer.ts';
import { startTestServer, type TestServer } from './harness.ts';

const PASSWORD = 'hunter2-smtp-password';

/** A port on 127.0.0.1 with nothing listening (bound once, then closed). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, '127.0.0.1', listening));
  const { port } = probe.address() as { port: number };
  await new Promise((closed) => probe.close(closed));
  return port;
}

describe('mail that fails', () => {
  let server: TestServer;
  let mailer: Mailer;
  let port: number;
  let smtp: SMTPServer | null = null;
  let folder: string;

  beforeAll(async () => {
    port = await closedPort();
    folder = await mkdtemp(join(tmpdir(), 'sealpost-mail-health-'));
    const readerFile = join(folder, 'secure-message.html');
    await writeFile(readerFile, '<!doctype html><title>reader</title>');
    mailer = smtpMailer({
      host: '127.0.0.1',
      port,
      secure: false,
      from: 'Sealpost <sealpost@example.org>',
      user: 'sealpost',
      password: PASSWORD,
    });
    server = await startTestServer('pglite', { mailer: () => mailer, config: { readerFile } });
  });
  afterAll(async () => {
    await server.close();
    mailer.close?.();
    await new Promise<void>((closed) => (smtp ? smtp.close(() => closed()) : closed()));
    await rm(folder, { recursive: true, force: true });
  });

  it('is ready while mail has not failed', async () => {
    expect(await server.request('GET', '/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
  });

  it('logs why a send failed, and is not ready from then on', async () => {
    const start = await server.request('POST', '/api/v1/auth/start', {
      body: { address: 'alice@example.org' },
    });
    expect(start.status).toBe(503);
    const failures = server.logLines().filter((line) => line.mailError !== undefined);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.msg).toBe(
      `mail is failing: ESOCKET: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(mailer.health?.()).toEqual({
      ok: false,
      cause: `ESOCKET: connect ECONNREFUSED 127.0.0.1:${port}`,
    });

    const ready = await server.request('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.error).toEqual({
      code: 'unavailable',
      message: 'Not ready: mail is failing (the cause is in the log).',
    });
    // The mail server's address stays in the log, out of the public answer.
    expect(JSON.stringify(ready.body)).not.toContain(String(port));
  });

  it('is ready again after the next send works, and never logs the password or an address', async () => {
    const refused = 'gone@example.org';
    smtp = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) =>
        auth.password === PASSWORD
          ? callback(null, { user: auth.username })
          : callback(new Error('bad password')),
      onRcptTo: (address, _session, callback) => {
        if (address.address !== refused) return callback();
        const refusal = new Error(`<${refused}>: Recipient address rejected`);
        (refusal as Error & { responseCode: number }).responseCode = 550;
        callback(refusal);
      },
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((listening) => smtp!.listen(port, '127.0.0.1', listening));

    // A refused recipient: the cause is logged without the address.
    await expect(
      mailer.send({ to: refused, subject: 'Test', text: 'Your code is 123456.' }),
    ).rejects.toThrow();
    const cause = server
      .logLines()
      .filter((line) => line.mailError !== undefined)
      .at(-1)!.mailError as string;
    expect(cause).toContain('Recipient address rejected');
    expect(cause).toContain('[address]');

    const start = await server.request('POST', '/api/v1/auth/start', {
      body: { address: 'bob@example.org' },
    });
    expect(start.status).toBe(200);
    expect(mailer.health?.()).toEqual({ ok: true });
    expect(server.logLines().some((line) => line.msg === 'mail works again')).toBe(true);
    expect(await server.request('GET', '/readyz')).toMatchObject({ status: 200 });

    const log = server.logText();
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(refused);
    expect(log).not.toContain('123456');
  });
});
