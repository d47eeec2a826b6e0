/**
 * A secure reply, made in the recipient's browser: the reply as MIME (threaded to the message it
 * answers), sealed to the sender's public key alone, so neither the server nor anyone else can
 * read it (docs/envelope.md §8). With a server it is posted there and mailed to the sender;
 * without, it becomes a file the recipient attaches to an ordinary reply.
 */
import { base64FromBytes, bytesFromBase64 } from '../core/base64.ts';
import { escapeJsonForScript } from '../core/envelopeCodec.ts';
import {
  ENVELOPE_FORMAT,
  ENVELOPE_VERSION,
  REPLY_FILE_NAME,
  type Envelope,
} from '../core/envelope.ts';
import type { NotificationLanguage } from '../core/languages.ts';
import { streamOriginalMime } from '../core/mime/buildMime.ts';
import { replySubject } from '../core/replyQuote.ts';
import type { ReplyResponse } from '../core/serverApi.ts';
import { publicKeyParts, sealPayload } from '../crypto/index.ts';
import { ENVELOPE_ELEMENT_ID } from './envelopeSource.ts';
import type { OpenedMessage } from './openedMessage.ts';
import { callServer, type ServerResult } from './serverClient.ts';

export interface ReplyDraft {
  /** The recipient's own address: the reply's From. */
  from: string;
  text: string;
  files: File[];
}

export type SealedReply =
  | { ok: true; payload: Uint8Array; fingerprint: string; messageId: string }
  | { ok: false; reason: 'no-reply-key' | 'key-mismatch' };

/**
 * Seals the reply to the key in the envelope, but only when the payload named the same key
 * (`X-Sealpost-Reply-Key`): the envelope is not authenticated, the payload is.
 */
export async function sealReply(
  envelope: Pick<Envelope, 'replyKey' | 'sender'>,
  message: OpenedMessage,
  draft: ReplyDraft,
  now = new Date(),
): Promise<SealedReply> {
  const keyBytes = envelope.replyKey ? bytesFromBase64(envelope.replyKey) : null;
  if (!keyBytes || !message.replyKeyFingerprint) return { ok: false, reason: 'no-reply-key' };
  const key = await publicKeyParts(keyBytes);
  if (key.fingerprint !== message.replyKeyFingerprint) return { ok: false, reason: 'key-mismatch' };
  const messageId = `<${randomId()}@sealpost>`;
  const mime = streamOriginalMime({
    messageId,
    date: now,
    from: { name: '', address: draft.from },
    to: [envelope.sender.address],
    cc: [],
    subject: replySubject(message.subject),
    body: { kind: 'plain', text: draft.text },
    attachments: draft.files.map((file) => ({
      name: file.name,
      contentType: file.type || 'application/octet-stream',
      bytes: file,
    })),
    ...(message.messageId ? { inReplyTo: message.messageId } : {}),
  });
  const payload = await sealPayload({
    plaintext: mime.stream,
    passwords: [],
    encryptionKeys: [key.bytes],
    date: now,
  });
  return { ok: true, payload, fingerprint: key.fingerprint, messageId };
}

/** Posts a sealed reply to the message's server, which mails it to the sender. */
export function postReply(
  serverUrl: string,
  messageId: string,
  replyToken: string,
  reply: Extract<SealedReply, { ok: true }>,
): Promise<ServerResult<ReplyResponse>> {
  return callServer<ReplyResponse>(serverUrl, messageId, '/replies', {
    replyToken,
    payload: base64FromBytes(reply.payload),
    keyFingerprint: reply.fingerprint,
  });
}

/**
 * The reply file: a page holding only the envelope, which Sealpost in the sender's Thunderbird
 * opens. The `<script id="sealpost-envelope">` element is this page's own, cloned: the reader's
 * code must never contain that markup as text, or a search for the envelope (docs/envelope.md
 * §1) would find the code instead of the envelope in every sealed mail.
 */
export function replyFile(
  reply: Extract<SealedReply, { ok: true }>,
  from: string,
  language: NotificationLanguage,
  now = new Date(),
  envelopeElement: (json: string) => string = envelopeElementOfPage,
): File {
  const envelope: Envelope = {
    format: ENVELOPE_FORMAT,
    version: ENVELOPE_VERSION,
    messageId: reply.messageId,
    createdAt: now.toISOString(),
    serverUrl: null,
    sender: { name: '', address: from },
    languages: [language],
    locks: [{ method: 'account', language, fingerprint: reply.fingerprint }],
    payload: base64FromBytes(reply.payload),
  };
  const html =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sealpost</title></head><body>' +
    '<p>A secure reply, sealed to the sender’s key. It opens in Thunderbird with Sealpost.</p>' +
    `${envelopeElement(escapeJsonForScript(JSON.stringify(envelope)))}</body></html>`;
  return new File([html], REPLY_FILE_NAME, { type: 'text/html' });
}

/** The page's envelope element (attached or hosted reader), holding `json` instead. */
function envelopeElementOfPage(json: string): string {
  const element = document.getElementById(ENVELOPE_ELEMENT_ID)?.cloneNode(false);
  if (!(element instanceof HTMLScriptElement))
    throw new Error('the reader has no envelope element');
  element.textContent = json;
  return element.outerHTML;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
