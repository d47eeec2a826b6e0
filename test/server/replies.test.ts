/**
 * Replies through the server (`POST …/replies`, `PUT …/mail-message-id`) over real HTTP: a reply
 * token only after a passed factor, the mail to the sender (threaded, marked, with the reader and
 * the reply's envelope attached), the limits, ended messages, and the sender's Message-ID.
 */
import { randomBytes } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractEnvelopeJson, parseEnvelope } from '../../src/core/envelopeCodec.ts';
import { inlineEnvelope } from '../helpers/inlineEnvelope.ts';
import type { RegisterLock } from '../../src/core/serverApi.ts';
import { createServerClient } from '../../src/core/serverClient.ts';
import { outboxMailer } from '../../src/server/mail/mailer.ts';
import * as openpgp from 'openpgp';
import { v6Key } from './keys-fixtures.ts';
import { DATABASE_KINDS, postFrom, startTestServer, type TestServer } from './harness.ts';
import {
  ensureReaderBuild,
  lock,
  READER_BUILD_TIMEOUT_MS,
  recipientFlow,
  registration,
  signedInSender,
} from './messages-fixtures.ts';

const MAX_BYTES = 3000;
const REPLIES_PER_LOCK = 3;
const BOB_CODE = 'K7QM-X2PA-9FHT';
const CAROL_CODE = 'W4RT-Z8QP-2MKD';
const FINGERPRINT = randomBytes(32).toString('hex').toUpperCase();

/** A payload of `bytes` random bytes, base64. */
const payloadOf = (bytes: number) => randomBytes(bytes).toString('base64');

