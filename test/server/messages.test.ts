import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteEndedPayloads } from '../../src/server/payloads/payloadDeletion.ts';
import { READER_HTML_PATH } from '../../src/server/messages/routes.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';
import {
  ensureReaderBuild,
  latestCode,
  lock,
  READER_BUILD_TIMEOUT_MS,
  recipientFlow,
  registration,
  signedInSender,
} from './messages-fixtures.ts';

describe.each(DATABASE_KINDS)('messages on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  let mallory: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signedInSender(server, 'alice@example.org');
    mallory = await signedInSender(server, 'mallory@example.org');
  });
  afterAll(() => server.close());

  const register = (body: unknown, token = alice) =>
    server.request('POST', '/api/v1/messages', { body, token });
  const countRows = async (messageId: string) => ({
    messages: (
      await server.db.selectFrom('messages').select('id').where('id', '=', messageId).execute()
    ).length,
    locks: (
      await server.db
        .selectFrom('message_locks')
        .select('lock_id')
        .where('message_id', '=', messageId)
        .execute()
    ).length,
    payloads: (
      await server.db
        .selectFrom('message_payloads')
        .select('message_id')
        .where('message_id', '=', messageId)
        .execute()
    ).length,
  });

  describe('registration', () => {
    it('registers with the default expiry of 30 days and answers the reader URL', async () => {
      const body = registration([lock({ method: 'email', address: 'bob@partner.example' })]);
      const response = await register(body);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        messageId: body.messageId,
        expiresAt: new Date(server.clock.now().getTime() + 30 * 86_400_000).toISOString(),
        readerUrl: `${server.config.publicUrl}/r/${body.messageId}`,
      });
    });

    it('takes a shorter expiry and refuses one over the maximum', async () => {
      const short = registration([lock({ method: 'email', address: 'bob@partner.example' })], {
        expiresInDays: 2,
      });
      expect((await register(short)).body.expiresAt).toBe(
        new Date(server.clock.now().getTime() + 2 * 86_400_000).toISOString(),
      );
      const long = registration([lock({ method: 'email', address: 'bob@partner.example' })], {
        expiresInDays: server.config.limits.maxExpiryDays + 1,
      });
      const refused = await register(long);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('bad-request');
      expect(await countRows(long.messageId)).toEqual({ messages: 0, locks: 0, payloads: 0 });
    });

    it('refuses a second registration of the same id, by anyone, and keeps the first', async () => {
      const body = registration([lock({ method: 'email', address: 'bob@partner.example' })]);
      expect((await register(body)).status).toBe(201);
      const again = await register({
        ...body,
        locks: [lock({ method: 'email', address: 'eve@evil.example' })],
      });
      expect(again.status).toBe(400);
      expect(again.body.error.code).toBe('bad-request');
      const byOther = await register(body, mallory);
      expect(byOther.status).toBe(400);
      const stored = await server.db
        .selectFrom('message_locks')
        .select('address')
        .where('message_id', '=', body.messageId)
        .execute();
      expect(stored).toEqual([{ address: 'bob@partner.example' }]);
    });

    it('needs a signed-in sender', async () => {
      const body = registration([lock({ method: 'email', address: 'bob@partner.example' })]);
      const response = await server.request('POST', '/api/v1/messages', { body });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
      expect(await countRows(body.messageId)).toEqual({ messages: 0, locks: 0, payloads: 0 });
    });

    it('writes nothing when one lock of several is invalid', async () => {
      const cases = [
        lock({ method: 'sms', address: 'dan@partner.example' }), // no phone
        lock({ method: 'sms', address: 'dan@partner.example', phone: '+49 12' }), // not a number
        lock({ method: 'code', address: 'dan@partner.example' }), // no access code
        lock({ method: 'org-code', address: 'dan@partner.example', accessCode: ' - ' }), // empty when normalised
        lock({ method: 'code', address: 'dan@partner.example', accessCode: '1' }), // below the server minimum
        lock({ method: 'code', address: 'dan@partner.example', accessCode: 'ab-c 12' }), // 5 when normalised
        lock({ method: 'email', address: 'dan@partner.example', accessCode: 'x' }), // a code where none belongs
        lock({ method: 'email', address: 'not an address' }),
      ];
      for (const invalid of cases) {
        const body = registration(
          [lock({ method: 'email', address: 'bob@partner.example' }), invalid],
          {
            payload: Buffer.from('ciphertext').toString('base64'),
          },
        );
        const response = await register(body);
        expect(response.status, JSON.stringify(invalid)).toBe(400);
        expect(response.body.error.code).toBe('bad-request');
        expect(await countRows(body.messageId)).toEqual({ messages: 0, locks: 0, payloads: 0 });
      }
    });

    it('refuses a lock id used twice', async () => {
      const first = lock({ method: 'email', address: 'bob@partner.example' });
      const body = registration([
        first,
        { ...lock({ method: 'email', address: 'carol@partner.example' }), lockId: first.lockId },
      ]);
      const response = await register(body);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain('lockId');
    });

    it('stores phone numbers in E.164 and addresses normalised', async () => {
      const body = registration([
        lock({ method: 'sms', address: ' Dan@Partner.Example ', phone: '+49 (151) 2345-6789' }),
      ]);
      expect((await register(body)).status).toBe(201);
      const row = await server.db
        .selectFrom('message_locks')
        .select(['address', 'phone'])
        .where('message_id', '=', body.messageId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ address: 'dan@partner.example', phone: '+4915123456789' });
    });
  });

  describe('public description and hosted payload', () => {
    it('lists locks with masked hints, none for Bcc, and serves the payload byte for byte', async () => {
      const payload = new Uint8Array(70_000).map((_, index) => (index * 7) % 256);
      const visible = lock({
        method: 'sms',
        address: 'bob@partner.example',
        phone: '+4915123456789',
      });
      const hidden = lock({ method: 'email', address: 'secret-bcc@other.example', hidden: true });
      const body = registration([visible, hidden], {
        payload: Buffer.from(payload).toString('base64'),
        senderName: 'Alice Example',
      });
      expect((await register(body)).status).toBe(201);

      const described = await server.request('GET', `/api/v1/messages/${body.messageId}/public`);
      expect(described.status).toBe(200);
      expect(described.body).toEqual({
        messageId: body.messageId,
        state: 'active',
        expiresAt: expect.any(String),
        hasPayload: true,
        sender: { name: 'Alice Example', address: 'alice@example.org' },
        // No lock ids, and a hidden (Bcc) lock not even as a method.
        locks: [{ method: 'sms', hint: 'b•••@partner.example (+49 ••• •••• 89)' }],
        reply: { maxBytes: 10 * 1024 * 1024 },
        // Remembered browsers are an organisation's opt-in (off by default).
        rememberDevice: null,
      });
      expect(JSON.stringify(described.body)).not.toContain(visible.lockId);
      expect(JSON.stringify(described.body)).not.toContain(hidden.lockId);
      expect(JSON.stringify(described.body)).not.toContain('secret-bcc');
      expect(JSON.stringify(described.body)).not.toContain('23456789');
      // CORS for the reader opened from a file (origin null).
      const fromFile = await server.request('GET', `/api/v1/messages/${body.messageId}/public`, {
        headers: { origin: 'null' },
      });
      expect(fromFile.headers.get('access-control-allow-origin')).toBe('null');

      const fetched = await server.download(`/api/v1/messages/${body.messageId}/payload`);
      expect(fetched.status).toBe(200);
      expect(fetched.headers.get('content-type')).toBe('application/octet-stream');
      expect(fetched.headers.get('content-length')).toBe(String(payload.length));
      expect(fetched.headers.get('cache-control')).toBe('no-store');
      expect(fetched.bytes.equals(Buffer.from(payload))).toBe(true);
      // The reader fetches it cross-origin too (from a file, origin null).
      const fromFileCopy = await server.download(`/api/v1/messages/${body.messageId}/payload`, {
        origin: 'null',
      });
      expect(fromFileCopy.headers.get('access-control-allow-origin')).toBe('null');
      // One byte range (a resumed download).
      const tail = await server.download(`/api/v1/messages/${body.messageId}/payload`, {
        range: 'bytes=2-',
      });
      expect(tail.status).toBe(206);
      expect(tail.headers.get('content-range')).toBe(
        `bytes 2-${payload.length - 1}/${payload.length}`,
      );
      expect(tail.bytes.equals(Buffer.from(payload).subarray(2))).toBe(true);
    });

    it('answers not-found for unknown messages and messages without a hosted copy', async () => {
      const unknown = await server.request(
        'GET',
        '/api/v1/messages/5b0b7a57-5f8a-4b4f-9d5b-0e1f2a3b4c5d/public',
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('not-found');
      const body = registration([lock({ method: 'email', address: 'bob@partner.example' })]);
      await register(body);
      expect(
        (await server.request('GET', `/api/v1/messages/${body.messageId}/public`)).body.hasPayload,
      ).toBe(false);
      const payload = await server.request('GET', `/api/v1/messages/${body.messageId}/payload`);
      expect(payload.status).toBe(404);
    });
  });

  describe('revocation, expiry and read status', () => {
    it('lets only the sender see the status and revoke', async () => {
      const body = registration([lock({ method: 'email', address: 'bob@partner.example' })]);
      await register(body);
      const status = await server.request('GET', `/api/v1/messages/${body.messageId}/status`, {
        token: mallory,
      });
      expect(status.status).toBe(403);
      expect(status.body.error.code).toBe('forbidden');
      const revoke = await server.request('POST', `/api/v1/messages/${body.messageId}/revoke`, {
        body: {},
        token: mallory,
      });
      expect(revoke.status).toBe(403);
      expect(
        (await server.request('GET', `/api/v1/messages/${body.messageId}/public`)).body.state,
      ).toBe('active');
      const anonymous = await server.request('GET', `/api/v1/messages/${body.messageId}/status`);
      expect(anonymous.status).toBe(401);
    });

    it('shows who opened when, and revocation stops everything', async () => {
      const bob = lock({ method: 'sms', address: 'bob@partner.example', phone: '+4915123456789' });
      const carol = lock({
        method: 'code',
        address: 'carol@partner.example',
        accessCode: 'K7QM-X2PA-9FHT',
      });
      const body = registration([bob, carol], {
        payload: Buffer.from('sealed').toString('base64'),
      });
      await register(body);
      const base = `/api/v1/messages/${body.messageId}`;
      const recipients = recipientFlow(server, body.messageId, [bob, carol]);

      await recipients.start('bob@partner.example');
      const code = await latestCode(server, '+4915123456789');
      server.clock.advanceSeconds(5);
      const openedAt = server.clock.now().toISOString();
      expect((await recipients.complete(bob.lockId, code)).status).toBe(200);
      // Carol had typed her address before the sender revoked.
      await recipients.handleFor(carol.lockId);

      const status = await server.request('GET', `${base}/status`, { token: alice });
      expect(status.body).toEqual({
        messageId: body.messageId,
        expiresAt: expect.any(String),
        revokedAt: null,
        recipients: [
          {
            lockId: bob.lockId,
            address: 'bob@partner.example',
            method: 'sms',
            openedAt,
            lockedAt: null,
            lockedUntil: null,
            codeRequestedAt: null,
          },
          {
            lockId: carol.lockId,
            address: 'carol@partner.example',
            method: 'code',
            openedAt: null,
            lockedAt: null,
            lockedUntil: null,
            codeRequestedAt: null,
          },
        ],
      });

      const revoked = await server.request('POST', `${base}/revoke`, { body: {}, token: alice });
      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ revokedAt: server.clock.now().toISOString() });
      // Revoking twice keeps the first time.
      server.clock.advanceSeconds(1);
      expect((await server.request('POST', `${base}/revoke`, { token: alice })).body).toEqual(
        revoked.body,
      );

      expect((await server.request('GET', `${base}/public`)).body).toMatchObject({
        state: 'revoked',
        hasPayload: false,
      });
      expect((await server.request('GET', `${base}/payload`)).body.error.code).toBe('revoked');
      const complete = await recipients.complete(carol.lockId, 'K7QM-X2PA-9FHT');
      expect(complete.status).toBe(410);
      expect(complete.body.error.code).toBe('revoked');
      expect((await server.request('GET', `${base}/status`, { token: alice })).body.revokedAt).toBe(
        revoked.body.revokedAt,
      );
    });

    it('says expired, not wrong code, once the expiry passed', async () => {
      const carol = lock({
        method: 'code',
        address: 'carol@partner.example',
        accessCode: 'K7QM-X2PA-9FHT',
      });
      const body = registration([carol], {
        expiresInDays: 1,
        payload: Buffer.from('sealed').toString('base64'),
      });
      await register(body);
      const base = `/api/v1/messages/${body.messageId}`;
      const recipients = recipientFlow(server, body.messageId, [carol]);
      // Carol typed her address in the message's last minute.
      server.clock.advanceSeconds(86_340);
      await recipients.handleFor(carol.lockId);
      server.clock.advanceSeconds(60);
      expect((await server.request('GET', `${base}/public`)).body.state).toBe('expired');
      expect((await server.request('GET', `${base}/payload`)).body.error.code).toBe('expired');
      for (const code of ['K7QM-X2PA-9FHT', 'WRONG']) {
        const response = await recipients.complete(carol.lockId, code);
        expect(response.status).toBe(410);
        expect(response.body.error.code).toBe('expired');
      }
      const start = await server.request('POST', `${base}/verify/start`, {
        body: { address: 'carol@partner.example' },
      });
      expect(start.body.error.code).toBe('expired');
    });
  });

  it('deletes the hosted payloads of ended messages, and only those', async () => {
    const payload = Buffer.from('sealed').toString('base64');
    const ending = registration([lock({ method: 'email', address: 'bob@partner.example' })], {
      expiresInDays: 1,
      payload,
    });
    const lasting = registration([lock({ method: 'email', address: 'bob@partner.example' })], {
      expiresInDays: 3,
      payload,
    });
    await register(ending);
    await register(lasting);
    server.clock.advanceSeconds(86_400);
    expect(
      await deleteEndedPayloads(server.db, server.payloads, server.clock.now()),
    ).toBeGreaterThanOrEqual(1);
    expect((await countRows(ending.messageId)).payloads).toBe(0);
    expect((await countRows(lasting.messageId)).payloads).toBe(1);
    expect(
      (await server.request('GET', `/api/v1/messages/${lasting.messageId}/payload`)).status,
    ).toBe(200);
  });

  describe('hosted reader', () => {
    beforeAll(ensureReaderBuild, READER_BUILD_TIMEOUT_MS);

    it('serves the reader build with the hosted marker and a policy allowing calls to this server only', async () => {
      const messageId = '0b6c1d52-8a4e-4f55-9b8e-3f1f0e7b6a21';
      const response = await server.request('GET', `/r/${messageId}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = String(response.body);
      const head = html.slice(0, html.search(/<script[\s>]/));
      expect(head).toContain(`<meta name="sealpost-hosted" content="${messageId}" />`);
      expect(html).toContain('>SEALPOST_ENVELOPE</script>');
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("connect-src 'self'");
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
      // The page's own policy (a page obeys every policy it has) lets it reach this server only.
      const metaPolicy = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/
        .exec(head)?.[1]
        ?.replaceAll('&#39;', "'");
      expect(metaPolicy).toBe(policy.replace("; frame-ancestors 'none'", ''));
      expect(metaPolicy).not.toMatch(/https:|127\.0\.0\.1/);
      // The same bytes as the build apart from the head.
      const build = readFileSync(READER_HTML_PATH, 'utf8');
      const tail = build.slice(build.search(/<script[\s>]/));
      expect(html.endsWith(tail)).toBe(true);
    });

    it('refuses anything but a message id', async () => {
      const response = await server.request('GET', '/r/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(response.status).toBe(404);
      expect(String(JSON.stringify(response.body))).not.toContain('<script>');
    });
  });
});
