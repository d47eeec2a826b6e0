/**
 * Splits a MIME message as it streams in, so a message of gigabytes opens without ever being
 * held whole: the top-level `multipart/mixed` is cut at its boundary as bytes arrive, each
 * attachment part in base64 (what buildMime writes, docs/envelope.md §5) is decoded straight
 * into Blobs (which Chromium keeps out of the JS heap, and pages to disk), and everything else
 * is kept as bytes in a small "skeleton" message for postal-mime, which still does the hard
 * parts (encoded words, charsets, nested multiparts). Each streamed part stays in the skeleton
 * with its headers and a short marker as its content, so postal-mime's result can be matched
 * back to the Blobs (parseMime.ts).
 *
 * Anything else (a message that is not multipart/mixed, an attachment in another encoding, a
 * calendar part postal-mime rewrites) is kept as bytes: it opens as before, within
 * `maxBufferedBytes`.
 */
import { Base64BlobDecoder, base64AsciiFromBytes } from '../base64.ts';

/** The buffered part of a message (everything but streamed attachments) exceeds its cap. */
export class MimeTooLargeError extends Error {
  override name = 'MimeTooLargeError';
}

export interface SplitMimeOptions {
  /** The most bytes kept in memory: headers, the body, and parts that are not streamed. */
  maxBufferedBytes: number;
  /** Decoded bytes collected before they become one Blob piece. */
  blobPieceBytes?: number;
}

export interface SplitMime {
  /** The message with every streamed attachment's content replaced by a marker. */
  skeleton: Uint8Array;
  /** What a marker names: `contents[index]` for the text `markerPrefix + index`. */
  markerPrefix: string;
  contents: Blob[][];
}

const CR = 13;
const LF = 10;
const DASH = 45;
const SPACE = 32;
const TAB = 9;
/** Headers longer than this are not looked into: the part (or message) is kept as it is. */
const MAX_HEADER_BYTES = 256 * 1024;
/** Transport padding after a boundary (RFC 2046 §5.1.1) longer than this is not a boundary. */
const MAX_PADDING = 256;
const DEFAULT_PIECE_BYTES = 8 * 1024 * 1024;
const ascii = new TextEncoder();
const latin1 = new TextDecoder('latin1');

/** Reads `stream` to its end and splits it; throws MimeTooLargeError past the cap. */
export async function splitMime(
  stream: ReadableStream<Uint8Array>,
  options: SplitMimeOptions,
): Promise<SplitMime> {
  const splitter = new MimeSplitter(options);
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    try {
      splitter.push(value);
    } catch (error) {
      await reader.cancel(error).catch(() => undefined);
      throw error;
    }
  }
  return splitter.end();
}

type Part =
  | { mode: 'headers'; headers: Uint8Array }
  | { mode: 'buffered' }
  | { mode: 'streamed'; decoder: Base64BlobDecoder };

class MimeSplitter {
  private readonly skeleton: Uint8Array[] = [];
  private buffered = 0;
  private pending: Uint8Array = new Uint8Array(0);
  private mode: 'root' | 'whole' | 'multipart' | 'epilogue' = 'root';
  /** `\n--boundary`: the body is scanned as if it began with CRLF, so the first one matches. */
  private delimiter = new Uint8Array(0);
  private boundary = '';
  /** null: the preamble, which nobody reads. */
  private part: Part | null = null;
  private parts = 0;
  private readonly contents: Blob[][] = [];
  readonly markerPrefix = `sealpost-streamed-part:${randomHex()}:`;

  constructor(private readonly options: SplitMimeOptions) {}

  push(chunk: Uint8Array): void {
    if (this.mode === 'epilogue' || chunk.length === 0) return;
    if (this.mode === 'whole') return this.keep(chunk);
    this.pending = this.pending.length === 0 ? chunk : concat([this.pending, chunk]);
    if (this.mode === 'root') this.readRoot(false);
    else this.scan(false);
  }