describe.each(DATABASE_KINDS)('replies on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  let mallory: string;
  /** Set to make the mailer fail (an SMTP outage). */
  let mailDown = false;
  beforeAll(async () => {
    ensureReaderBuild();
    server = await startTestServer(kind, {
      config: { limits: { repliesPerLock: REPLIES_PER_LOCK, replyMaxBytes: MAX_BYTES } },
      mailer: (db, clock) => {
        const outbox = outboxMailer(db, clock);
        return {
          send: (mail) => (mailDown ? Promise.reject(new Error('SMTP down')) : outbox.send(mail)),
        };
      },
    });
    alice = await signedInSender(server, 'alice@example.org');
    mallory = await signedInSender(server, 'mallory@example.org');
  }, READER_BUILD_TIMEOUT_MS);
  afterAll(() => server.close());

  /** A message from Alice to Bob (and Carol), both with an access code. */
  async function sealed(extra: Parameters<typeof registration>[1] = {}) {
    const bob = lock({ method: 'code', address: 'bob@partner.example', accessCode: BOB_CODE });
    const carol = lock({
      method: 'code',
      address: 'carol@partner.example',
      accessCode: CAROL_CODE,
    });
    const locks: RegisterLock[] = [bob, carol];
    const body = registration(locks, extra);
    const registered = await server.request('POST', '/api/v1/messages', { body, token: alice });
    expect(registered.status).toBe(201);
    const flow = recipientFlow(server, body.messageId, locks);
    const tokenOf = async (which: RegisterLock, code: string): Promise<string> => {
      const opened = await flow.complete(which.lockId, code);
      expect(opened.status).toBe(200);
      return opened.body.replyToken as string;
    };
    return {
      messageId: body.messageId,
      base: flow.base,
      flow,
      bob,
      carol,
      bobToken: () => tokenOf(bob, BOB_CODE),
      carolToken: () => tokenOf(carol, CAROL_CODE),
    };
  }

  const postReply = (base: string, body: unknown) =>
    server.request('POST', `${base}/replies`, { body });
  const reply = (replyToken: string, payload = payloadOf(1200)) => ({
    replyToken,
    payload,
    keyFingerprint: FINGERPRINT,
  });
  const mailsToAlice = async () => (await server.outboxFor('alice@example.org')).length;
  const newestMailToAlice = async (): Promise<ParsedMail> => {
    const [newest] = await server.outboxFor('alice@example.org');
    if (newest === undefined) throw new Error('no mail to alice');
    return simpleParser(newest.text);
  };

  it('gives a reply token only after a passed factor; a made-up token is refused', async () => {
    const message = await sealed();
    const described = await server.request('GET', `${message.base}/public`);
    expect(described.body.reply).toEqual({ maxBytes: MAX_BYTES });

    const started = await message.flow.start('bob@partner.example');
    expect(started.status).toBe(200);
    expect(started.body).not.toHaveProperty('replyToken');
    const wrong = await message.flow.complete(message.bob.lockId, 'WRNG-CODE-0000');
    expect(wrong.status).toBe(403);
    expect(wrong.body).not.toHaveProperty('replyToken');

    const before = await mailsToAlice();
    const madeUp = await postReply(message.base, reply(randomBytes(32).toString('base64url')));
    expect(madeUp.status).toBe(403);
    expect(madeUp.body.error.code).toBe('forbidden');
    // The verification handle is no reply token either.
    const handle = await message.flow.handleFor(message.bob.lockId);
    expect((await postReply(message.base, reply(handle))).status).toBe(403);
    expect(await mailsToAlice()).toBe(before);

    const token = await message.bobToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sent = await postReply(message.base, reply(token));
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({
      replyId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ),
      sentAt: server.clock.now().toISOString(),
    });
    expect(await mailsToAlice()).toBe(before + 1);
  });

  it("gives the hosted reader the sender's published key for replies, while the message is active", async () => {
    const message = await sealed();
    // No published key: nothing to offer.
    expect((await server.request('GET', `${message.base}/public`)).body).not.toHaveProperty(
      'replyKey',
    );
    const key = await v6Key('alice@example.org');
    const published = await server.request('PUT', '/api/v1/me/key', {
      body: { publicKey: key.publicKey },
      token: alice,
    });
    expect(published.status).toBe(200);
    const described = await server.request('GET', `${message.base}/public`);
    const offered = await openpgp.readKey({
      binaryKey: Buffer.from(described.body.replyKey as string, 'base64'),
    });
    expect(offered.getFingerprint().toUpperCase()).toBe(key.fingerprint);
    expect(offered.isPrivate()).toBe(false);
    // Ended: no key (nothing can be replied to).
    expect(
      (await server.request('POST', `${message.base}/revoke`, { body: {}, token: alice })).status,
    ).toBe(200);
    expect((await server.request('GET', `${message.base}/public`)).body).not.toHaveProperty(
      'replyKey',
    );
    expect((await server.request('DELETE', '/api/v1/me/key', { token: alice })).status).toBe(204);
  });

  it('mails the reply to the sender: threaded, marked, in their language, with the reply sealed in the reader', async () => {
    const message = await sealed({ senderLanguage: 'de' });
    const client = createServerClient({
      baseUrl: server.baseUrl,
      token: alice,
      fetch: (input, init) => fetch(input, init),
    });
    const mailMessageId = `<${message.messageId}@mail.example.org>`;
    expect(await client.setMailMessageId(message.messageId, mailMessageId)).toEqual({
      ok: true,
      value: null,
    });

    const token = await message.bobToken();
    const bytes = randomBytes(2000);
    const payload = bytes.toString('base64');
    const sent = await postReply(message.base, reply(token, payload));
    expect(sent.status).toBe(201);

    const mail = await newestMailToAlice();
    expect(mail.from?.value).toEqual([{ name: 'Sealpost', address: 'sealpost@example.org' }]);
    expect(mail.to).toMatchObject({ text: 'alice@example.org' });
    // Answering it goes to the recipient who passed the factor, not to the server.
    expect(mail.replyTo).toMatchObject({ text: 'bob@partner.example' });
    expect(mail.subject).toBe('Sichere Antwort auf Ihre Nachricht');
    expect(mail.inReplyTo).toBe(mailMessageId);
    expect(mail.references).toBe(mailMessageId);
    expect(mail.headers.get('x-sealpost')).toBe('1');
    expect(mail.headers.get('x-sealpost-message-id')).toBe(sent.body.replyId);
    expect(mail.headers.get('x-sealpost-reply-to')).toBe(message.messageId);
    expect(mail.text).toContain('bob@partner.example');
    // Which message it answers, for clients that show no threads: the day it was sent.
    const { created_at: sentAt } = await server.db
      .selectFrom('messages')
      .select('created_at')
      .where('id', '=', message.messageId)
      .executeTakeFirstOrThrow();
    expect(mail.text?.replace(/\s+/g, ' ')).toContain(
      `auf die Nachricht geantwortet, die Sie am ` +
        `${sentAt.toISOString().slice(0, 16).replace('T', ' ')} UTC mit Sealpost gesendet haben.`,
    );
    expect(mail.text).toContain('„Sichere Nachricht öffnen“');
    expect(mail.text).not.toContain(payload.slice(0, 40));

    expect(mail.attachments.map((attachment) => attachment.filename)).toEqual([
      'secure-message.html',
    ]);
    const html = mail.attachments[0]!.content.toString('utf8');
    const parsed = parseEnvelope(extractEnvelopeJson(html) ?? '');
    expect(parsed).toEqual({
      ok: true,
      envelope: {
        format: 'sealpost-envelope',
        version: 1,
        messageId: sent.body.replyId,
        createdAt: sent.body.sentAt,
        serverUrl: server.config.publicUrl,
        sender: { name: '', address: 'bob@partner.example' },
        languages: ['de'],
        locks: [{ method: 'account', language: 'de', fingerprint: FINGERPRINT }],
        payload,
      },
    });
    if (!parsed.ok) return;
    expect(Buffer.from(inlineEnvelope(parsed.envelope).payload, 'base64').equals(bytes)).toBe(true);

    // Recorded by size only; the log names neither the token nor the payload.
    const recorded = await server.db
      .selectFrom('message_replies')
      .selectAll()
      .where('message_id', '=', message.messageId)
      .execute();
    expect(recorded).toEqual([
      {
        id: sent.body.replyId,
        message_id: message.messageId,
        lock_id: message.bob.lockId,
        size_bytes: 2000,
        sent_at: server.clock.now(),
      },
    ]);
    expect(server.logText()).not.toContain(token);
    expect(server.logText()).not.toContain(payload.slice(0, 40));
    expect(
      server.logLines().some((line) => line.msg === 'reply' && line.outcome === 'mailed'),
    ).toBe(true);
  });

  it('without a Message-ID or a sender language: no threading headers, English', async () => {
    const message = await sealed();
    const sent = await postReply(message.base, reply(await message.carolToken()));
    expect(sent.status).toBe(201);
    const mail = await newestMailToAlice();
    expect(mail.subject).toBe('Secure reply to your message');
    expect(mail.text).toContain('carol@partner.example');
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.headers.has('references')).toBe(false);
    const parsed = parseEnvelope(
      extractEnvelopeJson(mail.attachments[0]!.content.toString()) ?? '',
    );
    expect(parsed.ok && parsed.envelope.languages).toEqual(['en']);
  });

  it('limits replies per lock (429), their size (413), and refuses what is not base64 (400)', async () => {
    const message = await sealed();
    const bobToken = await message.bobToken();
    for (let sent = 0; sent < REPLIES_PER_LOCK; sent++) {
      expect((await postReply(message.base, reply(bobToken))).status).toBe(201);
    }
    // A new verification does not give more: the count is the lock's.
    const again = await postReply(message.base, reply(await message.bobToken()));
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('rate-limited');
    // Carol's lock has its own.
    const carolToken = await message.carolToken();
    expect((await postReply(message.base, reply(carolToken, payloadOf(MAX_BYTES)))).status).toBe(
      201,
    );

    const before = await mailsToAlice();
    // One byte over; over the schema's length; over the route's body limit.
    for (const payload of [
      payloadOf(MAX_BYTES + 1),
      payloadOf(MAX_BYTES + 600),
      payloadOf(MAX_BYTES * 3),
    ]) {
      const tooLarge = await postReply(message.base, reply(carolToken, payload));
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.error.code).toBe('payload-too-large');
    }
    for (const body of [
      reply(carolToken, 'AB=='), // not canonical
      reply(carolToken, 'A!B='),
      { ...reply(carolToken), keyFingerprint: FINGERPRINT.toLowerCase() },
      { ...reply(carolToken), keyFingerprint: FINGERPRINT.slice(0, 50) },
      { ...reply(carolToken), extra: true },
      { replyToken: carolToken, payload: payloadOf(10) },
    ]) {
      const refused = await postReply(message.base, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('bad-request');
    }
    expect(await mailsToAlice()).toBe(before);
    // Refusals did not count: Carol has the rest of her replies.
    for (let sent = 1; sent < REPLIES_PER_LOCK; sent++) {
      expect((await postReply(message.base, reply(carolToken))).status).toBe(201);
    }
    expect((await postReply(message.base, reply(carolToken))).status).toBe(429);
  });

  it('a reply that could not be mailed does not count (503)', async () => {
    const message = await sealed();
    const token = await message.bobToken();
    mailDown = true;
    try {
      for (let tried = 0; tried <= REPLIES_PER_LOCK; tried++) {
        const failed = await postReply(message.base, reply(token));
        expect(failed.status).toBe(503);
        expect(failed.body.error.code).toBe('unavailable');
      }
    } finally {
      mailDown = false;
    }
    expect((await postReply(message.base, reply(token))).status).toBe(201);
    const recorded = await server.db
      .selectFrom('message_replies')
      .select('id')
      .where('message_id', '=', message.messageId)
      .execute();
    expect(recorded).toHaveLength(1);
  });

  it('refuses replies to revoked and expired messages (410), even before reading a large body', async () => {
    const revokedMessage = await sealed();
    const revokedToken = await revokedMessage.bobToken();
    const revoke = await server.request('POST', `${revokedMessage.base}/revoke`, { token: alice });
    expect(revoke.status).toBe(200);
    const refused = await postReply(revokedMessage.base, reply(revokedToken));
    expect(refused.status).toBe(410);
    expect(refused.body.error.code).toBe('revoked');
    // The message is checked before the body is read: a body over the limit is still "revoked".
    const large = await postReply(
      revokedMessage.base,
      reply(revokedToken, payloadOf(MAX_BYTES * 3)),
    );
    expect(large.status).toBe(410);

    const expiring = await sealed({ expiresInDays: 1 });
    const expiringToken = await expiring.bobToken();
    server.clock.advanceSeconds(86_400);
    const expired = await postReply(expiring.base, reply(expiringToken));
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('expired');

    const unknown = await postReply(
      '/api/v1/messages/0b6c1d52-8a4e-4f55-9b8e-3f1f0e7b6a21',
      reply(expiringToken),
    );
    expect(unknown.status).toBe(404);
  });

  it('limits wrong tokens per message and client (429), other clients unaffected', async () => {
    const message = await sealed();
    const token = await message.bobToken();
    const guess = () => reply(randomBytes(32).toString('base64url'));
    for (let miss = 0; miss < 20; miss++) {
      expect((await postFrom(server, '127.0.0.1', `${message.base}/replies`, guess())).status).toBe(
        403,
      );
    }
    const blocked = await postFrom(server, '127.0.0.1', `${message.base}/replies`, guess());
    expect(blocked.status).toBe(429);
    // Even a right token, from this client, for this hour.
    const rightButBlocked = await postFrom(
      server,
      '127.0.0.1',
      `${message.base}/replies`,
      reply(token),
    );
    expect(rightButBlocked.status).toBe(429);
    const otherClient = await postFrom(
      server,
      '127.0.0.2',
      `${message.base}/replies`,
      reply(token),
    );
    expect(otherClient.status).toBe(201);
  });

  it('answers the reader cross-origin (origin null)', async () => {
    const message = await sealed();
    const preflight = await server.request('OPTIONS', `${message.base}/replies`, {
      headers: {
        origin: 'null',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('null');
  });

  it('stores the Message-ID for the owner only', async () => {
    const message = await sealed();
    const path = `${message.base}/mail-message-id`;
    const body = { mailMessageId: '<abc.123@mail.example.org>' };
    const stored = async () =>
      (
        await server.db
          .selectFrom('messages')
          .select('mail_message_id')
          .where('id', '=', message.messageId)
          .executeTakeFirstOrThrow()
      ).mail_message_id;

    const stranger = await server.request('PUT', path, { body });
    expect(stranger.status).toBe(401);
    const other = await server.request('PUT', path, { body, token: mallory });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
    const unknown = await server.request(
      'PUT',
      '/api/v1/messages/0b6c1d52-8a4e-4f55-9b8e-3f1f0e7b6a21/mail-message-id',
      { body, token: alice },
    );
    expect(unknown.status).toBe(404);
    for (const mailMessageId of [
      'abc@mail.example.org',
      '<abc@mail.example.org>\r\nBcc: eve@example.net',
      '<a b@mail.example.org>',
      '<<abc@mail.example.org>>',
      `<${'a'.repeat(501)}>`,
    ]) {
      const refused = await server.request('PUT', path, { body: { mailMessageId }, token: alice });
      expect(refused.status).toBe(400);
    }
    expect(await stored()).toBeNull();

    const saved = await server.request('PUT', path, { body, token: alice });
    expect(saved.status).toBe(204);
    expect(await stored()).toBe(body.mailMessageId);
  });

  it('registration takes a sender language of the list only', async () => {
    const body = registration(
      [lock({ method: 'code', address: 'bob@partner.example', accessCode: BOB_CODE })],
      { senderLanguage: 'nl' },
    );
    expect((await server.request('POST', '/api/v1/messages', { body, token: alice })).status).toBe(
      201,
    );
    const row = await server.db
      .selectFrom('messages')
      .select('sender_language')
      .where('id', '=', body.messageId)
      .executeTakeFirstOrThrow();
    expect(row.sender_language).toBe('nl');
    const klingon = { ...registration(body.locks), senderLanguage: 'tlh' };
    expect(
      (await server.request('POST', '/api/v1/messages', { body: klingon, token: alice })).status,
    ).toBe(400);
  });
});

describe.each(DATABASE_KINDS)('a server without replies on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { config: { replies: { enabled: false } } });
    alice = await signedInSender(server, 'alice@example.org');
  });
  afterAll(() => server.close());

  it('says so, hands out no reply tokens and takes no replies', async () => {
    const bob = lock({ method: 'code', address: 'bob@partner.example', accessCode: BOB_CODE });
    const body = registration([bob]);
    expect((await server.request('POST', '/api/v1/messages', { body, token: alice })).status).toBe(
      201,
    );
    const flow = recipientFlow(server, body.messageId, [bob]);
    expect(
      (
        await server.request('PUT', '/api/v1/me/key', {
          body: { publicKey: (await v6Key('alice@example.org')).publicKey },
          token: alice,
        })
      ).status,
    ).toBe(200);
    const described = (await server.request('GET', `${flow.base}/public`)).body;
    expect(described.reply).toBeNull();
    expect(described).not.toHaveProperty('replyKey');
    const opened = await flow.complete(bob.lockId, BOB_CODE);
    expect(opened.status).toBe(200);
    expect(Object.keys(opened.body)).toEqual(['serverShare']);
    const refused = await server.request('POST', `${flow.base}/replies`, {
      body: { replyToken: 'a'.repeat(43), payload: payloadOf(10), keyFingerprint: FINGERPRINT },
    });
    expect(refused.status).toBe(404);
    expect(await server.db.selectFrom('reply_tokens').selectAll().execute()).toEqual([]);
  });
});
