/**
 * Attack: guessing a recipient's factor at the server, one request at a time and in concurrent
 * bursts (to race the counters). Every limit must hold exactly, because the counters are
 * reserved by atomic UPDATEs in the database, not read-then-written by the process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CODES_PER_LOCK } from '../../src/server/messages/verification.ts';
import { MAX_ADDRESS_MISSES_PER_HOUR } from '../../src/server/messages/verificationStart.ts';
import { DATABASE_KINDS, postFrom, startTestServer, type TestServer } from '../server/harness.ts';
import {
  latestCode,
  lock,
  recipientFlow,
  registration,
  SERVER_START_TIMEOUT_MS,
  signedInSender,
} from '../server/messages-fixtures.ts';

const BURST = 40;

function countCodes(responses: { body: { error?: { code: string } } }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const response of responses) {
    const code = response.body.error?.code ?? 'released';
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

function otherCode(code: string, offset: number): string {
  return String((Number(code) + offset) % 1_000_000).padStart(6, '0');
}

describe.each(DATABASE_KINDS)('brute force against the server on %s', (kind) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    token = await signedInSender(server);
  }, SERVER_START_TIMEOUT_MS);
  afterAll(() => server.close());

  async function registered(locks: ReturnType<typeof lock>[]) {
    const body = registration(locks);
    expect((await server.request('POST', '/api/v1/messages', { body, token })).status).toBe(201);
    return recipientFlow(server, body.messageId, locks);
  }
  const complete = (flow: ReturnType<typeof recipientFlow>, lockId: string, code: string) =>
    flow.complete(lockId, code);

  it(`access codes: a burst of ${BURST} guesses gets exactly the allowed tries, then the lock is locked`, async () => {
    const target = lock({ method: 'code', address: 'bob@partner.example', accessCode: 'SHORT1' });
    const base = await registered([target]);
    const limit = server.config.limits.accessCodeTries;
    const responses = await Promise.all(
      Array.from({ length: BURST }, (_, index) => complete(base, target.lockId, `GUESS${index}`)),
    );
    const counts = countCodes(responses);
    expect(counts['wrong-code']).toBe(limit - 1);
    expect(counts['locked']).toBe(BURST - (limit - 1));
    expect(counts['released']).toBeUndefined();
    const row = await server.db
      .selectFrom('message_locks')
      .select(['wrong_access_codes', 'locked_at', 'locked_until', 'lockouts'])
      .where('lock_id', '=', target.lockId)
      .executeTakeFirstOrThrow();
    // Locked for the first back-off period; the tries start afresh when it opens again.
    expect(row.lockouts).toBe(1);
    expect(row.locked_at).not.toBeNull();
    expect(row.locked_until!.getTime() - server.clock.now().getTime()).toBe(15 * 60 * 1000);
    expect(row.wrong_access_codes).toBe(0);
    // The right code is no use now, and the sender sees the lock-out.
    expect((await complete(base, target.lockId, 'SHORT1')).body.error.code).toBe('locked');
    const status = await server.request('GET', `${base.base}/status`, { token });
    expect(status.body.recipients[0].lockedAt).not.toBeNull();
  });

  it('access codes: a right guess inside a burst of wrong ones does not reset the count', async () => {
    const target = lock({
      method: 'org-code',
      address: 'carol@partner.example',
      accessCode: 'TEAM-CODE',
    });
    const base = await registered([target]);
    const limit = server.config.limits.accessCodeTries;
    const guesses = Array.from({ length: BURST }, (_, index) =>
      index === 3 ? 'team code' : `WRONG${index}`,
    );
    const counts = countCodes(
      await Promise.all(guesses.map((guess) => complete(base, target.lockId, guess))),
    );
    // At most `limit` wrong guesses were ever compared, however the requests interleaved.
    expect((counts['wrong-code'] ?? 0) + (counts['locked'] ?? 0)).toBe(
      BURST - (counts['released'] ?? 0),
    );
    expect(counts['wrong-code'] ?? 0).toBeLessThanOrEqual(limit - 1);
    const row = await server.db
      .selectFrom('message_locks')
      .select(['wrong_access_codes'])
      .where('lock_id', '=', target.lockId)
      .executeTakeFirstOrThrow();
    expect(row.wrong_access_codes).toBeLessThanOrEqual(limit);
  });

  for (const method of ['sms', 'email'] as const) {
    it(`${method} codes: a burst gets ${5} tries per code, the code dies, and codes per lock are capped`, async () => {
      const phone = '+4915123450000';
      const address = `${method}-target@partner.example`;
      const target = lock(method === 'sms' ? { method, address, phone } : { method, address });
      const base = await registered([target]);
      const recipient = method === 'sms' ? phone : address;
      const tries = server.config.limits.codeTries;
      let guessesCompared = 0;

      for (let sent = 1; sent <= MAX_CODES_PER_LOCK; sent++) {
        const started = sent === 1 ? await base.start(address) : await base.resend(target.lockId);
        expect(started.status).toBe(200);
        const code = await latestCode(server, recipient);
        const responses = await Promise.all(
          Array.from({ length: BURST }, (_, index) =>
            complete(base, target.lockId, otherCode(code, index + 1)),
          ),
        );
        const counts = countCodes(responses);
        guessesCompared += (counts['wrong-code'] ?? 0) + (counts['locked'] ?? 0);
        expect(counts['released']).toBeUndefined();
        if (sent < MAX_CODES_PER_LOCK) {
          expect(counts['wrong-code']).toBe(tries);
          expect(counts['code-expired']).toBe(BURST - tries);
          // The right code arrives too late: the code is dead.
          expect((await complete(base, target.lockId, code)).body.error.code).toBe('code-expired');
        } else {
          expect((counts['wrong-code'] ?? 0) + (counts['locked'] ?? 0)).toBeGreaterThanOrEqual(
            tries,
          );
          expect((await complete(base, target.lockId, code)).body.error.code).toBe('locked');
        }
        server.clock.advanceSeconds(server.config.limits.resendThrottleSeconds);
      }
      // 25 guesses of a million at most, then nothing more is sent.
      expect(guessesCompared).toBeLessThanOrEqual(tries * MAX_CODES_PER_LOCK + BURST);
      const resend = await base.resend(target.lockId);
      expect(resend.body.error.code).toBe('locked');
      expect(await server.outboxFor(recipient)).toHaveLength(MAX_CODES_PER_LOCK);
    });
  }

  it('a burst of resends sends one code', async () => {
    const phone = '+4915123450001';
    const target = lock({ method: 'sms', address: 'dora@partner.example', phone });
    const base = await registered([target]);
    // The start sends the first code; a minute later a burst of resends sends one more.
    expect((await base.start('dora@partner.example')).status).toBe(200);
    server.clock.advanceSeconds(server.config.limits.resendThrottleSeconds);
    const responses = await Promise.all(
      Array.from({ length: BURST }, () => base.resend(target.lockId)),
    );
    const counts = countCodes(responses);
    expect(counts['released']).toBe(1);
    expect(counts['rate-limited']).toBe(BURST - 1);
    expect(await server.outboxFor(phone)).toHaveLength(2);
  });

  it('guessing addresses to find Bcc recipients stops after a few misses per message', async () => {
    const hidden = lock({
      method: 'code',
      address: 'secret-bcc@partner.example',
      accessCode: 'XRAY-1111',
      hidden: true,
    });
    const base = await registered([
      lock({ method: 'code', address: 'to@partner.example', accessCode: 'XRAY-2222' }),
      hidden,
    ]);
    const start = (address: string) =>
      server.request('POST', `${base.base}/verify/start`, { body: { address } });
    for (let guess = 1; guess <= MAX_ADDRESS_MISSES_PER_HOUR; guess++) {
      expect((await start(`guess${guess}@partner.example`)).body.error.code).toBe('not-found');
    }
    const refused = await start('guess-next@partner.example');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate-limited');
    // Once refused, a hit looks the same as a miss: the guesser learns nothing more.
    const hit = await start('secret-bcc@partner.example');
    expect(hit.status).toBe(429);
    expect(hit.body.error).toMatchObject({
      code: 'rate-limited',
      retryAfterSeconds: expect.any(Number),
    });
    // The guesser is blocked, not the recipients: another client starts at once.
    const recipient = await postFrom(server, '127.0.0.2', `${base.base}/verify/start`, {
      address: 'to@partner.example',
    });
    expect(recipient.status).toBe(200);
    server.clock.advanceSeconds(3600);
    expect((await start('secret-bcc@partner.example')).body).toMatchObject({
      lockId: hidden.lockId,
    });
  });
});
