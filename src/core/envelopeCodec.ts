import { ENVELOPE_FORMAT, ENVELOPE_VERSION, type Envelope, type EnvelopeLock } from './envelope.ts';
import { isNotificationLanguage, type NotificationLanguage } from './languages.ts';
import { isVerificationMethod } from './methods.ts';

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
  { ok: true; envelope: Envelope } | { ok: false; reason: 'damaged' | 'unsupported-version' };

/**
 * Parses and strictly validates envelope JSON: every field present with the right type, no
 * unknown fields, a base64 payload. A well-formed envelope of another version gives
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
  if (value.version !== ENVELOPE_VERSION) return { ok: false, reason: 'unsupported-version' };
  if (!hasExactlyKeys(value, ENVELOPE_KEYS, ['mailShare'])) return damaged;

  const { messageId, createdAt, serverUrl, sender, languages, locks, payload, mailShare } = value;
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
  if (typeof payload !== 'string' || payload.length === 0 || !isBase64(payload)) return damaged;
  // Server-protected locks need the mail's share and a server; a share without them is damage.
  const serverProtected = parsedLocks.some((lock) => lock.serverProtected);
  if (serverProtected !== (mailShare !== undefined)) return damaged;
  if (mailShare !== undefined && (typeof mailShare !== 'string' || !isShare(mailShare))) {
    return damaged;
  }
  if (serverProtected && serverUrl === null) return damaged;
  const lockIds = parsedLocks.flatMap((lock) => (lock.id === undefined ? [] : [lock.id]));
  if (new Set(lockIds).size !== lockIds.length) return damaged;

  return {
    ok: true,
    envelope: {
      format: ENVELOPE_FORMAT,
      version: ENVELOPE_VERSION,
      messageId,
      createdAt,
      serverUrl,
      sender: { name: sender.name, address: sender.address },
      languages: languages as NotificationLanguage[],
      locks: parsedLocks,
      ...(typeof mailShare === 'string' ? { mailShare } : {}),
      payload,
    },
  };
}

/** A share: base64 of exactly 32 bytes (docs/envelope.md). */
function isShare(text: string): boolean {
  return text.length === 44 && isBase64(text) && text.endsWith('=') && !text.endsWith('==');
}

/** Methods a server can protect (serverApi `ServerLockMethod`). */
const SERVER_PROTECTED_METHODS: readonly string[] = ['sms', 'email', 'org-code', 'code'];

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

function parseLock(lock: unknown): EnvelopeLock | null {
  if (
    !isPlainObject(lock) ||
    !hasExactlyKeys(lock, ['method', 'language'], ['hint', 'id', 'serverProtected'])
  ) {
    return null;
  }
  const { method, language, hint, id, serverProtected } = lock;
  if (method !== 'sender-key' && !isVerificationMethod(method)) return null;
  if (!isNotificationLanguage(language)) return null;
  if (hint !== undefined && !isShortText(hint)) return null;
  // Lock ids are the add-on's base64url ids (16 bytes → 22 characters); allow some slack.
  if (id !== undefined && (typeof id !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(id))) {
    return null;
  }
  if (serverProtected !== undefined) {
    if (serverProtected !== true || id === undefined) return null;
    if (!SERVER_PROTECTED_METHODS.includes(method)) return null;
  }
  const parsed: EnvelopeLock =
    hint === undefined ? { method, language } : { method, hint, language };
  if (typeof id === 'string') parsed.id = id;
  if (serverProtected === true) parsed.serverProtected = true;
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
  // Only the metadata fields, in a fixed order, whatever else the object carries.
  const metadataJson = escapeJsonForScript(
    JSON.stringify({
      format: metadata.format,
      version: metadata.version,
      messageId: metadata.messageId,
      createdAt: metadata.createdAt,
      serverUrl: metadata.serverUrl,
      sender: { name: metadata.sender.name, address: metadata.sender.address },
      languages: metadata.languages,
      locks: metadata.locks,
      ...(metadata.mailShare === undefined ? {} : { mailShare: metadata.mailShare }),
    }),
  );
  return [
    readerTemplate.slice(0, placeholderAt),
    // `{…}` without its closing brace, then the payload as the last member.
    metadataJson.slice(0, -1) + ',"payload":"',
    ...payloadParts,
    '"}',
    readerTemplate.slice(placeholderAt + ENVELOPE_PLACEHOLDER.length),
  ];
}