  end(): SplitMime {
    if (this.mode === 'root') this.readRoot(true);
    else if (this.mode === 'multipart') {
      this.scan(true);
      this.finishPart();
      this.keep(ascii.encode(`\r\n--${this.boundary}--\r\n`));
    }
    return {
      skeleton: concat(this.skeleton),
      markerPrefix: this.markerPrefix,
      contents: this.contents,
    };
  }

  private keep(bytes: Uint8Array): void {
    this.buffered += bytes.length;
    if (this.buffered > this.options.maxBufferedBytes) throw new MimeTooLargeError();
    this.skeleton.push(bytes);
  }

  private readRoot(ended: boolean): void {
    const headerEnd = headerBlockEnd(this.pending);
    if (headerEnd < 0) {
      if (!ended && this.pending.length <= MAX_HEADER_BYTES) return;
      return this.keepWhole();
    }
    const headers = this.pending.subarray(0, headerEnd);
    const boundary = mixedBoundary(parseHeaders(headers));
    if (!boundary) return this.keepWhole();
    this.keep(headers);
    this.boundary = boundary;
    this.delimiter = ascii.encode(`\n--${boundary}`);
    this.mode = 'multipart';
    this.pending = concat([ascii.encode('\r\n'), this.pending.subarray(headerEnd)]);
    this.scan(ended);
  }

  private keepWhole(): void {
    this.mode = 'whole';
    this.keep(this.pending);
    this.pending = new Uint8Array(0);
  }

  /** Hands on everything up to the last place a delimiter could begin. */
  private scan(ended: boolean): void {
    for (;;) {
      const pending = this.pending;
      const at = indexOf(pending, this.delimiter);
      if (at < 0) {
        const safe = ended
          ? pending.length
          : Math.max(0, pending.length - this.delimiter.length - 1);
        this.write(pending.subarray(0, safe));
        this.pending = pending.subarray(safe);
        return;
      }
      const line = delimiterLine(pending, at + this.delimiter.length, ended);
      if (line === 'not-one') {
        this.write(pending.subarray(0, at + 1));
        this.pending = pending.subarray(at + 1);
        continue;
      }
      // The CRLF before the boundary belongs to the delimiter, not to the part.
      const contentEnd = at > 0 && pending[at - 1] === CR ? at - 1 : at;
      this.write(pending.subarray(0, contentEnd));
      if (line === 'wait') {
        this.pending = pending.subarray(contentEnd);
        return;
      }
      this.finishPart();
      if (line.closing) {
        this.mode = 'epilogue';
        this.pending = new Uint8Array(0);
        this.keep(ascii.encode(`\r\n--${this.boundary}--\r\n`));
        return;
      }
      this.part = { mode: 'headers', headers: new Uint8Array(0) };
      this.pending = pending.subarray(line.next);
    }
  }

  private write(bytes: Uint8Array): void {
    const part = this.part;
    if (!part || bytes.length === 0) return;
    if (part.mode === 'buffered') return this.keep(bytes);
    if (part.mode === 'streamed') return part.decoder.write(bytes);
    const headers = concat([part.headers, bytes]);
    const headerEnd = headerBlockEnd(headers);
    if (headerEnd < 0) {
      if (headers.length <= MAX_HEADER_BYTES) part.headers = headers;
      else this.startBody({ mode: 'buffered' }, headers, new Uint8Array(0));
      return;
    }
    const head = headers.subarray(0, headerEnd);
    const body = headers.subarray(headerEnd);
    this.startBody(
      streams(parseHeaders(head)) ? this.streamedPart() : { mode: 'buffered' },
      head,
      body,
    );
  }

  private streamedPart(): Part {
    const decoder = new Base64BlobDecoder(this.options.blobPieceBytes ?? DEFAULT_PIECE_BYTES);
    return { mode: 'streamed', decoder };
  }

