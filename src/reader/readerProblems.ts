/**
 * What the reader tells a recipient when a step fails: a field checked in the page before the
 * server is asked (an empty address must not come back as "not sent to this address"), and
 * every answer of the server mapped to a sentence for people. Nothing here shows the server's
 * own message: that is written for developers and in English.
 */
import { isPlausibleAddress, normaliseAddress } from '../core/address.ts';
import type { ServerFailure } from './serverClient.ts';

/** Failures the recipient fixes by typing again, asking for a new code or waiting. */
export type RetryReason =
  | 'empty-code'
  /** A one-time code (sms/email) that is not the digits sent: said before a try is spent on it. */
  | 'code-digits'
  | 'empty-address'
  | 'invalid-address'
  | 'wrong-code'
  | 'code-expired'
  | 'rate-limited'
  | 'not-recipient'
  /** The verification handle ended (an hour passed, or the server forgot it): type the address. */
  | 'start-again'
  /** The server refused what was typed as malformed (a page check let it through). */
  | 'rejected'
  /** The server answered but could not do it (a provider or the database failed). */
  | 'server-error'
  /** No answer at all. */
  | 'unavailable';

/** What a failed server call means for the locked screen. */
export type ServerOutcome =
  | { kind: 'end'; reason: 'locked' | 'expired' | 'revoked' }
  | { kind: 'retry'; reason: RetryReason; count?: number }
  /** The address step's handle ended: back to that step. */
  | { kind: 'start-again' };

/** The problem with a typed address, checked before the server is asked; null when none. */
export function addressProblem(typed: string): 'empty-address' | 'invalid-address' | null {
  const address = normaliseAddress(typed);
  if (address === '') return 'empty-address';
  return isPlausibleAddress(address) && address.length <= 320 ? null : 'invalid-address';
}

/**
 * Digits of a one-time code sent by SMS or email (the contract, core/serverApi.ts `verify/start`);
 * a unit test holds it to the server's `ONE_TIME_CODE_DIGITS`.
 */
export const ONE_TIME_CODE_DIGITS = 6;

/**
 * The problem with a typed code, checked before the server is asked (a wrong one-time code uses
 * up one of its few tries): `oneTime`, a code that was sent, is its digits once spaces and dashes
 * are left out, as the server reads it. Null when there is none.
 */
export function codeProblem(typed: string, oneTime: boolean): 'empty-code' | 'code-digits' | null {
  if (typed.trim() === '') return 'empty-code';
  const digits = typed.replace(/[\s-]+/g, '');
  const wellFormed = /^\d+$/.test(digits) && digits.length === ONE_TIME_CODE_DIGITS;
  return oneTime && !wellFormed ? 'code-digits' : null;
}

/**
 * The outcome of a failed recipient call. `verified`: the address step passed (a handle is
 * held); `codeWasSent`: that step sent a one-time code (sms/email), which a new one replaces.
 */
export function serverOutcome(
  { code, attemptsLeft, retryAfterSeconds }: ServerFailure,
  verified: boolean,
  codeWasSent: boolean,
): ServerOutcome {
  if (code === 'locked' || code === 'expired' || code === 'revoked') {
    return { kind: 'end', reason: code };
  }
  // The last try of a sent code: only a new code helps now.
  if (code === 'wrong-code' && attemptsLeft === 0 && codeWasSent) {
    return { kind: 'retry', reason: 'code-expired' };
  }
  if (code === 'wrong-code' || code === 'code-expired' || code === 'rate-limited') {
    const count = attemptsLeft ?? retryAfterSeconds;
    return { kind: 'retry', reason: code, ...(count === undefined ? {} : { count }) };
  }
  if (code === 'not-found' && verified) return { kind: 'start-again' };
  if (code === 'not-found' || code === 'forbidden') {
    // Before verification: no lock for that address. After: the code's challenge is gone.
    return { kind: 'retry', reason: verified ? 'code-expired' : 'not-recipient' };
  }
  if (code === 'bad-request') return { kind: 'retry', reason: 'rejected' };
  return { kind: 'retry', reason: code === 'unreachable' ? 'unavailable' : 'server-error' };
}

/** The reader text explaining why a secure reply was not sent. */
export function replyProblemKey(
  code: ServerFailure['code'],
):
  | 'reader.reply.failed'
  | 'reader.error.expired'
  | 'reader.error.revoked'
  | 'reader.error.unavailable'
  | 'reader.error.server-error' {
  if (code === 'expired' || code === 'revoked') return `reader.error.${code}`;
  if (code === 'unreachable') return 'reader.error.unavailable';
  if (code === 'internal' || code === 'unavailable') return 'reader.error.server-error';
  return 'reader.reply.failed';
}
