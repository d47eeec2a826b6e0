/**
 * A server's error answer as a `ServerFailure`: its stable code when it gave one, else a code
 * from the HTTP status (a proxy's error page, an upload endpoint's plain-text refusal), so what
 * people see (./serverFailureText.ts) names the real trouble. Shared by the JSON calls
 * (./serverClient.ts) and the resumable upload (./payloadUpload.ts).
 */
import type { ApiError, ErrorCode } from './serverApi.ts';
import type { ServerFailure } from './serverClient.ts';

const ERROR_CODES: readonly ErrorCode[] = [
  'bad-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'payload-too-large',
  'quota-exceeded',
  'rate-limited',
  'wrong-code',
  'locked',
  'code-expired',
  'expired',
  'revoked',
  'unavailable',
  'internal',
];

/** What a status means when the answer carries no code of the server's own. */
const STATUS_CODES: ReadonlyMap<number, ErrorCode> = new Map([
  [401, 'unauthorized'],
  [403, 'forbidden'],
  [404, 'not-found'],
  [410, 'expired'],
  [413, 'payload-too-large'],
  [423, 'locked'],
  [429, 'rate-limited'],
]);

/** The failure an error answer (`status`, body `text`) stands for. */
export function failureFrom(status: number, text: string): ServerFailure {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): fall back on the status below.
  }
  const error = (body as Partial<ApiError> | null)?.error;
  const code =
    error && ERROR_CODES.includes(error.code)
      ? error.code
      : (STATUS_CODES.get(status) ?? (status >= 500 ? 'unavailable' : 'bad-request'));
  const failure: ServerFailure = {
    ok: false,
    code,
    message:
      error && typeof error.message === 'string' && error.message !== ''
        ? error.message.slice(0, 300)
        : `The server answered HTTP ${status}`,
    status,
  };
  if (typeof error?.attemptsLeft === 'number') failure.attemptsLeft = error.attemptsLeft;
  if (typeof error?.retryAfterSeconds === 'number')
    failure.retryAfterSeconds = error.retryAfterSeconds;
  return failure;
}

/** An answer that arrived but cannot be read. */
export function unreadable(status: number): ServerFailure {
  return {
    ok: false,
    code: 'unavailable',
    cause: 'unreadable',
    message: 'The server gave an answer Sealpost cannot read',
    status,
  };
}

/** No answer at all (refused connection, cut line, timeout). */
export function unreachable(cause: 'timeout' | 'network', message: string): ServerFailure {
  return { ok: false, code: 'unavailable', cause, message };
}
