import { describe, expect, it } from 'vitest';
import { failureFrom, unreachable, unreadable } from '../../../src/core/serverFailure.ts';

describe('failureFrom', () => {
  it('keeps the server’s own code, message and counters', () => {
    const body = JSON.stringify({
      error: { code: 'wrong-code', message: 'Wrong code', attemptsLeft: 2 },
    });
    expect(failureFrom(400, body)).toEqual({
      ok: false,
      code: 'wrong-code',
      message: 'Wrong code',
      status: 400,
      attemptsLeft: 2,
    });
  });

  it('reads the status when the answer has no code of the server’s (a proxy page, a plain-text refusal)', () => {
    const cases: Array<[number, string]> = [
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not-found'],
      [410, 'expired'],
      [413, 'payload-too-large'],
      [423, 'locked'],
      [429, 'rate-limited'],
      [400, 'bad-request'],
      [418, 'bad-request'],
      [502, 'unavailable'],
    ];
    for (const [status, code] of cases) {
      expect(
        failureFrom(status, '<html>Request Entity Too Large</html>').code,
        String(status),
      ).toBe(code);
    }
    expect(failureFrom(413, '{"error":{"code":"no-such-code"}}').code).toBe('payload-too-large');
  });

  it('says the status in its technical message when the server gave none, and keeps a long one short', () => {
    expect(failureFrom(502, '').message).toBe('The server answered HTTP 502');
    const long = JSON.stringify({ error: { code: 'internal', message: 'x'.repeat(5000) } });
    expect(failureFrom(500, long).message).toHaveLength(300);
  });
});

describe('answers that are not failures of the server’s', () => {
  it('names an unreadable answer and a missing one as unavailable, with why', () => {
    expect(unreadable(200)).toMatchObject({
      code: 'unavailable',
      cause: 'unreadable',
      status: 200,
    });
    expect(unreachable('timeout', 'slow')).toEqual({
      ok: false,
      code: 'unavailable',
      cause: 'timeout',
      message: 'slow',
    });
  });
});
