import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/server/mail/mailer.ts';
import { MAX_CODES_PER_LOCK } from '../../src/server/messages/verification.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';
import {
  latestCode,
  lock,
  recipientFlow,
  registration,
  shareReleased,
  signedInSender,
} from './messages-fixtures.ts';

interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

/** A local SMTP server on 127.0.0.1 that keeps what it receives. */
async function startSmtpSink(): Promise<{
  port: number;
  mails: ReceivedMail[];
  close: () => Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((recipient) => recipient.address).join(','),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const PHONE = '+4915123456789';

describe.each(DATABASE_KINDS)('recipient verification on %s', (kind) => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let alice: string;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startTestServer(kind, {
      mailer: () =>
        smtpMailer({
          host: '127.0.0.1',
          port: smtp.port,
          secure: false,
          from: 'sealpost@example.org',
        }),
    });
    alice = await signedInSender(server);
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  async function registered(
    locks: ReturnType<typeof lock>[],
    extra: Parameters<typeof registration>[1] = {},
  ) {
    const body = registration(locks, extra);
    const response = await server.request('POST', '/api/v1/messages', { body, token: alice });
    expect(response.status).toBe(201);
    const flow = recipientFlow(server, body.messageId, locks);
    return {
      ...flow,
      messageId: body.messageId,
      status: () => server.request('GET', `${flow.base}/status`, { token: alice }),
    };
  }

  it('sms: start sends a code to the phone, the right code releases the share and records the open', async () => {
    const bob = lock({
      method: 'sms',
      address: 'bob@partner.example',
      phone: PHONE,
      language: 'de',
    });
    const message = await registered([
      lock({ method: 'email', address: 'carol@partner.example' }),
      bob,
    ]);
    const started = await message.start(' Bob@Partner.Example ');
    expect(started.status).toBe(200);
    expect(started.body).toEqual({
      handle: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      lockId: bob.lockId,
      method: 'sms',
      sentTo: '+49 ••• •••• 89',
      codeExpiresAt: new Date(server.clock.now().getTime() + 600_000).toISOString(),
    });
    const [sms] = await server.outboxFor(PHONE);
    expect(sms?.channel).toBe('sms');
    expect(sms?.text).toMatch(/^Ihr Sealpost-Code: \d{6} /);
    const code = await latestCode(server, PHONE);

    const wrongCode = code === '000000' ? '000001' : '000000';
    const wrong = await message.complete(bob.lockId, wrongCode);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: 'wrong-code', attemptsLeft: 4 });

    const right = await message.complete(bob.lockId, `${code.slice(0, 3)} ${code.slice(3)}`);
    expect(right.status).toBe(200);
    expect(right.body).toEqual(shareReleased(bob.serverShare));
    expect(right.headers.get('cache-control')).toBe('no-store');
    const status = await message.status();
    expect(status.body.recipients[1]).toMatchObject({
      lockId: bob.lockId,
      openedAt: server.clock.now().toISOString(),
    });
    expect(status.body.recipients[0].openedAt).toBeNull();

    // One-time: the same code does not work twice.
    const again = await message.complete(bob.lockId, code);
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('code-expired');
    // Nothing secret in the log.
    expect(server.logText()).not.toContain(code);
    expect(server.logText()).not.toContain(bob.serverShare);
    expect(server.logText()).not.toContain('15123456789');
  });

  it('email: the code arrives by SMTP and opens the lock; Bcc recipients verify like anyone', async () => {
    const hidden = lock({ method: 'email', address: 'dora@partner.example', hidden: true });
    const message = await registered([
      lock({ method: 'email', address: 'erin@partner.example' }),
      hidden,
    ]);
    const started = await message.start('dora@partner.example');
    expect(started.body).toMatchObject({
      lockId: hidden.lockId,
      method: 'email',
      sentTo: 'd•••@partner.example',
    });
    const mail = smtp.mails.find((received) => received.to === 'dora@partner.example');
    expect(mail?.subject).toBe('Your code to open a secure message');
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const released = await message.complete(hidden.lockId, code);
    expect(released.body).toEqual(shareReleased(hidden.serverShare));
    // Erin got nothing.
    expect(smtp.mails.some((received) => received.to === 'erin@partner.example')).toBe(false);
  });

  it('email: the code mail names whose message it opens (sender, organisation, when sent), in the lock language', async () => {
    const erin = lock({ method: 'email', address: 'erin@partner.example', language: 'nl' });
    const message = await registered([erin], { senderName: 'Alice\nExample\r\nBank:' });
    const { created_at: sentAt } = await server.db
      .selectFrom('messages')
      .select('created_at')
      .where('id', '=', message.messageId)
      .executeTakeFirstOrThrow();
    await message.start('erin@partner.example');
    const mail = smtp.mails.findLast((received) => received.to === 'erin@partner.example');
    expect(mail?.subject).toBe('Uw code om een beveiligd bericht te openen');
    const flat = (mail?.text ?? '').replace(/\s+/g, ' ');
    // A line break in the registered name cannot start a line of its own in the mail.
    expect(flat).toContain(
      `Uw code om het beveiligde bericht te openen dat Alice Example Bank: <alice@example.org> ` +
        `(Example Ltd) u op ${sentAt.toISOString().slice(0, 16).replace('T', ' ')} UTC stuurde, is:`,
    );
    expect(mail?.text).not.toMatch(/^Bank:/m);

    // Without a registered name: the address alone.
    const fay = lock({ method: 'email', address: 'fay@partner.example' });
    const unnamed = await registered([fay]);
    const started = await unnamed.start('fay@partner.example');
    expect(started.status).toBe(200);
    const first = smtp.mails.findLast((received) => received.to === 'fay@partner.example');
    expect(first?.text.replace(/\s+/g, ' ')).toContain(
      'the secure message that alice@example.org (Example Ltd) sent you on',
    );
  });

  it('start: an address that is not a recipient is not-found, and says nothing about others', async () => {
    const message = await registered([
      lock({ method: 'email', address: 'bob@partner.example', hidden: true }),
    ]);
    const response = await message.start('eve@evil.example');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not-found');
    expect(JSON.stringify(response.body)).not.toContain('bob');
  });

  it('start twice within the throttle sends one code; resend is throttled, then replaces the code', async () => {
    const phone = '+4915123456780';
    const bob = lock({ method: 'sms', address: 'bob@partner.example', phone });
    const message = await registered([bob]);
    await message.start('bob@partner.example');
    const first = await latestCode(server, phone);
    const reload = await message.start('bob@partner.example');
    expect(reload.status).toBe(200);
    expect(await server.outboxFor(phone)).toHaveLength(1);

    server.clock.advanceSeconds(20);
    const throttled = await message.resend(bob.lockId);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error).toMatchObject({ code: 'rate-limited', retryAfterSeconds: 40 });
    expect(throttled.headers.get('retry-after')).toBe('40');

    server.clock.advanceSeconds(40);
    const resent = await message.resend(bob.lockId);
    expect(resent.status).toBe(200);
    expect(await server.outboxFor(phone)).toHaveLength(2);
    const second = await latestCode(server, phone);
    if (first !== second) {
      const old = await message.complete(bob.lockId, first);
      expect(old.body.error.code).toBe('wrong-code');
    }
    expect((await message.complete(bob.lockId, second)).body).toEqual(
      shareReleased(bob.serverShare),
    );
  });

  it('one-time codes expire after their lifetime', async () => {
    const phone = '+4915123456781';
    const bob = lock({ method: 'sms', address: 'bob@partner.example', phone });
    const message = await registered([bob]);
    await message.start('bob@partner.example');
    const code = await latestCode(server, phone);
    server.clock.advanceSeconds(600);
    const late = await message.complete(bob.lockId, code);
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('code-expired');
  });

  it('complete after the code was used is code-expired, not wrong-code', async () => {
    const phone = '+4915123456783';
    const bob = lock({ method: 'sms', address: 'bob@partner.example', phone });
    const message = await registered([bob]);
    await message.start('bob@partner.example');
    const code = await latestCode(server, phone);
    expect((await message.complete(bob.lockId, code)).status).toBe(200);
    const response = await message.complete(bob.lockId, code === '123456' ? '654321' : '123456');
    expect(response.body.error.code).toBe('code-expired');
  });

  it('org-code and code: the access code is checked as normalised, nothing is sent', async () => {
    const team = lock({
      method: 'org-code',
      address: 'frank@partner.example',
      accessCode: 'Blue-Harbour 42',
    });
    const single = lock({
      method: 'code',
      address: 'gina@partner.example',
      accessCode: 'K7QM-X2PA-9FHT-3WBN',
    });
    const message = await registered([team, single]);
    const started = await message.start('frank@partner.example');
    expect(started.body).toEqual({
      handle: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      lockId: team.lockId,
      method: 'org-code',
      sentTo: null,
      codeExpiresAt: null,
    });
    expect(await server.outboxFor('frank@partner.example')).toHaveLength(0);
    expect((await message.complete(team.lockId, 'blueharbour42')).body).toEqual(
      shareReleased(team.serverShare),
    );
    expect((await message.complete(single.lockId, 'k7qm x2pa 9fht 3wbn')).body).toEqual(
      shareReleased(single.serverShare),
    );
    // The code of one lock does not open the other.
    const crossed = await message.complete(single.lockId, 'Blue-Harbour 42');
    expect(crossed.body.error).toMatchObject({ code: 'wrong-code', attemptsLeft: 9 });
  });

  it('a right access code does not use up a try; wrong ones count to the limit, then the lock is locked', async () => {
    const gina = lock({ method: 'code', address: 'gina@partner.example', accessCode: 'K7QM-X2PA' });
    const message = await registered([gina]);
    const limit = server.config.limits.accessCodeTries;
    expect((await message.complete(gina.lockId, 'K7QMX2PA')).status).toBe(200);
    for (let attempt = 1; attempt < limit; attempt++) {
      const wrong = await message.complete(gina.lockId, `guess-${attempt}`);
      expect(wrong.body.error).toMatchObject({ code: 'wrong-code', attemptsLeft: limit - attempt });
    }
    const last = await message.complete(gina.lockId, 'last-guess');
    expect(last.status).toBe(423);
    expect(last.body.error.code).toBe('locked');
    const right = await message.complete(gina.lockId, 'K7QMX2PA');
    expect(right.body.error.code).toBe('locked');
    const status = await message.status();
    expect(status.body.recipients[0].lockedAt).toBe(server.clock.now().toISOString());
    expect((await message.start('gina@partner.example')).body.error.code).toBe('locked');
  });

  it('a lock-out ends by itself: 15 minutes, then doubling; the sender is told by mail and can unlock', async () => {
    const hanna = lock({
      method: 'code',
      address: 'hanna@partner.example',
      accessCode: 'HN7Q-2XPA',
    });
    const message = await registered([hanna]);
    const limit = server.config.limits.accessCodeTries;
    const exhaust = async () => {
      let last = await message.complete(hanna.lockId, 'nope-0');
      for (let attempt = 1; attempt < limit; attempt++) {
        last = await message.complete(hanna.lockId, `nope-${attempt}`);
      }
      return last;
    };
    const first = await exhaust();
    expect(first.status).toBe(423);
    expect(first.body.error).toMatchObject({ code: 'locked', retryAfterSeconds: 15 * 60 });
    // The sender (alice@example.org) is told, with the recipient and when it opens again.
    const told = smtp.mails.filter(
      (mail) => mail.to === 'alice@example.org' && mail.text.includes('hanna@partner.example'),
    );
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toBe('A recipient of your secure message was locked out');
    expect(told[0]!.text).toContain('hanna@partner.example entered too many wrong codes');
    expect(told[0]!.text).not.toContain('HN7Q');
    // Still locked a moment before the end, open at the end: the right code works again.
    server.clock.advanceSeconds(15 * 60 - 1);
    expect((await message.complete(hanna.lockId, 'HN7Q2XPA')).body.error.code).toBe('locked');
    server.clock.advanceSeconds(1);
    expect((await message.status()).body.recipients[0].lockedAt).toBeNull();
    // The next lock-out lasts twice as long.
    const second = await exhaust();
    expect(second.body.error).toMatchObject({ code: 'locked', retryAfterSeconds: 30 * 60 });
    // True now: the sender was mailed (above), and the recipient is told so.
    expect(second.body.error.message).toMatch(/The sender has been told/);
    expect((await message.status()).body.recipients[0]).toMatchObject({
      lockedUntil: new Date(server.clock.now().getTime() + 30 * 60_000).toISOString(),
    });
    // The sender unlocks at once (only the sender may).
    const base = `/api/v1/messages/${message.messageId}/locks/${hanna.lockId}/unlock`;
    expect((await server.request('POST', base, { body: {} })).status).toBe(401);
    const stranger = await signedInSender(server, 'mallory@example.org');
    expect((await server.request('POST', base, { body: {}, token: stranger })).status).toBe(403);
    expect((await server.request('POST', base, { body: {}, token: alice })).status).toBe(204);
    expect((await message.complete(hanna.lockId, 'HN7Q2XPA')).status).toBe(200);
  });

  it('bounds online guessing for a whole year of lock-outs (documented: at most 160 guesses)', async () => {
    const ivo = lock({ method: 'code', address: 'ivo@partner.example', accessCode: 'IV0Q-8ZPA' });
    const message = await registered([ivo], { expiresInDays: 365 });
    const end = server.clock.now().getTime() + 365 * 86_400_000;
    let guesses = 0;
    while (server.clock.now().getTime() < end) {
      const answer = await message.complete(ivo.lockId, `guess-${guesses}`);
      if (answer.body.error?.code === 'locked') {
        server.clock.advanceSeconds(answer.body.error.retryAfterSeconds);
        continue;
      }
      if (answer.body.error?.code === 'not-found') {
        // The handle outlived its hour: the guesser (who knows the address) starts again.
        expect((await message.start('ivo@partner.example')).status).toBe(200);
        continue;
      }
      if (answer.body.error?.code !== 'wrong-code') break;
      guesses++;
    }
    expect(guesses).toBeLessThanOrEqual(160);
    expect(guesses).toBeGreaterThan(100);
    // A year passed on the server's clock: the sender signs in again for the next tests.
    alice = await signedInSender(server);
  }, 60_000);

  it(`one-time codes: ${5} tries per code, ${MAX_CODES_PER_LOCK} codes per lock, then locked`, async () => {
    const phone = '+4915123456782';
    const bob = lock({ method: 'sms', address: 'bob@partner.example', phone });
    const message = await registered([bob]);
    const tries = server.config.limits.codeTries;
    for (let sent = 1; sent <= MAX_CODES_PER_LOCK; sent++) {
      const started =
        sent === 1 ? await message.start('bob@partner.example') : await message.resend(bob.lockId);
      expect(started.status, `code ${sent}`).toBe(200);
      const code = await latestCode(server, phone);
      const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      for (let attempt = 1; attempt <= tries; attempt++) {
        const wrong = await message.complete(bob.lockId, wrongCode);
        if (sent === MAX_CODES_PER_LOCK && attempt === tries) {
          expect(wrong.body.error.code).toBe('locked');
        } else {
          expect(wrong.body.error).toMatchObject({
            code: 'wrong-code',
            attemptsLeft: tries - attempt,
          });
        }
      }
      if (sent < MAX_CODES_PER_LOCK) {
        // The spent code is dead even when right.
        expect((await message.complete(bob.lockId, code)).body.error.code).toBe('code-expired');
      } else {
        expect((await message.complete(bob.lockId, code)).body.error.code).toBe('locked');
      }
      server.clock.advanceSeconds(server.config.limits.resendThrottleSeconds);
    }
    expect((await message.resend(bob.lockId)).body.error.code).toBe('locked');
    expect((await message.status()).body.recipients[0].lockedAt).not.toBeNull();
  });

  it('a provider failure is unavailable and does not count as a sent code', async () => {
    const failing = await startTestServer(kind, {
      mailer: () => ({ send: () => Promise.reject(new Error('SMTP down')) }),
    });
    try {
      const token = await signedInSender(failing);
      const bob = lock({ method: 'email', address: 'bob@partner.example' });
      const body = registration([bob]);
      await failing.request('POST', '/api/v1/messages', { body, token });
      const response = await failing.request(
        'POST',
        `/api/v1/messages/${body.messageId}/verify/start`,
        {
          body: { address: 'bob@partner.example' },
        },
      );
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('unavailable');
      const row = await failing.db
        .selectFrom('message_locks')
        .select(['codes_sent', 'code_digest', 'code_sent_at'])
        .where('lock_id', '=', bob.lockId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ codes_sent: 0, code_digest: null, code_sent_at: null });
    } finally {
      await failing.close();
    }
  });
});
