import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorCode } from '../../../src/core/serverApi.ts';
import type { ServerFailure } from '../../../src/core/serverClient.ts';
import {
  SERVER_FAILURE_MESSAGE_KEYS,
  serverFailureText,
} from '../../../src/core/serverFailureText.ts';

const translate = (key: string, substitutions: readonly string[] = []) =>
  [key, ...substitutions].join(':');

function failure(code: ErrorCode, extra: Partial<ServerFailure> = {}): ServerFailure {
  return { ok: false, code, message: 'Invalid request: body/address must NOT have …', ...extra };
}

describe('serverFailureText', () => {
  it("never shows the server's technical words, except its quota sentence", () => {
    const codes: ErrorCode[] = [
      'bad-request',
      'unauthorized',
      'forbidden',
      'not-found',
      'payload-too-large',
      'rate-limited',
      'wrong-code',
      'locked',
      'code-expired',
      'expired',
      'revoked',
      'unavailable',
      'internal',
    ];
    for (const code of codes) {
      const text = serverFailureText(failure(code), translate);
      expect(text, code).not.toContain('body/address');
      expect(SERVER_FAILURE_MESSAGE_KEYS, code).toContain(text.split(':')[0]);
    }
    const full = failure('quota-exceeded', { message: 'The payload storage … is full.' });
    expect(serverFailureText(full, translate)).toBe('The payload storage … is full.');
  });

  it('says why nothing usable came back: timeout, no connection, an unreadable answer, a 503', () => {
    expect(serverFailureText(failure('unavailable', { cause: 'timeout' }), translate)).toBe(
      'serverErrorTimeout',
    );
    expect(serverFailureText(failure('unavailable', { cause: 'network' }), translate)).toBe(
      'serverErrorNetwork',
    );
    expect(serverFailureText(failure('unavailable', { cause: 'unreadable' }), translate)).toBe(
      'serverErrorUnreadable',
    );
    expect(serverFailureText(failure('unavailable', { status: 503 }), translate)).toBe(
      'serverErrorUnavailable',
    );
  });

  it('names tries left and seconds to wait, and words sign-in refusals for signing in', () => {
    expect(serverFailureText(failure('wrong-code', { attemptsLeft: 2 }), translate)).toBe(
      'serverErrorWrongCodeTries:2',
    );
    expect(serverFailureText(failure('wrong-code'), translate)).toBe('serverErrorWrongCode');
    expect(serverFailureText(failure('rate-limited', { retryAfterSeconds: 40 }), translate)).toBe(
      'serverErrorRateLimitedSeconds:40',
    );
    expect(serverFailureText(failure('rate-limited'), translate)).toBe('serverErrorRateLimited');
    expect(serverFailureText(failure('forbidden'), translate, 'sign-in-start')).toBe(
      'serverErrorSignInForbidden',
    );
    expect(serverFailureText(failure('forbidden'), translate)).toBe('serverErrorForbidden');
    expect(serverFailureText(failure('not-found'), translate, 'sign-in-complete')).toBe(
      'serverErrorSignInNotFound',
    );
  });

  it('has every sentence in every language', () => {
    for (const language of ['en', 'de', 'nl']) {
      const catalog = JSON.parse(
        readFileSync(
          join(import.meta.dirname, '../../../extension/_locales', language, 'messages.json'),
          'utf8',
        ),
      ) as Record<string, unknown>;
      for (const key of SERVER_FAILURE_MESSAGE_KEYS)
        expect(catalog, `${language}:${key}`).toHaveProperty(key);
    }
  });
});
