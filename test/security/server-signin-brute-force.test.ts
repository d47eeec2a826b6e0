/**
 * Attack: taking over a sender's sign-in by guessing the mailed 6-digit code — in concurrent
 * bursts (to race the try counter), by starting challenge after challenge, and by using one
 * challenge's code on another. Each limit must hold exactly on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../server/harness.ts';

const BURST = 40;

function otherCode(code: string, offset: number): string {
  return String((Number(code) + offset) % 1_000_000).padStart(6, '0');
}

describe.each(DATABASE_KINDS)('sign-in brute force on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, 120_000);
  afterAll(() => server.close());

  async function start(address: string) {
    const response = await server.request('POST', '/api/v1/auth/start', { body: { address } });
    const [mail] = await server.outboxFor(address);
    return { response, code: /is (\d{6})\./.exec(mail?.text ?? '')?.[1] ?? '' };
  }

  const complete = (challengeId: string, code: string) =>
    server.request('POST', '/api/v1/auth/complete', {
      body: { challengeId, code, deviceName: 'attacker' },
    });

  it('a concurrent burst of guesses gets exactly 5 tries, then the right code is refused too', async () => {
    const { response, code } = await start('victim@example.org');
    const challengeId = response.body.challengeId;
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, index) =>
        complete(challengeId, otherCode(code, index + 1)),
      ),
    );
    const statuses = burst.map((reply) => reply.body.error.code);
    expect(statuses.filter((status) => status === 'wrong-code')).toHaveLength(5);
    expect(statuses.filter((status) => status === 'locked')).toHaveLength(BURST - 5);
    const row = await server.db
      .selectFrom('sign_in_challenges')
      .select('tries')
      .where('id', '=', challengeId)
      .executeTakeFirstOrThrow();
    expect(row.tries).toBe(5);
    expect((await complete(challengeId, code)).status).toBe(423);
  });

  it('starting challenge after challenge is throttled and capped per hour', async () => {
    const address = 'victim2@example.org';
    let started = 0;
    let throttled = 0;
    // Hammer without waiting: only the first start passes the resend throttle.
    for (let attempt = 0; attempt < 5; attempt++) {
      const { response } = await start(address);
      if (response.status === 200) started++;
      else if (response.body.error.code === 'rate-limited') throttled++;
    }
    expect([started, throttled]).toEqual([1, 4]);
    // Waiting out the throttle each time: at most `signInStartsPerHour` (10) challenges an hour.
    for (let attempt = 0; attempt < 15; attempt++) {
      server.clock.advanceSeconds(server.config.limits.resendThrottleSeconds);
      const { response } = await start(address);
      if (response.status === 200) started++;
    }
    expect(started).toBe(server.config.limits.signInStartsPerHour);
    server.clock.advanceSeconds(3600);
    expect((await start(address)).response.status).toBe(200);
  });

  it("one challenge's code does not open another's", async () => {
    server.clock.advanceSeconds(3600);
    const first = await start('victim3@example.org');
    const second = await start('attacker@example.org');
    const response = await complete(
      first.response.body.challengeId,
      second.code === first.code ? otherCode(second.code, 1) : second.code,
    );
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('wrong-code');
  });

  it('a code cannot be replayed for a second device token', async () => {
    server.clock.advanceSeconds(3600);
    const { response, code } = await start('victim4@example.org');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => complete(response.body.challengeId, code)),
    );
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    const tokens = await server.db
      .selectFrom('device_tokens')
      .select('id')
      .where('address', '=', 'victim4@example.org')
      .execute();
    expect(tokens).toHaveLength(1);
  });
});
