/**
 * The hosted reader (`<server>/r/<message id>#<mail share>`): the server serves this same page
 * with `<meta name="sealpost-hosted" content="<message id>">` and no envelope. The envelope is
 * built in memory from the server's public description; the payload is downloaded from the same
 * server (readerPayload.svelte.ts). The mail share comes from the link's fragment, which
 * browsers never send to a server, and it stays on this page.
 */
import { ENVELOPE_FORMAT, ENVELOPE_VERSION } from '../core/envelope.ts';
import { bytesFromBase64 } from '../core/envelopeCodec.ts';
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../core/languages.ts';
import type { PublicMessageResponse } from '../core/serverApi.ts';
import { callServer, type ServerFailure } from './serverClient.ts';
import { hostedPayloadUrl, type FatalReason, type ReaderEnvelope } from './unlock.ts';

/** The message id of a hosted page, or null for a reader file with its own envelope. */
export function hostedMessageId(document: Document): string | null {
  return document.querySelector<HTMLMetaElement>('meta[name="sealpost-hosted"]')?.content || null;
}

/** The language the notification's section linked with (`?lang=de`), if it is one of ours. */
export function languageFromLink(search: string): NotificationLanguage | null {
  const language = new URLSearchParams(search).get('lang');
  return NOTIFICATION_LANGUAGES.find((known) => known === language) ?? null;
}

/** The mail share from a location hash (`#<base64 of 32 bytes>`), or null if it is not one. */
export function mailShareFromHash(hash: string): string | null {
  let share: string;
  try {
    share = decodeURIComponent(hash.replace(/^#/, ''));
  } catch {
    return null;
  }
  return bytesFromBase64(share)?.length === 32 ? share : null;
}

export type HostedEnvelopeResult =
  { ok: true; envelope: ReaderEnvelope } | { ok: false; reason: FatalReason };

/**
 * Fetches the public description and builds the envelope it describes; the payload is
 * downloaded afterwards, while the recipient verifies.
 */
export async function loadHostedEnvelope(
  serverUrl: string,
  messageId: string,
  mailShare: string,
): Promise<HostedEnvelopeResult> {
  const described = await callServer<PublicMessageResponse>(serverUrl, messageId, '/public');
  if (!described.ok) return { ok: false, reason: hostedFailure(described) };
  const { state, locks } = described.value;
  if (state !== 'active') return { ok: false, reason: state };
  // Too large to host, or its upload has not finished: nothing here can open it.
  if (!described.value.hasPayload) return { ok: false, reason: 'not-hosted' };
  return {
    ok: true,
    envelope: {
      format: ENVELOPE_FORMAT,
      version: ENVELOPE_VERSION,
      messageId: described.value.messageId,
      createdAt: described.value.expiresAt,
      serverUrl,
      sender: described.value.sender ?? { name: '', address: '' },
      languages: [...NOTIFICATION_LANGUAGES],
      serverOnly: true,
      // For what the page says before verification; the lock itself comes from `verify/start`.
      locks: locks.map((lock) => ({
        method: lock.method,
        ...(lock.hint ? { hint: lock.hint } : {}),
        language: 'en',
        serverProtected: true,
      })),
      mailShare,
      hostedPayloadUrl: hostedPayloadUrl(serverUrl, described.value.messageId),
      ...(described.value.rememberDevice ? { rememberDevice: described.value.rememberDevice } : {}),
      // The payload names the reply key's fingerprint, so a key the server swapped is refused.
      ...(described.value.replyKey ? { replyKey: described.value.replyKey } : {}),
    },
  };
}

/** Why a hosted page cannot show its message: "cannot be reached" only when nothing answered. */
function hostedFailure({ code }: ServerFailure): FatalReason {
  if (code === 'expired' || code === 'revoked') return code;
  if (code === 'not-found' || code === 'bad-request') return 'link';
  return code === 'unreachable' ? 'unavailable' : 'server-error';
}