  private startBody(part: Part, head: Uint8Array, body: Uint8Array): void {
    this.keep(ascii.encode(`${this.parts++ === 0 ? '' : '\r\n'}--${this.boundary}\r\n`));
    this.keep(head);
    this.part = part;
    if (part.mode === 'streamed') {
      const marker = ascii.encode(`${this.markerPrefix}${this.contents.length}`);
      this.keep(base64AsciiFromBytes(marker));
      this.contents.push(part.decoder.pieces);
    }
    this.write(body);
  }

  private finishPart(): void {
    const part = this.part;
    // A part that ended inside its headers is kept as it came.
    if (part?.mode === 'headers')
      this.startBody({ mode: 'buffered' }, part.headers, new Uint8Array(0));
    if (part?.mode === 'streamed') part.decoder.end();
    this.part = null;
  }
}

/**
 * What follows `\n--boundary` at `index`: the end of a delimiter line (`next` is where the
 * part begins), not a delimiter at all (`--boundaryX`, text after it), or too few bytes yet.
 */
function delimiterLine(
  bytes: Uint8Array,
  index: number,
  ended: boolean,
): { closing: boolean; next: number } | 'not-one' | 'wait' {
  if (bytes.length - index < 2 && !ended) return 'wait';
  const closing = bytes[index] === DASH && bytes[index + 1] === DASH;
  let position = closing ? index + 2 : index;
  const paddingStart = position;
  while (position < bytes.length && (bytes[position] === SPACE || bytes[position] === TAB)) {
    if (position - paddingStart > MAX_PADDING) return 'not-one';
    position++;
  }
  if (position >= bytes.length) return ended ? { closing, next: position } : 'wait';
  if (bytes[position] === LF) return { closing, next: position + 1 };
  if (bytes[position] !== CR) return 'not-one';
  if (position + 1 >= bytes.length) return ended ? { closing, next: position + 1 } : 'wait';
  return bytes[position + 1] === LF ? { closing, next: position + 2 } : 'not-one';
}

/** Index just past the empty line that ends a header block, or -1. */
export function headerBlockEnd(bytes: Uint8Array): number {
  if (bytes[0] === LF) return 1;
  if (bytes[0] === CR && bytes[1] === LF) return 2;
  for (let index = bytes.indexOf(LF); index >= 0; index = bytes.indexOf(LF, index + 1)) {
    if (bytes[index + 1] === LF) return index + 2;
    if (bytes[index + 1] === CR && bytes[index + 2] === LF) return index + 3;
  }
  return -1;
}

/** Header names (lower case) and unfolded values; the first of a repeated name counts. */
function parseHeaders(bytes: Uint8Array): Map<string, string> {
  const headers = new Map<string, string>();
  const unfolded = latin1.decode(bytes).replace(/\r?\n[ \t]/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/** The boundary of a `multipart/mixed` root, or null for anything else. */
function mixedBoundary(headers: Map<string, string>): string | null {
  const contentType = headers.get('content-type') ?? '';
  if (headerValue(contentType) !== 'multipart/mixed') return null;
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary && boundary.length <= 200 ? boundary : null;
}

/**
 * Streamed: an attachment in base64, unless postal-mime treats its type specially (a nested
 * message or multipart is parsed, a calendar rewritten as text).
 */
function streams(headers: Map<string, string>): boolean {
  const type = headerValue(headers.get('content-type') ?? 'text/plain');
  return (
    headerValue(headers.get('content-disposition') ?? '') === 'attachment' &&
    headerValue(headers.get('content-transfer-encoding') ?? '') === 'base64' &&
    !/^(multipart|message)\//.test(type) &&
    type !== 'text/calendar' &&
    type !== 'application/ics'
  );
}

function headerValue(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  // Search for the needle's second byte, '-': base64 text has none, so the scan is quick.
  const [first, second] = [needle[0], needle[1]];
  for (let at = haystack.indexOf(second!, 1); at >= 0; at = haystack.indexOf(second!, at + 1)) {
    const start = at - 1;
    if (haystack[start] !== first || start + needle.length > haystack.length) continue;
    let index = 2;
    while (index < needle.length && haystack[start + index] === needle[index]) index++;
    if (index === needle.length) return start;
  }
  return -1;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}

function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
