/** How verification answers when it does not succeed: the contract's error code and a sentence. */
import type { ErrorCode } from '../../core/serverApi.ts';

export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
  attemptsLeft?: number;
  retryAfterSeconds?: number;
}

export const fail = (code: ErrorCode, message: string, extras: Partial<Failure> = {}): Failure => ({
  ok: false,
  code,
  message,
  ...extras,
});

export function endedFailure(state: 'expired' | 'revoked'): Failure {
  return state === 'revoked'
    ? fail('revoked', 'The sender revoked this message.')
    : fail('expired', 'This message has expired.');
}

export function tooManyMisses(retryAfterSeconds: number): Failure {
  return fail('rate-limited', 'Too many addresses were tried for this message; try again later.', {
    retryAfterSeconds: Math.max(1, retryAfterSeconds),
  });
}

/** An unknown or expired verification handle: the reader confirms the address again. */
export function handleNotFound(): Failure {
  return fail('not-found', 'This verification has ended; confirm your address again.');
}
