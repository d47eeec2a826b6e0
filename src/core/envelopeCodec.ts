import {
  ENVELOPE_FORMAT,
  ENVELOPE_VERSION,
  LINKED_ENVELOPE_VERSION,
  type AnyEnvelope,
  type Envelope,
  type EnvelopeLock,
  type LinkedEnvelope,
  type PayloadLink,
} from './envelope.ts';
import { isNotificationLanguage, type NotificationLanguage } from './languages.ts';
import { isServerLockMethod, isVerificationMethod } from './methods.ts';
import { isBase64 } from './base64.ts';

// The base64 helpers are used with the envelope everywhere; they live in ./base64.ts.
export {
  base64AsciiFromBytes,
  base64AsciiLength,
  base64FromBytes,
  bytesFromBase64,
  createBase64BlobEncoder,
  writeBase64Ascii,
} from './base64.ts';

/**
 * Reading and writing the envelope inside `secure-message.html`. docs/envelope.md describes the
 * same layout for people decrypting without Sealpost; keep them in step.
 */

/** Text in the reader template that the envelope JSON replaces. */
export const ENVELOPE_PLACEHOLDER = 'SEALPOST_ENVELOPE';
/** The element of the reader template that holds the envelope, exactly once. */
export const ENVELOPE_ELEMENT = `<script type="application/json" id="sealpost-envelope">${ENVELOPE_PLACEHOLDER}</script>`;

/** Caps on what a parsed envelope may contain (the payload is checked by the crypto caps). */
const MAX_LOCKS = 64;
const MAX_SHORT_TEXT = 998; // the longest line RFC 5322 allows; plenty for ids, names, hints

export type EnvelopeParseResult =
  { ok: true; envelope: AnyEnvelope } | { ok: false; reason: 'damaged' | 'unsupported-version' };

/**
 * Parses and strictly validates envelope JSON: every field present with the right type, no
 * unknown fields, a base64 payload (version 1) or a payload link under the server's URL
 * (version 2, link delivery). A well-formed envelope of another version gives
 * `unsupported-version`; anything else wrong gives `damaged`.
 */
export function parseEnvelope(json: string): EnvelopeParseResult {
  const damaged = { ok: false, reason: 'damaged' } as const;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return damaged;
  }
  if (!isPlainObject(value) || value.format !== ENVELOPE_FORMAT) return damaged;
  if (typeof value.version !== 'number' || !Number.isInteger(value.version) || value.version < 1) {
    return damaged;
  }
  const linked = value.version === LINKED_ENVELOPE_VERSION;
  if (value.version !== ENVELOPE_VERSION && !linked) {
    return { ok: false, reason: 'unsupported-version' };
  }
  const required = linked ? LINKED_ENVELOPE_KEYS : ENVELOPE_KEYS;
  if (!hasExactlyKeys(value, required, ['mailShare', 'replyKey'])) return damaged;

  const {
    messageId,
    createdAt,
    serverUrl,
    sender,
    languages,
    locks,
    payload,
    payloadLink,
    mailShare,
    replyKey,
  } = value;
  if (!isShortText(messageId) || messageId.length === 0) return damaged;
  if (!isIsoDate(createdAt)) return damaged;
  if (serverUrl !== null && !isHttpUrl(serverUrl)) return damaged;
  if (!isPlainObject(sender) || !hasExactlyKeys(sender, ['name', 'address'], [])) return damaged;
  if (!isShortText(sender.name) || !isShortText(sender.address)) return damaged;
  if (!Array.isArray(languages) || languages.length === 0) return damaged;
  if (!languages.every(isNotificationLanguage) || new Set(languages).size !== languages.length) {
    return damaged;
  }
  if (!Array.isArray(locks) || locks.length === 0 || locks.length > MAX_LOCKS) return damaged;
  const parsedLocks: EnvelopeLock[] = [];
  for (const lock of locks) {
    const parsed = parseLock(lock);
    if (parsed === null) return damaged;
    parsedLocks.push(parsed);
  }
  const link = linked ? parsePayloadLink(payloadLink, serverUrl) : null;
  if (linked ? link === null : !isPayload(payload)) return damaged;
  // Server-protected locks need the mail's share and a server; a share without them is damage.
  const serverProtected = parsedLocks.some((lock) => lock.serverProtected);
  if (serverProtected !== (mailShare !== undefined)) return damaged;
  if (mailShare !== undefined && (typeof mailShare !== 'string' || !isShare(mailShare))) {
    return damaged;
  }
  if (serverProtected && serverUrl === null) return damaged;
  const lockIds = parsedLocks.flatMap((lock) => (lock.id === undefined ? [] : [lock.id]));
  if (new Set(lockIds).size !== lockIds.length) return damaged;
  if (
    replyKey !== undefined &&
    (typeof replyKey !== 'string' ||
      replyKey.length === 0 ||
      replyKey.length > MAX_REPLY_KEY_CHARACTERS ||
      !isBase64(replyKey))
  ) {
    return damaged;
  }

  const metadata = {
    format: ENVELOPE_FORMAT,
    messageId,
    createdAt,
    serverUrl,
    sender: { name: sender.name, address: sender.address },
    languages: languages as NotificationLanguage[],
    locks: parsedLocks,
    ...(typeof mailShare === 'string' ? { mailShare } : {}),
    ...(typeof replyKey === 'string' ? { replyKey } : {}),
  } as const;
  if (link !== null) {
    return {
      ok: true,
      envelope: { ...metadata, version: LINKED_ENVELOPE_VERSION, payloadLink: link },
    };
  }
  return {
    ok: true,
    envelope: { ...metadata, version: ENVELOPE_VERSION, payload: payload as string },
  };
}