function escapeJsonForScript(json: string): string {
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

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_ENCODE = Uint8Array.from(BASE64_ALPHABET, (character) => character.charCodeAt(0));
const BASE64_DECODE = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let index = 0; index < BASE64_ALPHABET.length; index++) {
    table[BASE64_ALPHABET.charCodeAt(index)] = index;
  }
  return table;
})();
const PAD = 61; // '='
const CR = 13;
const LF = 10;

/** Length of base64 text for `byteCount` bytes, with CRLF between lines of `lineLength`. */
export function base64AsciiLength(byteCount: number, lineLength = 0): number {
  const encodedLength = Math.ceil(byteCount / 3) * 4;
  const lineBreaks =
    lineLength > 0 && encodedLength > 0 ? Math.ceil(encodedLength / lineLength) - 1 : 0;
  return encodedLength + 2 * lineBreaks;
}

/**
 * Base64 as ASCII bytes, optionally broken into CRLF-separated lines of `lineLength` characters
 * (76 for MIME, RFC 2045 §6.8). A table-driven loop: about 20× faster than btoa over
 * String.fromCharCode chunks, and the same code in browsers and Node.
 */
export function base64AsciiFromBytes(bytes: Uint8Array, lineLength = 0): Uint8Array {
  const output = new Uint8Array(base64AsciiLength(bytes.length, lineLength));
  writeBase64Ascii(bytes, lineLength, output, 0);
  return output;
}

/**
 * Writes what base64AsciiFromBytes returns into `output` at `offset` (so a large attachment is
 * encoded straight into the MIME buffer, without an intermediate copy); returns the end offset.
 */
export function writeBase64Ascii(
  bytes: Uint8Array,
  lineLength: number,
  output: Uint8Array,
  offset: number,
): number {
  if (lineLength % 4 !== 0) throw new RangeError('lineLength must be a multiple of 4');
  if (offset + base64AsciiLength(bytes.length, lineLength) > output.length) {
    throw new RangeError('output too small for base64');
  }
  const encode = BASE64_ENCODE;
  const fullGroups = Math.floor(bytes.length / 3);
  const groupsPerLine = lineLength > 0 ? lineLength / 4 : Infinity;
  let out = offset;
  let inLine = 0;
  let index = 0;
  for (let group = 0; group < fullGroups; group++) {
    if (inLine === groupsPerLine) {
      output[out++] = CR;
      output[out++] = LF;
      inLine = 0;
    }
    const triple = (bytes[index]! << 16) | (bytes[index + 1]! << 8) | bytes[index + 2]!;
    index += 3;
    output[out++] = encode[triple >>> 18]!;
    output[out++] = encode[(triple >>> 12) & 63]!;
    output[out++] = encode[(triple >>> 6) & 63]!;
    output[out++] = encode[triple & 63]!;
    inLine++;
  }
  const remaining = bytes.length - index;
  if (remaining > 0) {
    if (inLine === groupsPerLine) {
      output[out++] = CR;
      output[out++] = LF;
    }
    const first = bytes[index]!;
    const second = remaining === 2 ? bytes[index + 1]! : 0;
    output[out++] = encode[first >>> 2]!;
    output[out++] = encode[((first & 3) << 4) | (second >>> 4)]!;
    output[out++] = remaining === 2 ? encode[(second & 15) << 2]! : PAD;
    output[out++] = PAD;
  }
  return out;
}

// Base64 is ASCII, so UTF-8 decoding gives the same text; V8's UTF-8 decoder writes a one-byte
// string directly, its latin1 decoder goes through a two-byte copy (3× the memory at its peak).
const asciiDecoder = new TextDecoder();

/** Base64 characters gathered in the encoder's working buffer before they become a Blob. */
const BASE64_BLOB_PIECE_CHARACTERS = 1024 * 1024;

/**
 * Base64-encodes a byte stream as it arrives into a Blob that holds the base64 of all bytes (no
 * line breaks). Up to two bytes are carried between pushes, so chunks of any size work.
 *
 * Why a Blob: each 1 MiB of base64 is written into one reused working buffer and copied once
 * into a small Blob (`new Blob([view])` copies synchronously); the result is a Blob of those
 * Blobs, which browsers and Node join by reference. So a 26 MB payload costs its 35 MB of
 * base64 once, with no garbage per chunk and no strings (turning base64 into strings and then
 * a File would hold it twice).
 */
