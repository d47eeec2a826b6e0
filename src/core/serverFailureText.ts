/**
 * A failed server call as a sentence for people, in the UI language. The server's own `message`
 * is written for developers (a schema error reads "body/address must NOT have fewer than 3
 * characters") and only in English, so it is never shown as it is; each stable error code gets a
 * sentence of the add-on's own. The one exception is a full payload storage: the server's
 * sentence says how much is left and what to do, which is what the sender needs.
 */
import type { ServerFailure } from './serverClient.ts';

/** Looks up a `_locales` message (injected: this module stays free of browser APIs). */
export type Translate = (key: string, substitutions?: readonly string[]) => string;

/** What the sender was doing: a few codes mean something more precise there. */
export type ServerAction = 'sign-in-start' | 'sign-in-complete' | 'other';

/** Every `_locales` message this module may use, for the locales test. */
export const SERVER_FAILURE_MESSAGE_KEYS: readonly string[] = [
  'serverErrorTimeout',
  'serverErrorNetwork',
  'serverErrorUnreadable',
  'serverErrorUnavailable',
  'serverErrorInternal',
  'serverErrorBadRequest',
  'serverErrorUnauthorized',
  'serverErrorForbidden',
  'serverErrorSignInForbidden',
  'serverErrorNotFound',
  'serverErrorSignInNotFound',
  'serverErrorTooLarge',
  'serverErrorRateLimited',
  'serverErrorRateLimitedSeconds',
  'serverErrorWrongCode',
  'serverErrorWrongCodeTries',
  'serverErrorLocked',
  'serverErrorCodeExpired',
  'serverErrorExpired',
  'serverErrorRevoked',
];

/** The sentence the add-on shows for a failed server call. */
export function serverFailureText(
  failure: Pick<ServerFailure, 'code' | 'message' | 'status' | 'cause'> &
    Partial<Pick<ServerFailure, 'attemptsLeft' | 'retryAfterSeconds'>>,
  translate: Translate,
  action: ServerAction = 'other',
): string {
  switch (failure.code) {
    case 'unavailable':
      if (failure.cause === 'timeout') return translate('serverErrorTimeout');
      if (failure.cause === 'network') return translate('serverErrorNetwork');
      if (failure.cause === 'unreadable') return translate('serverErrorUnreadable');
      return translate('serverErrorUnavailable');
    case 'internal':
      return translate('serverErrorInternal');
    case 'bad-request':
      return translate('serverErrorBadRequest');
    case 'unauthorized':
      return translate('serverErrorUnauthorized');
    case 'forbidden':
      return translate(
        action === 'sign-in-start' ? 'serverErrorSignInForbidden' : 'serverErrorForbidden',
      );
    case 'not-found':
      return translate(
        action === 'sign-in-complete' ? 'serverErrorSignInNotFound' : 'serverErrorNotFound',
      );
    case 'payload-too-large':
      return translate('serverErrorTooLarge');
    case 'quota-exceeded':
      // Written for the sender (how much is left, what to do); English only.
      return failure.message;
    case 'rate-limited':
      return failure.retryAfterSeconds !== undefined && failure.retryAfterSeconds > 0
        ? translate('serverErrorRateLimitedSeconds', [String(failure.retryAfterSeconds)])
        : translate('serverErrorRateLimited');
    case 'wrong-code':
      return failure.attemptsLeft !== undefined
        ? translate('serverErrorWrongCodeTries', [String(failure.attemptsLeft)])
        : translate('serverErrorWrongCode');
    case 'locked':
      return translate('serverErrorLocked');
    case 'code-expired':
      return translate('serverErrorCodeExpired');
    case 'expired':
      return translate('serverErrorExpired');
    case 'revoked':
      return translate('serverErrorRevoked');
  }
}
