/**
 * "I don't have the code" (`POST …/verify/no-code`) over real HTTP: the mail to the sender (per
 * method and language, threaded, marked, with nothing that opens the message), the status's
 * `codeRequestedAt`, one mail an hour and three in all, a failed mail given back, and the
 * refusals for ended messages and unknown handles.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_LANGUAGES } from '../../src/core/languages.ts';
import type { RegisterLock } from '../../src/core/serverApi.ts';
import { outboxMailer } from '../../src/server/mail/mailer.ts';
import { NO_CODE_MAILS_PER_LOCK } from '../../src/server/messages/noCode.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';
import { latestCode, lock, sealedTo, signedInSender } from './messages-fixtures.ts';

const PHONE = '+4915123456789';
const HOUR = 3600;

const SUBJECTS = {
  en: 'A recipient has no code for your secure message',
  de: 'Eine Empfängerin oder ein Empfänger hat keinen Code für Ihre sichere Nachricht',
  nl: 'Een ontvanger heeft geen code voor uw beveiligde bericht',
  fr: "Un destinataire n'a pas le code de votre message sécurisé",
  es: 'Un destinatario no tiene el código de su mensaje seguro',
  it: 'Un destinatario non ha il codice del tuo messaggio sicuro',
} as const;

describe.each(DATABASE_KINDS)('no code on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  /** Set to make the mailer fail (an SMTP outage). */
  let mailDown = false;
  beforeAll(async () => {
    server = await startTestServer(kind, {
      mailer: (db, clock) => {
        const outbox = outboxMailer(db, clock);
        return {
          send: (mail) => (mailDown ? Promise.reject(new Error('SMTP down')) : outbox.send(mail)),
        };
      },
    });
    alice = await signedInSender(server, 'alice@example.org');
  });
  afterAll(() => server.close());

  /** A message from Alice to these locks, and each lock's handle by address. */
  async function sealed(locks: RegisterLock[], extra: Parameters<typeof sealedTo>[3] = {}) {
    const flow = await sealedTo(server, alice, locks, extra);
    /**
     * The reader's "I don't have the code" for `target`. `again`: the recipient comes back after
     * their handle's hour and confirms the address once more (a new handle).
     */
    const noCode = async (target: RegisterLock, { again = false } = {}) => {
      if (again) expect((await flow.start(target.address)).status).toBe(200);
      return server.request('POST', `${flow.base}/verify/no-code`, {
        body: { handle: await flow.handleFor(target.lockId) },
      });
    };
    const status = async () =>
      (await server.request('GET', `${flow.base}/status`, { token: alice })).body;
    return { ...flow, noCode, status };
  }

  const mailsToAlice = async () => (await server.outboxFor('alice@example.org')).length;
  const newestMailToAlice = async (): Promise<ParsedMail> => {
    const [newest] = await server.outboxFor('alice@example.org');
    if (newest === undefined) throw new Error('no mail to alice');
    return simpleParser(newest.text);
  };

  it('sms: tells the sender in their language, threaded and marked, with the masked number and what to do', async () => {
    const bob = lock({ method: 'sms', address: 'bob@partner.example', phone: PHONE });
    const carol = lock({ method: 'email', address: 'carol@partner.example' });
    const message = await sealed([bob, carol], { senderLanguage: 'de', expiresInDays: 7 });
    const mailMessageId = `<${message.messageId}@mail.example.org>`;
    const stored = await server.request('PUT', `${message.base}/mail-message-id`, {
      body: { mailMessageId },
      token: alice,
    });
    expect(stored.status).toBe(204);
    expect((await message.start('bob@partner.example')).status).toBe(200);
    const smsCode = await latestCode(server, PHONE);
    const sentAt = server.clock.now();

    server.clock.advanceSeconds(120);
    const before = await mailsToAlice();
    const told = await message.noCode(bob);
    expect(told.status).toBe(200);
    expect(told.body).toEqual({ senderToldAt: server.clock.now().toISOString() });
    expect(await mailsToAlice()).toBe(before + 1);

    const mail = await newestMailToAlice();
    expect(mail.from?.value).toEqual([{ name: 'Sealpost', address: 'sealpost@example.org' }]);
    expect(mail.to).toMatchObject({ text: 'alice@example.org' });
    expect(mail.subject).toBe(SUBJECTS.de);
    // A notice, not a sealed mail: the add-on offers "Open secure message" on `X-Sealpost` only.
    expect(mail.headers.get('x-sealpost-notice')).toBe('no-code');
    expect(mail.headers.has('x-sealpost')).toBe(false);
    expect(mail.inReplyTo).toBe(mailMessageId);
    expect(mail.references).toBe(mailMessageId);
    const text = mail.text ?? '';
    expect(text).toContain('bob@partner.example');
    expect(text).toContain(`am ${sentAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    const expiresAt = new Date(sentAt.getTime() + 7 * 86_400_000);
    expect(text).toContain(`bis ${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    expect(text).toContain(`Message-ID Ihrer Mail: ${mailMessageId}`);
    expect(text).toContain('+49 ••• •••• 89');
    expect(text).toContain('„Neue Nummer“');
    // Nothing that opens the message: not the code, not the share, not the number in full.
    expect(text).not.toContain(smsCode);
    expect(text).not.toContain('5123456789');
    expect(text).not.toContain(bob.serverShare);
    expect(text).not.toContain(await message.handleFor(bob.lockId));
    // The other recipient is not named.
    expect(text).not.toContain('carol@');
    // The reader learns only when the sender was told.
    expect(Object.keys(told.body)).toEqual(['senderToldAt']);

    const status = await message.status();
    expect(status.recipients).toMatchObject([
      { lockId: bob.lockId, codeRequestedAt: told.body.senderToldAt },
      { lockId: carol.lockId, codeRequestedAt: null },
    ]);
    // The handle stays out of the log.
    expect(server.logText()).not.toContain(await message.handleFor(bob.lockId));
    expect(server.logLines().some((line) => line.msg === 'no code')).toBe(true);
  });

  it('code and org-code: tell the code another way or unlock; email: look in the spam folder; no Message-ID without one', async () => {
    const dan = lock({ method: 'code', address: 'dan@partner.example', accessCode: 'DAN-4242-QX' });
    const erin = lock({
      method: 'org-code',
      address: 'erin@partner.example',
      accessCode: 'Blue Harbour 9',
    });
    const frank = lock({ method: 'email', address: 'frank@partner.example', hidden: true });
    const message = await sealed([dan, erin, frank]);

    expect((await message.noCode(dan)).status).toBe(200);
    const danMail = await newestMailToAlice();
    expect(danMail.subject).toBe(SUBJECTS.en);
    expect(danMail.inReplyTo).toBeUndefined();
    expect(danMail.text).toContain('dan@partner.example says they do not have the code');
    expect(danMail.text).toContain('access code you chose');
    expect(danMail.text).toContain('by phone');
    expect(danMail.text).toContain('"Unlock"');
    expect(danMail.text).not.toContain('Message-ID');
    expect(danMail.text?.toUpperCase()).not.toContain('DAN4242');

    expect((await message.noCode(erin)).status).toBe(200);
    const erinMail = await newestMailToAlice();
    expect(erinMail.text).toContain("your organisation's access code");
    expect(erinMail.text?.toUpperCase()).not.toMatch(/BLUE\s*HARBOUR/);

    expect((await message.start('frank@partner.example')).status).toBe(200);
    const frankCode = await latestCode(server, 'frank@partner.example');
    expect((await message.noCode(frank)).status).toBe(200);
    const frankMail = await newestMailToAlice();
    expect(frankMail.text).toContain('Their code goes by mail to frank@partner.example');
    expect(frankMail.text).toContain('spam folder');
    expect(frankMail.text).not.toContain(frankCode);
  });

  it('writes in each of the six languages (English without one)', async () => {
    for (const language of [...NOTIFICATION_LANGUAGES, undefined]) {
      const grace = lock({ method: 'email', address: 'grace@partner.example' });
      const message = await sealed([grace], language ? { senderLanguage: language } : {});
      expect((await message.start('grace@partner.example')).status).toBe(200);
      expect((await message.noCode(grace)).status).toBe(200);
      const mail = await newestMailToAlice();
      expect(mail.subject, language).toBe(SUBJECTS[language ?? 'en']);
      expect(mail.text).toContain('grace@partner.example');
    }
  });

  it('one mail an hour: a repeat answers the same time and sends nothing; the fourth in all is refused', async () => {
    const hal = lock({ method: 'code', address: 'hal@partner.example', accessCode: 'HAL-9000-AB' });
    const message = await sealed([hal], { expiresInDays: 10 });
    const mailsBefore = await mailsToAlice();
    const first = await message.noCode(hal);
    expect(first.status).toBe(200);

    server.clock.advanceSeconds(HOUR - 1);
    const repeated = await message.noCode(hal);
    expect(repeated.status).toBe(200);
    expect(repeated.body).toEqual(first.body);
    expect(await mailsToAlice()).toBe(mailsBefore + 1);

    // Parallel repeats after the hour: exactly one of them mails.
    server.clock.advanceSeconds(1);
    expect((await message.start('hal@partner.example')).status).toBe(200);
    const burst = await Promise.all(Array.from({ length: 8 }, () => message.noCode(hal)));
    expect(burst.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect(new Set(burst.map((answer) => answer.body.senderToldAt))).toEqual(
      new Set([server.clock.now().toISOString()]),
    );
    expect(await mailsToAlice()).toBe(mailsBefore + 2);

    server.clock.advanceSeconds(HOUR);
    const third = await message.noCode(hal, { again: true });
    expect(third.status).toBe(200);
    expect(await mailsToAlice()).toBe(mailsBefore + NO_CODE_MAILS_PER_LOCK);

    server.clock.advanceSeconds(HOUR);
    const fourth = await message.noCode(hal, { again: true });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe('rate-limited');
    // Nothing changes before the message ends: wait for its end.
    const expiresAt = Date.parse((await message.status()).expiresAt);
    const untilExpiry = Math.ceil((expiresAt - server.clock.now().getTime()) / 1000);
    expect(fourth.body.error.retryAfterSeconds).toBe(untilExpiry);
    expect(fourth.headers.get('retry-after')).toBe(String(untilExpiry));
    expect(await mailsToAlice()).toBe(mailsBefore + NO_CODE_MAILS_PER_LOCK);
    // The status keeps the last time the sender was told.
    expect((await message.status()).recipients[0].codeRequestedAt).toBe(third.body.senderToldAt);
  });

  it('a mail that cannot be sent is 503 and does not count', async () => {
    const ivy = lock({ method: 'email', address: 'ivy@partner.example' });
    const message = await sealed([ivy]);
    expect((await message.start('ivy@partner.example')).status).toBe(200);
    const mailsBefore = await mailsToAlice();
    mailDown = true;
    try {
      for (let attempt = 0; attempt < NO_CODE_MAILS_PER_LOCK + 1; attempt++) {
        const failed = await message.noCode(ivy);
        expect(failed.status).toBe(503);
        expect(failed.body.error.code).toBe('unavailable');
      }
    } finally {
      mailDown = false;
    }
    expect((await message.status()).recipients[0].codeRequestedAt).toBeNull();
    // At once, and still all three mails.
    for (let mail = 0; mail < NO_CODE_MAILS_PER_LOCK; mail++) {
      expect((await message.noCode(ivy, { again: mail > 0 })).status).toBe(200);
      server.clock.advanceSeconds(HOUR);
    }
    expect(await mailsToAlice()).toBe(mailsBefore + NO_CODE_MAILS_PER_LOCK);
    expect((await message.noCode(ivy, { again: true })).status).toBe(429);
  });

  it('410 for revoked and expired messages before the handle is looked at; 404 for a handle it does not know', async () => {
    const jan = lock({ method: 'code', address: 'jan@partner.example', accessCode: 'JAN-7777-KL' });
    const revoked = await sealed([jan]);
    const handle = await revoked.handleFor(jan.lockId);
    expect(
      (await server.request('POST', `${revoked.base}/revoke`, { body: {}, token: alice })).status,
    ).toBe(200);
    const mailsBefore = await mailsToAlice();
    const refused = await server.request('POST', `${revoked.base}/verify/no-code`, {
      body: { handle },
    });
    expect(refused.status).toBe(410);
    expect(refused.body.error.code).toBe('revoked');

    const expiring = await sealed([jan], { expiresInDays: 1 });
    const expiringHandle = await expiring.handleFor(jan.lockId);
    server.clock.advanceSeconds(86_400);
    const expired = await server.request('POST', `${expiring.base}/verify/no-code`, {
      body: { handle: expiringHandle },
    });
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('expired');

    const other = await sealed([jan]);
    const otherHandle = await other.handleFor(jan.lockId);
    const third = await sealed([jan]);
    for (const unknown of ['A'.repeat(43), otherHandle]) {
      const answer = await server.request('POST', `${third.base}/verify/no-code`, {
        body: { handle: unknown },
      });
      expect(answer.status).toBe(404);
      expect(answer.body.error.message).toMatch(/confirm your address again/);
    }
    const noMessage = await server.request(
      'POST',
      `/api/v1/messages/${crypto.randomUUID()}/verify/no-code`,
      { body: { handle: otherHandle } },
    );
    expect(noMessage.status).toBe(404);
    expect(await mailsToAlice()).toBe(mailsBefore);
    expect((await third.status()).recipients[0].codeRequestedAt).toBeNull();
  });

  it('answers the reader cross-origin, takes small bodies only, and refuses malformed ones', async () => {
    const base = `/api/v1/messages/${crypto.randomUUID()}/verify/no-code`;
    const preflight = await fetch(`${server.baseUrl}${base}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'null',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('null');
    const elsewhere = await fetch(`${server.baseUrl}${base}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    const large = await server.request('POST', base, { body: { handle: 'A'.repeat(5000) } });
    expect(large.status).toBe(413);
    for (const body of [{}, { handle: 'short' }, { handle: 'A'.repeat(43), extra: 1 }]) {
      expect((await server.request('POST', base, { body })).status).toBe(400);
    }
    const withNul = await server.request('POST', base, {
      body: { handle: `${'A'.repeat(42)}\u0000` },
    });
    expect(withNul.status).toBe(400);
  });
});
