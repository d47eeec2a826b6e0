/**
 * Attack: a stranger has the link to a message (the notification was forwarded, or read over a
 * shoulder) but not the recipients' addresses, and wants to lock the recipients out by spending
 * their tries. The server lists no lock ids, and `verify/complete` and `verify/resend` take only
 * the handle that `verify/start` gives for a recipient's address, so the stranger touches no
 * counter. Handles are bound to one message, live an hour, are few per lock, and die with
 * revocation.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HANDLE_LIFETIME_SECONDS,
  HANDLES_PER_LOCK,
} from '../../src/server/messages/verificationHandles.ts';
import { DATABASE_KINDS, postFrom, startTestServer, type TestServer } from '../server/harness.ts';
import {
  latestCode,
  lock,
  recipientFlow,
  registration,
  SERVER_START_TIMEOUT_MS,
  signedInSender,
} from '../server/messages-fixtures.ts';

const STRANGER = '127.0.0.2';
const PHONE = '+4915123457001';

describe.each(DATABASE_KINDS)('a stranger with only the link on %s', (kind) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    token = await signedInSender(server);
  }, SERVER_START_TIMEOUT_MS);
  afterAll(() => server.close());

  async function registered() {
    const locks = [
      lock({ method: 'code', address: 'bob@partner.example', accessCode: 'BOB-CODE-77' }),
      lock({ method: 'sms', address: 'carol@partner.example', phone: PHONE }),
      lock({ method: 'email', address: 'hidden@partner.example', hidden: true }),
    ];
    const body = registration(locks);
    expect((await server.request('POST', '/api/v1/messages', { body, token })).status).toBe(201);
    return { locks, base: `/api/v1/messages/${body.messageId}`, messageId: body.messageId };
  }

  async function counters(messageId: string) {
    return server.db
      .selectFrom('message_locks')
      .select(['wrong_access_codes', 'code_tries', 'codes_sent', 'locked_until'])
      .where('message_id', '=', messageId)
      .orderBy('position')
      .execute();
  }

  it('cannot name a lock, so spends no try and sends no code; the recipients open at once', async () => {
    const { locks, base, messageId } = await registered();
    const described = await server.request('GET', `${base}/public`);
    const listed = JSON.stringify(described.body);
    for (const each of locks) expect(listed).not.toContain(each.lockId);
    expect(described.body.locks).toHaveLength(2);
    const before = await counters(messageId);

    // Even with the lock ids (say from a forwarded reader file), a lock id is not a way in.
    for (const each of locks) {
      const byId = await postFrom(server, STRANGER, `${base}/verify/complete`, {
        lockId: each.lockId,
        code: 'GUESS-1',
      });
      expect(byId.status).toBe(400);
      const resendById = await postFrom(server, STRANGER, `${base}/verify/resend`, {
        lockId: each.lockId,
      });
      expect(resendById.status).toBe(400);
    }
    // Made-up handles find nothing, however many.
    for (let attempt = 0; attempt < 50; attempt++) {
      const handle = randomBytes(32).toString('base64url');
      const guess = await postFrom(server, STRANGER, `${base}/verify/complete`, {
        handle,
        code: `GUESS-${attempt}`,
      });
      expect(guess.status).toBe(404);
      expect(guess.body.error?.code).toBe('not-found');
      const resend = await postFrom(server, STRANGER, `${base}/verify/resend`, { handle });
      expect(resend.status).toBe(404);
    }
    expect(await counters(messageId)).toEqual(before);
    expect(await server.outboxFor(PHONE)).toHaveLength(0);

    // The recipients, who know their addresses, open on their first try.
    const recipients = recipientFlow(server, messageId, locks);
    expect((await recipients.complete(locks[0]!.lockId, 'bob code 77')).status).toBe(200);
    expect((await recipients.start('carol@partner.example')).status).toBe(200);
    const code = await latestCode(server, PHONE);
    expect((await recipients.complete(locks[1]!.lockId, code)).status).toBe(200);
  });

  it("a handle opens only its own message's lock", async () => {
    const first = await registered();
    const second = await registered();
    const handle = await recipientFlow(server, first.messageId, first.locks).handleFor(
      first.locks[0]!.lockId,
    );
    const crossed = await server.request('POST', `${second.base}/verify/complete`, {
      body: { handle, code: 'BOB-CODE-77' },
    });
    expect(crossed.status).toBe(404);
    expect((await counters(second.messageId))[0]!.wrong_access_codes).toBe(0);
  });

  it('a handle lives an hour; then the recipient types the address again', async () => {
    const { locks, base, messageId } = await registered();
    const recipients = recipientFlow(server, messageId, locks);
    const handle = await recipients.handleFor(locks[0]!.lockId);
    server.clock.advanceSeconds(HANDLE_LIFETIME_SECONDS);
    const late = await server.request('POST', `${base}/verify/complete`, {
      body: { handle, code: 'BOB-CODE-77' },
    });
    expect(late.status).toBe(404);
    expect(late.body.error.message).toMatch(/confirm your address again/);
    const again = await recipients.start('bob@partner.example');
    expect(again.body.handle).not.toBe(handle);
    expect((await recipients.complete(locks[0]!.lockId, 'BOB-CODE-77')).status).toBe(200);
  });

  it(`keeps ${HANDLES_PER_LOCK} handles per lock: repeated starts do not grow the table`, async () => {
    const { locks, base, messageId } = await registered();
    const recipients = recipientFlow(server, messageId, locks);
    const handles: string[] = [];
    for (let start = 0; start < HANDLES_PER_LOCK + 3; start++) {
      server.clock.advanceSeconds(1);
      handles.push((await recipients.start('bob@partner.example')).body.handle);
    }
    const rows = await server.db
      .selectFrom('verification_handles')
      .select('handle_digest')
      .where('message_id', '=', messageId)
      .execute();
    expect(rows).toHaveLength(HANDLES_PER_LOCK);
    const oldest = await server.request('POST', `${base}/verify/complete`, {
      body: { handle: handles[0], code: 'BOB-CODE-77' },
    });
    expect(oldest.status).toBe(404);
    const newest = await server.request('POST', `${base}/verify/complete`, {
      body: { handle: handles.at(-1), code: 'BOB-CODE-77' },
    });
    expect(newest.status).toBe(200);
  });

  it('revocation deletes the handles', async () => {
    const { locks, base, messageId } = await registered();
    const recipients = recipientFlow(server, messageId, locks);
    await recipients.handleFor(locks[0]!.lockId);
    const count = async () =>
      (
        await server.db
          .selectFrom('verification_handles')
          .select('handle_digest')
          .where('message_id', '=', messageId)
          .execute()
      ).length;
    expect(await count()).toBe(1);
    expect((await server.request('POST', `${base}/revoke`, { body: {}, token })).status).toBe(200);
    expect(await count()).toBe(0);
  });
});
