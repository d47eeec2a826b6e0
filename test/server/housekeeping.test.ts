import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';
import { sha256Hex } from '../../src/server/secrets.ts';
import { lock, recipientFlow, registration, signedInSender } from './messages-fixtures.ts';

/** Polls until `check` holds (the schedule runs on its own timer), or fails after `timeoutMs`. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the scheduled housekeeping did not run');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(DATABASE_KINDS)('scheduled housekeeping on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { housekeepingIntervalMs: 100 });
    alice = await signedInSender(server, 'alice@example.org');
  });
  afterAll(() => server.close());

  const payloadCount = async (messageId: string) =>
    (
      await server.db
        .selectFrom('message_payloads')
        .select('message_id')
        .where('message_id', '=', messageId)
        .execute()
    ).length;

  const sharesKept = async (messageId: string) =>
    (
      await server.db
        .selectFrom('message_locks')
        .select('lock_id')
        .where('message_id', '=', messageId)
        .where('server_share', 'is not', null)
        .execute()
    ).length;

  it('deletes the hosted payload and erases the lock secrets of an expired message by itself, and keeps the others', async () => {
    const payload = Buffer.from('sealed').toString('base64');
    const locks = [
      lock({ method: 'email', address: 'bob@partner.example' }),
      lock({ method: 'code', address: 'dan@partner.example', accessCode: 'DAN-4242' }),
    ];
    const ending = registration(locks, { expiresInDays: 1, payload });
    const lasting = registration(locks, { expiresInDays: 3, payload });
    for (const body of [ending, lasting]) {
      const response = await server.request('POST', '/api/v1/messages', { body, token: alice });
      expect(response.status).toBe(201);
    }
    expect(await payloadCount(ending.messageId)).toBe(1);
    server.clock.advanceSeconds(86_400);
    await eventually(async () => (await payloadCount(ending.messageId)) === 0);
    await eventually(async () => (await sharesKept(ending.messageId)) === 0);
    expect(await payloadCount(lasting.messageId)).toBe(1);
    expect(await sharesKept(lasting.messageId)).toBe(2);
    const erased = await server.db
      .selectFrom('message_locks')
      .select(['access_code_digest', 'access_code_salt'])
      .where('message_id', '=', ending.messageId)
      .execute();
    expect(erased.every((row) => row.access_code_digest === null)).toBe(true);
    expect(server.logText()).toContain('erased the payloads and lock secrets of ended messages');
    // The message itself stays (its status and audit), only the ciphertext is gone.
    const status = await server.request('GET', `/api/v1/messages/${ending.messageId}/payload`);
    expect(status.status).not.toBe(200);
  });

  it('deletes verification handles whose hour is over, and keeps live ones', async () => {
    const dan = lock({ method: 'code', address: 'dan@partner.example', accessCode: 'DAN-4242' });
    const body = registration([dan], { expiresInDays: 3 });
    expect((await server.request('POST', '/api/v1/messages', { body, token: alice })).status).toBe(
      201,
    );
    const handles = async () =>
      (
        await server.db
          .selectFrom('verification_handles')
          .select('expires_at')
          .where('message_id', '=', body.messageId)
          .execute()
      ).length;
    await recipientFlow(server, body.messageId, [dan]).handleFor(dan.lockId);
    server.clock.advanceSeconds(1800);
    await recipientFlow(server, body.messageId, [dan]).handleFor(dan.lockId);
    expect(await handles()).toBe(2);
    server.clock.advanceSeconds(1800);
    await eventually(async () => (await handles()) === 1);
  });
  it("deletes the reply tokens of an expired message, and keeps an active one's", async () => {
    const dan = lock({ method: 'code', address: 'dan@partner.example', accessCode: 'DAN-4242' });
    const ending = registration([dan], { expiresInDays: 1 });
    const lasting = registration([dan], { expiresInDays: 3 });
    for (const body of [ending, lasting]) {
      const response = await server.request('POST', '/api/v1/messages', { body, token: alice });
      expect(response.status).toBe(201);
      const opened = await recipientFlow(server, body.messageId, [dan]).complete(
        dan.lockId,
        'DAN-4242',
      );
      expect(opened.body.replyToken).toEqual(expect.any(String));
    }
    const tokens = async (messageId: string) =>
      (
        await server.db
          .selectFrom('reply_tokens')
          .select('token_digest')
          .where('message_id', '=', messageId)
          .execute()
      ).length;
    expect(await tokens(ending.messageId)).toBe(1);
    server.clock.advanceSeconds(86_400);
    await eventually(async () => (await tokens(ending.messageId)) === 0);
    expect(await tokens(lasting.messageId)).toBe(1);
  });

  it('deletes remembered browsers a while after they expired or were removed, by itself', async () => {
    const now = server.clock.now();
    const day = 86_400_000;
    const device = (id: string, expiresAt: Date, removedAt: Date | null) => ({
      id,
      address: 'erin@partner.example',
      secret_digest: sha256Hex(`${id} secret`),
      removal_token_digest: sha256Hex(`${id} token`),
      language: 'en',
      created_at: new Date(expiresAt.getTime() - 30 * day),
      expires_at: expiresAt,
      last_used_at: null,
      removed_at: removedAt,
    });
    await server.db
      .insertInto('recipient_devices')
      .values([
        device('expiredLongAgo00000000', new Date(now.getTime() - 31 * day), null),
        device(
          'removedLongAgo00000000',
          new Date(now.getTime() + day),
          new Date(now.getTime() - 31 * day),
        ),
        device(
          'removedLately000000000',
          new Date(now.getTime() + day),
          new Date(now.getTime() - day),
        ),
        device('inUse00000000000000000', new Date(now.getTime() + day), null),
      ])
      .execute();
    const ids = async () =>
      (await server.db.selectFrom('recipient_devices').select('id').orderBy('id').execute()).map(
        (row) => row.id,
      );
    await eventually(async () => (await ids()).length === 2);
    expect(await ids()).toEqual(['inUse00000000000000000', 'removedLately000000000']);
    expect(server.logText()).toContain('deleted old remembered browsers');
  });
});
