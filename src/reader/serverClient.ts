/**
 * The reader's calls to the Sealpost server (src/core/serverApi.ts): plain fetch, JSON in
 * and out, and every failure a value. Nothing here ever sends the mail share or content: the
 * recipient's routes only take the message id, the address, the handle, the typed code and a
 * remembered browser's own secret.
 */
import { API_BASE, type ApiError, type ErrorCode } from '../core/serverApi.ts';

/** `unreachable`: no answer at all (offline, DNS, CORS, a proxy's HTML error page). */
export type ServerFailure = {
  ok: false;
  code: ErrorCode | 'unreachable';
  attemptsLeft?: number;
  retryAfterSeconds?: number;
};
export type ServerResult<Value> = { ok: true; value: Value } | ServerFailure;

/**
 * GET (no body) or POST (JSON body) `<serverUrl>/api/v1/messages/<messageId><route>`. No cookies,
 * no referrer, no cache: the recipient has no session and the answers are one-off.
 */
export function callServer<Value>(
  serverUrl: string,
  messageId: string,
  route: string,
  body?: object,
): Promise<ServerResult<Value>> {
  return callApi(serverUrl, `/messages/${encodeURIComponent(messageId)}${route}`, body);
}

/** The same for any path under `/api/v1` (a remembered browser is not one message's). */
export async function callApi<Value>(
  serverUrl: string,
  path: string,
  body?: object,
): Promise<ServerResult<Value>> {
  const url = `${serverUrl.replace(/\/+$/, '')}${API_BASE}${path}`;
  try {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body && JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
    // 204 (forgetting a browser) has no body.
    if (response.status === 204) return { ok: true, value: null as Value };
    const json: unknown = await response.json();
    if (response.ok) return { ok: true, value: json as Value };
    const error = (json as Partial<ApiError>).error;
    return error?.code ? { ok: false, ...error } : { ok: false, code: 'unreachable' };
  } catch {
    return { ok: false, code: 'unreachable' };
  }
}
