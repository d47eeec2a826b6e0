/**
 * The limits docs/server.md promises are pinned here as numbers, not read from the code under
 * test: changing a limit in the code alone fails this test, so docs and code move together.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src/server/config.ts';
import {
  FIRST_LOCKOUT_SECONDS,
  lockoutSeconds,
  MAX_CODES_PER_LOCK,
} from '../../../src/server/messages/verification.ts';
import { MAX_ADDRESS_MISSES_PER_HOUR } from '../../../src/server/messages/verificationStart.ts';
import { ANONYMOUS_BODY_BYTES } from '../../../src/server/errors.ts';

const serverDoc = readFileSync(new URL('../../../docs/server.md', import.meta.url), 'utf8');

describe('documented limits', () => {
  it('one-time codes: 5 per lock, 5 tries each, 10 minutes, one a minute', () => {
    expect(MAX_CODES_PER_LOCK).toBe(5);
    expect(DEFAULT_LIMITS.codeTries).toBe(5);
    expect(DEFAULT_LIMITS.codeLifetimeSeconds).toBe(600);
    expect(DEFAULT_LIMITS.resendThrottleSeconds).toBe(60);
    expect(serverDoc).toContain(
      '| one-time codes    | 5 codes per lock, each with its tries (25 guesses of 10⁶)',
    );
  });

  it('unknown addresses: 20 per message, client and hour', () => {
    expect(MAX_ADDRESS_MISSES_PER_HOUR).toBe(20);
    expect(serverDoc).toContain(
      '| unknown addresses | 20 per message, client and hour at `verify/start`',
    );
  });

  it('lock-outs: 15 minutes, doubling; at most 160 guesses a year', () => {
    expect(FIRST_LOCKOUT_SECONDS).toBe(900);
    expect([0, 1, 2, 15].map(lockoutSeconds)).toEqual([900, 1800, 3600, 900 * 2 ** 15]);
    expect(serverDoc).toContain('allows at most 160 guesses');
  });

  it('access codes: 10 wrong tries per lock; sign-in: 10 starts an hour', () => {
    expect(DEFAULT_LIMITS.accessCodeTries).toBe(10);
    expect(DEFAULT_LIMITS.signInStartsPerHour).toBe(10);
  });

  it('bodies: 64 KiB, 4 KiB on the routes anyone may call, 25 MiB hosted payloads', () => {
    expect(DEFAULT_LIMITS.bodyBytes).toBe(65536);
    expect(ANONYMOUS_BODY_BYTES).toBe(4096);
    expect(DEFAULT_LIMITS.payloadBytes).toBe(26214400);
    expect(serverDoc).toMatch(/4 KiB on the routes anyone may call/);
  });
});
