import type { RequestEnvelope, RequestName, Requests, Response } from '../../messaging/protocol.ts';

/**
 * Sends one request of the popup <-> background protocol and returns its typed response.
 *
 * The background answers every request with a `Response<K>`; a refusal (`ok: false`) becomes a
 * thrown Error carrying the background's message, so UI code can `try`/`catch` one place.
 * An answer that is not a `Response` at all (no listener, background restarting) is also an
 * Error rather than a silent `undefined`.
 */
export async function sendRequest<K extends RequestName>(
  name: K,
  payload: Requests[K]['req'],
): Promise<Requests[K]['res']> {
  const envelope: RequestEnvelope<K> = { sealpost: 1, name, payload };
  const answer: unknown = await browser.runtime.sendMessage(envelope);
  if (!isResponse<K>(answer)) {
    throw new Error(`Sealpost background gave no answer to ${name}`);
  }
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}

function isResponse<K extends RequestName>(answer: unknown): answer is Response<K> {
  if (typeof answer !== 'object' || answer === null) return false;
  const candidate = answer as { ok?: unknown; value?: unknown; error?: unknown };
  if (candidate.ok === true) return 'value' in candidate;
  return candidate.ok === false && typeof candidate.error === 'string';
}
