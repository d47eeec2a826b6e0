/**
 * The sender gives an SMS recipient a new number (it was wrong, or the recipient lost the
 * phone): only the sender, only sms locks of an active message; a code pending at the old
 * number dies, a lock-out ends, and the next code goes to the new number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';
import {
  latestCode,
  lock,
  recipientFlow,
  registration,
  shareReleased,
  signedInSender,
} from './messages-fixtures.ts';

const OLD_PHONE = '+4915123456711';
const NEW_PHONE = '+31612345678';

describe.each(DATABASE_KINDS)('a new SMS number from the sender on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signedInSender(server);
  });
  afterAll(() => server.close());

  async function registered() {
    const bob = lock({ method: 'sms', address: 'bob@partner.example', phone: OLD_PHONE });
    const carol = lock({
      method: 'code',
      address: 'carol@partner.example',
      accessCode: 'CAROL-77',
    });
    const body = registration([bob, carol]);
    expect((await server.request('POST', '/api/v1/messages', { body, token: alice })).status).toBe(
      201,
    );
    const base = `/api/v1/messages/${body.messageId}`;
    return {
      bob,
      carol,
      base,
      recipients: recipientFlow(server, body.messageId, [bob, carol]),
      change: (lockId: string, phone: string, token: string | null = alice) =>
        server.request('PUT', `${base}/locks/${lockId}/phone`, {
          body: { phone },
          ...(token === null ? {} : { token }),
        }),
    };
  }

  it('kills the code pending at the old number; the next code goes to the new one', async () => {
    const { bob, recipients, change } = await registered();
    await recipients.start('bob@partner.example');
    const oldCode = await latestCode(server, OLD_PHONE);

    const changed = await change(bob.lockId, '+31 6 12345678');
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ sentTo: '+31 ••• •••• 78' });
    expect((await recipients.complete(bob.lockId, oldCode)).body.error.code).toBe('code-expired');

    // The recipient asks again at once (the resend throttle started afresh too).
    const resent = await recipients.resend(bob.lockId);
    expect(resent.status).toBe(200);
    expect(resent.body.sentTo).toBe('+31 ••• •••• 78');
    const newCode = await latestCode(server, NEW_PHONE);
    expect((await recipients.complete(bob.lockId, newCode)).body).toEqual(
      shareReleased(bob.serverShare),
    );
    expect(server.logText()).not.toContain('12345678');
  });

  it('ends a lock-out: the recipient starts afresh at the new number', async () => {
    const { bob, recipients, change } = await registered();
    await recipients.start('bob@partner.example');
    await server.db
      .updateTable('message_locks')
      .set({ locked_until: new Date(server.clock.now().getTime() + 3_600_000), lockouts: 1 })
      .where('lock_id', '=', bob.lockId)
      .execute();
    expect((await recipients.resend(bob.lockId)).body.error.code).toBe('locked');
    expect((await change(bob.lockId, NEW_PHONE)).status).toBe(200);
    expect((await recipients.resend(bob.lockId)).status).toBe(200);
  });

  it('only for the sender, only for sms locks, only while the message is active', async () => {
    const { bob, carol, base, change } = await registered();
    expect((await change(bob.lockId, NEW_PHONE, null)).status).toBe(401);
    const mallory = await signedInSender(server, 'mallory@example.org');
    expect((await change(bob.lockId, NEW_PHONE, mallory)).status).toBe(403);
    const notSms = await change(carol.lockId, NEW_PHONE);
    expect(notSms.status).toBe(404);
    const invalid = await change(bob.lockId, '+49 123');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('bad-request');
    const stored = await server.db
      .selectFrom('message_locks')
      .select('phone')
      .where('lock_id', '=', bob.lockId)
      .executeTakeFirstOrThrow();
    expect(stored.phone).toBe(OLD_PHONE);
    expect(
      (await server.request('POST', `${base}/revoke`, { body: {}, token: alice })).status,
    ).toBe(200);
    const late = await change(bob.lockId, NEW_PHONE);
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('revoked');
  });
});