function isPayload(payload: unknown): payload is string {
  return typeof payload === 'string' && payload.length > 0 && isBase64(payload);
}

/** The payload of a link-delivered envelope; it must be kept on the envelope's own server. */
function parsePayloadLink(value: unknown, serverUrl: unknown): PayloadLink | null {
  if (!isPlainObject(value) || !hasExactlyKeys(value, ['url', 'bytes', 'sha256'], [])) return null;
  const { url, bytes, sha256 } = value;
  if (typeof serverUrl !== 'string' || !isHttpUrl(url)) return null;
  if (!url.startsWith(serverUrl.replace(/\/*$/, '/'))) return null;
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes <= 0) return null;
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return null;
  return { url, bytes, sha256 };
}

/** A sender's public key with a few user IDs is well under this (base64 of the binary key). */
const MAX_REPLY_KEY_CHARACTERS = 16 * 1024;

/** A share: base64 of exactly 32 bytes (docs/envelope.md). */
function isShare(text: string): boolean {
  return text.length === 44 && isBase64(text) && text.endsWith('=') && !text.endsWith('==');
}

const ENVELOPE_KEYS = [
  'format',
  'version',
  'messageId',
  'createdAt',
  'serverUrl',
  'sender',
  'languages',
  'locks',
  'payload',
] as const;
const LINKED_ENVELOPE_KEYS = [
  ...ENVELOPE_KEYS.filter((key) => key !== 'payload'),
  'payloadLink',
] as const;

function parseLock(lock: unknown): EnvelopeLock | null {
  if (
    !isPlainObject(lock) ||
    !hasExactlyKeys(lock, ['method', 'language'], ['hint', 'id', 'serverProtected', 'fingerprint'])
  ) {
    return null;
  }
  const { method, language, hint, id, serverProtected, fingerprint } = lock;
  if (method !== 'sender-key' && !isVerificationMethod(method)) return null;
  if (!isNotificationLanguage(language)) return null;
  if (hint !== undefined && !isShortText(hint)) return null;
  // Lock ids are the add-on's base64url ids (16 bytes → 22 characters); allow some slack.
  if (id !== undefined && (typeof id !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(id))) {
    return null;
  }
  if (serverProtected !== undefined) {
    if (serverProtected !== true || id === undefined) return null;
    if (!isServerLockMethod(method)) return null;
  }
  const parsed: EnvelopeLock =
    hint === undefined ? { method, language } : { method, hint, language };
  if (typeof id === 'string') parsed.id = id;
  if (serverProtected === true) parsed.serverProtected = true;
  if (fingerprint !== undefined) {
    // A v4 (40 hex digits) or v6 (64) fingerprint, upper case, only on an account lock.
    if (method !== 'account' || typeof fingerprint !== 'string') return null;
    if (!/^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(fingerprint)) return null;
    parsed.fingerprint = fingerprint;
  }
  return parsed;
}

/**
 * The reader file as parts for a Blob/File (a 25 MB payload is never concatenated into one more
 * string): template up to the placeholder, the envelope JSON (metadata, then the payload), and
 * the rest of the template. `<`, `>`, `&`, U+2028 and U+2029 in the JSON are written as \u
 * escapes, so no field value can close the `<script>` element or start markup; the payload is
 * base64 and needs no escaping.
 *
 * Throws if the template does not contain the envelope element exactly once (a build error).
 */
export function renderReaderHtml(readerTemplate: string, envelope: Envelope): string[] {
  const { payload, ...metadata } = envelope;
  if (!isBase64(payload)) throw new Error('envelope payload must be base64');
  return renderReaderHtmlFromParts(readerTemplate, metadata, [payload]);
}

/**
 * renderReaderHtml with the payload's base64 given as parts, strings or Blobs (the seal
 * pipeline passes the one Blob createBase64BlobEncoder makes); the parts must join to one
 * base64 text. The result is meant for `new Blob(parts)` / `new File(parts, …)`.
 */
export function renderReaderHtmlFromParts<Part extends string | Blob>(
  readerTemplate: string,
  metadata: Omit<Envelope, 'payload'>,
  payloadParts: Part[],
): (string | Part)[] {
  const elementAt = readerTemplate.indexOf(ENVELOPE_ELEMENT);
  if (elementAt < 0 || readerTemplate.indexOf(ENVELOPE_ELEMENT, elementAt + 1) >= 0) {
    throw new Error('reader template must contain the envelope element exactly once');
  }
  const placeholderAt = elementAt + ENVELOPE_ELEMENT.indexOf(ENVELOPE_PLACEHOLDER);
  const metadataJson = escapeJsonForScript(JSON.stringify(orderedMetadata(metadata)));
  return [
    readerTemplate.slice(0, placeholderAt),
    // `{…}` without its closing brace, then the payload as the last member.
    metadataJson.slice(0, -1) + ',"payload":"',
    ...payloadParts,
    '"}',
    readerTemplate.slice(placeholderAt + ENVELOPE_PLACEHOLDER.length),
  ];
}

/** Only the metadata fields, in a fixed order, whatever else the object carries. */
function orderedMetadata(metadata: Omit<AnyEnvelope, 'payload' | 'payloadLink'>) {
  return {
    format: metadata.format,
    version: metadata.version,
    messageId: metadata.messageId,
    createdAt: metadata.createdAt,
    serverUrl: metadata.serverUrl,
    sender: { name: metadata.sender.name, address: metadata.sender.address },
    languages: metadata.languages,
    locks: metadata.locks,
    ...(metadata.mailShare === undefined ? {} : { mailShare: metadata.mailShare }),
    ...(metadata.replyKey === undefined ? {} : { replyKey: metadata.replyKey }),
  };
}

/**
 * A link-delivered envelope's JSON, escaped for the `<script>` element (the payload link last,
 * where version 1 has the payload).
 */
export function linkedEnvelopeJson(envelope: LinkedEnvelope): string {
  const { url, bytes, sha256 } = envelope.payloadLink;
  return escapeJsonForScript(
    JSON.stringify({ ...orderedMetadata(envelope), payloadLink: { url, bytes, sha256 } }),
  );
}

export function escapeJsonForScript(json: string): string {
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The text of the first `<script id="sealpost-envelope">` element in a reader file (the element
 * `document.getElementById` finds), or null when there is none or it still holds the placeholder.
 */
export function extractEnvelopeJson(html: string): string | null {
  const match =
    /<script\b[^>]*\bid\s*=\s*["']?sealpost-envelope["']?[^>]*>([\s\S]*?)<\/script\s*>/i.exec(html);
  const content = match?.[1]?.trim();
  if (content === undefined || content.length === 0 || content === ENVELOPE_PLACEHOLDER)
    return null;
  return content;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasExactlyKeys(
  value: Record<string, unknown>,
  required: readonly string[],
  optional: readonly string[],
): boolean {
  const keys = Object.keys(value);
  return (
    required.every((key) => Object.hasOwn(value, key)) &&
    keys.every((key) => required.includes(key) || optional.includes(key))
  );
}

function isShortText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_SHORT_TEXT;
}

function isIsoDate(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