export function createBase64BlobEncoder(): {
  push(bytes: Uint8Array): void;
  end(): Blob;
} {
  const pieces: Blob[] = [];
  let working: Uint8Array<ArrayBuffer> | null = new Uint8Array(BASE64_BLOB_PIECE_CHARACTERS);
  let used = 0; // always a multiple of 4
  const carry = new Uint8Array(2);
  let carryLength = 0;
  const flush = () => {
    if (used === 0 || working === null) return;
    pieces.push(new Blob([working.subarray(0, used)]));
    used = 0;
  };
  /** Encodes whole 3-byte groups (and, at the end, one padded group). */
  const encode = (bytes: Uint8Array) => {
    if (working === null) throw new Error('base64 encoder: push after end');
    let index = 0;
    while (index < bytes.length) {
      if (used === working.length) flush();
      const room = ((working.length - used) / 4) * 3;
      const take = Math.min(room, bytes.length - index);
      used = writeBase64Ascii(bytes.subarray(index, index + take), 0, working, used);
      index += take;
    }
  };
  return {
    push(bytes) {
      let input = bytes;
      if (carryLength > 0) {
        const take = Math.min(3 - carryLength, input.length);
        const group = new Uint8Array(carryLength + take);
        group.set(carry.subarray(0, carryLength));
        group.set(input.subarray(0, take), carryLength);
        input = input.subarray(take);
        if (group.length < 3) {
          carry.set(group);
          carryLength = group.length;
          return;
        }
        carryLength = 0;
        encode(group);
      }
      const aligned = input.length - (input.length % 3);
      if (aligned > 0) encode(input.subarray(0, aligned));
      carry.set(input.subarray(aligned));
      carryLength = input.length - aligned;
    },
    end() {
      if (carryLength > 0) encode(carry.subarray(0, carryLength));
      carryLength = 0;
      flush();
      working = null;
      return new Blob(pieces);
    },
  };
}

/** Standard base64 (RFC 4648 §4, with padding, no line breaks). */
export function base64FromBytes(bytes: Uint8Array): string {
  return asciiDecoder.decode(base64AsciiFromBytes(bytes));
}

/**
 * Decodes standard base64 with padding; null for anything else (whitespace, URL-safe
 * alphabet, missing padding). Validation and decoding are one pass, without a regular
 * expression (V8's would overflow its stack on a 35 MB payload).
 */
export function bytesFromBase64(text: string): Uint8Array | null {
  if (typeof text !== 'string' || text.length % 4 !== 0) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  const decode = BASE64_DECODE;
  const end = text.length - (padding > 0 ? 4 : 0);
  let written = 0;
  for (let index = 0; index < end; index += 4) {
    const a = decode[text.charCodeAt(index)] ?? -1;
    const b = decode[text.charCodeAt(index + 1)] ?? -1;
    const c = decode[text.charCodeAt(index + 2)] ?? -1;
    const d = decode[text.charCodeAt(index + 3)] ?? -1;
    if ((a | b | c | d) < 0) return null;
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[written++] = triple >>> 16;
    bytes[written++] = (triple >>> 8) & 255;
    bytes[written++] = triple & 255;
  }
  if (padding > 0) {
    const a = decode[text.charCodeAt(end)] ?? -1;
    const b = decode[text.charCodeAt(end + 1)] ?? -1;
    const c = padding === 1 ? (decode[text.charCodeAt(end + 2)] ?? -1) : 0;
    if ((a | b | c) < 0) return null;
    // Non-zero bits under the padding would make two texts decode to the same bytes.
    if (padding === 2 ? (b & 15) !== 0 : (c & 3) !== 0) return null;
    bytes[written] = (a << 2) | (b >>> 4);
    if (padding === 1) bytes[written + 1] = ((b & 15) << 4) | (c >>> 2);
  }
  return bytes;
}

function isBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  const decode = BASE64_DECODE;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const end = text.length - padding;
  for (let index = 0; index < end; index++) {
    if ((decode[text.charCodeAt(index)] ?? -1) < 0) return false;
  }
  return true;
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
