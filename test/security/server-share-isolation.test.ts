/**
 * Attack: a recipient who passed their own factor tries to open someone else's lock with the
 * share they got, or anyone tries to get a share from a message that is expired or revoked.
 * Real crypto throughout: the payload is sealed with deriveLockPassword passwords, as the add-on
 * does, and opened with openWithPassword, as the reader does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShare, deriveLockPassword } from '../../src/core/serverLock.ts';
import { openWithPassword, sealPayload } from '../../src/crypto/index.ts';
import type { RegisterLock } from '../../src/core/serverApi.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../server/harness.ts';
import {
  latestCode,
  lock,
  recipientFlow,
  registration,
  SERVER_START_TIMEOUT_MS,
  signedInSender,
} from '../server/messages-fixtures.ts';
import { LIGHT_CRYPTO_CONFIG } from '../unit/crypto/testCrypto.ts';

const plaintext = new TextEncoder().encode('Quarterly figures: only for Bob and Carol.');

async function password(
  messageId: string,
  sealedLock: RegisterLock,
  mailShare: string,
  serverShare: string,
  accessCode?: string,
) {
  const derived = await deriveLockPassword({
    messageId,
    lockId: sealedLock.lockId,
    mailShare,
    serverShare,
    ...(accessCode !== undefined ? { accessCode } : {}),
  });
  if (!derived.ok) throw new Error('share damaged');
  return derived.password;
}

describe.each(DATABASE_KINDS)('server share isolation on %s', (kind) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    token = await signedInSender(server);
  }, SERVER_START_TIMEOUT_MS);
  afterAll(() => server.close());

  /** Seals for Bob (sms) and Carol (code) and registers the message with its hosted payload. */
  async function sealedMessage() {
    const bob = lock({ method: 'sms', address: 'bob@partner.example', phone: '+4915123456789' });
    const carol = lock({
      method: 'code',
      address: 'carol@partner.example',
      accessCode: 'CARO-L123',
    });
    const body = registration([bob, carol]);
    const mailShare = generateShare();
    const payload = await sealPayload({
      plaintext,
      passwords: [
        await password(body.messageId, bob, mailShare, bob.serverShare),
        await password(body.messageId, carol, mailShare, carol.serverShare, 'CARO-L123'),
      ],
      encryptionKeys: [],
      config: LIGHT_CRYPTO_CONFIG,
    });
    body.payload = Buffer.from(payload).toString('base64');
    expect((await server.request('POST', '/api/v1/messages', { body, token })).status).toBe(201);
    return {
      body,
      bob,
      carol,
      mailShare,
      payload,
      base: `/api/v1/messages/${body.messageId}`,
      recipients: recipientFlow(server, body.messageId, [bob, carol]),
    };
  }

  it("Bob's released share opens Bob's lock and not Carol's", async () => {
    const { body, bob, carol, mailShare, base, recipients } = await sealedMessage();
    await recipients.start('bob@partner.example');
    const released = await recipients.complete(
      bob.lockId,
      await latestCode(server, '+4915123456789'),
    );
    const bobShare: string = released.body.serverShare;
    const hosted = (await server.download(`${base}/payload`)).bytes;

    const opened = await openWithPassword({
      payload: hosted,
      password: await password(body.messageId, bob, mailShare, bobShare),
    });
    expect(opened.ok && Buffer.from(opened.plaintext).equals(Buffer.from(plaintext))).toBe(true);

    // Bob knows the mail share and his own server share; he tries Carol's lock with them,
    // even if he somehow learnt Carol's code.
    for (const attempt of [
      await password(body.messageId, carol, mailShare, bobShare),
      await password(body.messageId, carol, mailShare, bobShare, 'CARO-L123'),
      await password(body.messageId, bob, mailShare, bobShare, 'CARO-L123'),
    ]) {
      expect(await openWithPassword({ payload: hosted, password: attempt })).toEqual({
        ok: false,
        reason: 'wrong-code',
      });
    }
    // Bob's one-time code does not open Carol's lock at the server either (he knows her
    // address from the To line, so he can start her verification).
    const crossed = await recipients.complete(
      carol.lockId,
      await latestCode(server, '+4915123456789'),
    );
    expect(crossed.body.serverShare).toBeUndefined();
    expect(crossed.body.error.code).toBe('wrong-code');
  });

  it('revoked and expired messages release nothing, whatever the factor', async () => {
    for (const ending of ['revoked', 'expired'] as const) {
      const { bob, carol, base, recipients } = await sealedMessage();
      // A code is pending from before the end, and both had typed their addresses.
      await recipients.start('bob@partner.example');
      const bobsHandle = await recipients.handleFor(bob.lockId);
      const carolsHandle = await recipients.handleFor(carol.lockId);
      const pendingCode = await latestCode(server, '+4915123456789');
      const sentBefore = (await server.outboxFor('+4915123456789')).length;
      if (ending === 'revoked') {
        expect((await server.request('POST', `${base}/revoke`, { body: {}, token })).status).toBe(
          200,
        );
      } else {
        server.clock.advanceSeconds(31 * 86_400);
      }
      const attempts = [
        server.request('POST', `${base}/verify/complete`, {
          body: { handle: bobsHandle, code: pendingCode },
        }),
        server.request('POST', `${base}/verify/complete`, {
          body: { handle: carolsHandle, code: 'CARO-L123' },
        }),
        server.request('POST', `${base}/verify/start`, {
          body: { address: 'bob@partner.example' },
        }),
        server.request('POST', `${base}/verify/resend`, { body: { handle: bobsHandle } }),
        server.request('GET', `${base}/payload`),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(response.status).toBe(410);
        expect(response.body).toEqual({ error: { code: ending, message: expect.any(String) } });
      }
      expect((await server.outboxFor('+4915123456789')).length).toBe(sentBefore);
      const opened = await server.db
        .selectFrom('message_locks')
        .select('opened_at')
        .where('lock_id', 'in', [bob.lockId, carol.lockId])
        .execute();
      expect(opened.every((row) => row.opened_at === null)).toBe(true);
    }
  });
});
