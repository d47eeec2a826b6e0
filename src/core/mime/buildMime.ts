import { createMimeMessage } from 'mimetext/browser';
import { base64AsciiFromBytes, base64AsciiLength, writeBase64Ascii } from '../envelopeCodec.ts';

/**
 * The original message as the sender wrote it: what ends up, as MIME, inside the payload.
 * Addresses are 'Name <addr>' or 'addr'.
 */
export interface OriginalMessage {
  /** e.g. '<uuid@sealpost>' */
  messageId: string;
  date: Date;
  from: { name: string; address: string };
  to: string[];
  /** Bcc is deliberately absent: every recipient can decrypt the payload and would read it. */
  cc: string[];
  /** Unicode allowed. */
  subject: string;
  body: { kind: 'plain'; text: string } | { kind: 'html'; html: string; text?: string };
  /**
   * Carried byte for byte. A Blob (such as the File Thunderbird gives for a compose attachment)
   * is read a chunk at a time while sealing, so the whole attachment is never copied into memory.
   */
  attachments: { name: string; contentType: string; bytes: AttachmentContent }[];
  /** A reply: the Message-ID of the message it answers (`In-Reply-To`, `References`). */
  inReplyTo?: string;
  /**
   * The fingerprint of the sender's key a secure reply is sealed to (`X-Sealpost-Reply-Key`):
   * inside the payload, it vouches for the envelope's `replyKey`.
   */
  replyKeyFingerprint?: string;
}

/** An attachment's content: bytes in memory, or a Blob/File read while streaming. */
export type AttachmentContent = Uint8Array | Blob;

function contentLength(content: AttachmentContent): number {
  return content instanceof Uint8Array ? content.length : content.size;
}

/**
 * Builds the original message as RFC 5322/2045 MIME bytes (CRLF line ends), with mimetext's
 * browser build so Node and the extension produce the same bytes:
 * - headers Date, From, To, Cc, Message-ID, Subject, MIME-Version; non-ASCII display names and
 *   the subject as RFC 2047 encoded words;
 * - the body as text/plain or text/html (with a text/plain alternative when given), UTF-8,
 *   base64;
 * - each attachment as its own base64 part (76-character lines), the file name as an RFC 2047
 *   encoded word when it is not plain ASCII.
 * Every text part is base64, so no line of content can look like a MIME boundary.
 *
 * mimetext lays out the structure with a short marker in place of each attachment's content;
 * the base64 of the attachment is then written straight into the output buffer at the marker
 * (or, with streamOriginalMime, produced chunk by chunk).
 * Building a 25 MB message as strings would hold the base64 three times over (the part, the
 * joined message, the encoded bytes).
 *
 * Throws on values that cannot be written safely (an address or message id with line breaks
 * or angle brackets): callers treat that as a failed seal, never as a reason to send plaintext.
 * Attachments must be bytes here (this builds synchronously); Blob attachments need
 * streamOriginalMime.
 */
export function buildOriginalMime(message: OriginalMessage): Uint8Array {
  const layout = layOut(message);
  const output = new Uint8Array(layout.size);
  let offset = 0;
  for (const [index, piece] of layout.pieces.entries()) {
    output.set(piece, offset);
    offset += piece.length;
    const attachment = message.attachments[index];
    if (!attachment) continue;
    if (!(attachment.bytes instanceof Uint8Array)) {
      throw new TypeError('buildOriginalMime: attachments must be bytes; stream Blobs instead');
    }
    offset = writeBase64Ascii(attachment.bytes, 76, output, offset);
  }
  return output;
}

/**
 * The same bytes as buildOriginalMime, produced as a stream while they are read, with their
 * total size known up front. An attachment's base64 exists only one chunk (about 1.3 MB) at a
 * time, so sealing a 25 MB message does not first need a 34 MB MIME copy of it; a Blob
 * attachment is read one slice (about 0.9 MB) at a time, so it is never held whole either.
 * A Blob that cannot be read errors the stream (and so the seal).
 */
export function streamOriginalMime(message: OriginalMessage): {
  size: number;
  stream: ReadableStream<Uint8Array>;
} {
  const layout = layOut(message);
  // Whole 76-character lines per chunk: 57 bytes make one line.
  const bytesPerChunk = 57 * 16 * 1024;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const [index, piece] of layout.pieces.entries()) {
      yield piece;
      const content = message.attachments[index]?.bytes;
      if (content === undefined) continue;
      const length = contentLength(content);
      for (let offset = 0; offset < length; offset += bytesPerChunk) {
        const end = Math.min(length, offset + bytesPerChunk);
        const slice =
          content instanceof Uint8Array
            ? content.subarray(offset, end)
            : new Uint8Array(await content.slice(offset, end).arrayBuffer());
        if (slice.length !== end - offset) {
          throw new Error('streamOriginalMime: an attachment changed size while being read');
        }
        const lineBreak = offset > 0 ? 2 : 0; // CRLF between this chunk's lines and the last's
        const chunk = new Uint8Array(lineBreak + base64AsciiLength(slice.length, 76));
        if (lineBreak) chunk.set([13, 10]);
        writeBase64Ascii(slice, 76, chunk, lineBreak);
        yield chunk;
      }
    }
  }
  const iterator = chunks();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return(undefined);
    },
  });
  return { size: layout.size, stream };
}

/**
 * The message's MIME text as pieces around its attachments' content: pieces[i] comes before
 * attachment i, the last piece after the last attachment.
 */
function layOut(message: OriginalMessage): { pieces: Uint8Array[]; size: number } {
  const mime = createMimeMessage();
  mime.setHeader('Date', formatDate(message.date));
  mime.setSender(mailbox(message.from.name, message.from.address));
  if (message.to.length > 0) mime.setTo(message.to.map(parseMailbox));
  if (message.cc.length > 0) mime.setCc(message.cc.map(parseMailbox));
  if (!/^<[^<>\s]+@[^<>\s]+>$/.test(message.messageId)) {
    throw new Error('buildOriginalMime: message id must look like <local@domain>');
  }
  mime.setHeader('Message-ID', message.messageId);
  if (message.inReplyTo !== undefined) {
    if (!/^<[^<>\s]+@[^<>\s]+>$/.test(message.inReplyTo)) {
      throw new Error('buildOriginalMime: In-Reply-To must look like <local@domain>');
    }
    mime.setHeader('In-Reply-To', message.inReplyTo);
    mime.setHeader('References', message.inReplyTo);
  }
  if (message.replyKeyFingerprint !== undefined) {
    if (!/^[0-9A-F]{40}$|^[0-9A-F]{64}$/.test(message.replyKeyFingerprint)) {
      throw new Error('buildOriginalMime: the reply key fingerprint must be upper-case hex');
    }
    mime.setHeader('X-Sealpost-Reply-Key', message.replyKeyFingerprint);
  }
  mime.setSubject(message.subject);

  const { body } = message;
  if (body.kind === 'plain') {
    mime.addMessage({ contentType: 'text/plain', data: base64Text(body.text), encoding: 'base64' });
  } else {
    if (body.text !== undefined) {
      mime.addMessage({
        contentType: 'text/plain',
        data: base64Text(body.text),
        encoding: 'base64',
      });
    }
    mime.addMessage({ contentType: 'text/html', data: base64Text(body.html), encoding: 'base64' });
  }
  // '<<' cannot occur anywhere else in the message: base64 has no '<', names and the subject
  // are encoded words, addresses and the message id are checked to hold no '<' or '>'.
  const markers = message.attachments.map((_, index) => `<<sealpost-attachment-${index}>>`);
  for (const [index, attachment] of message.attachments.entries()) {
    mime.addAttachment({
      filename: encodeFileName(attachment.name),
      contentType: safeContentType(attachment.contentType),
      data: markers[index]!,
      encoding: 'base64',
    });
  }
  const pieces: Uint8Array[] = [];
  let rest = mime.asRaw();
  for (const marker of markers) {
    const at = rest.indexOf(marker);
    if (at < 0 || rest.indexOf(marker, at + 1) >= 0) {
      throw new Error('buildOriginalMime: attachment marker not found exactly once');
    }
    pieces.push(textEncoder.encode(rest.slice(0, at)));
    rest = rest.slice(at + marker.length);
  }
  pieces.push(textEncoder.encode(rest));
  let size = pieces.reduce((sum, piece) => sum + piece.length, 0);
  for (const attachment of message.attachments) {
    size += base64AsciiLength(contentLength(attachment.bytes), 76);
  }
  return { pieces, size };
}

// Base64 is ASCII, so UTF-8 decoding gives the same text; V8's UTF-8 decoder writes a one-byte
// string directly, its latin1 decoder goes through a two-byte copy (3× the memory at its peak).
const asciiDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

function base64Text(text: string): string {
  return asciiDecoder.decode(base64AsciiFromBytes(textEncoder.encode(text), 76));
}

/** RFC 5322 date in UTC, e.g. `Fri, 27 Nov 2026 07:50:00 +0000`. */
function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error('buildOriginalMime: invalid date');
  return date.toUTCString().replace(/GMT$/, '+0000');
}

function mailbox(name: string, address: string): { name?: string; addr: string } {
  const trimmedAddress = address.trim();
  if (!/^[^\s<>",;]+@[^\s<>",;]+$/.test(trimmedAddress)) {
    throw new Error(`buildOriginalMime: not an address: ${JSON.stringify(address)}`);
  }
  // The name is written as an RFC 2047 encoded word by mimetext, so any character is safe.
  const trimmedName = name.trim();
  return trimmedName.length > 0
    ? { name: trimmedName, addr: trimmedAddress }
    : { addr: trimmedAddress };
}

/** 'Name <addr>', '"Name" <addr>' or 'addr' (as Thunderbird's compose details give them). */
export function parseMailbox(text: string): { name?: string; addr: string } {
  const match = /^\s*(?:"?(.*?)"?\s*)?<([^<>]*)>\s*$/.exec(text);
  if (match) return mailbox((match[1] ?? '').replace(/\\(.)/g, '$1'), match[2] ?? '');
  return mailbox('', text);
}

/**
 * File names go inside a quoted parameter; anything beyond printable ASCII without quotes and
 * backslashes is written as one RFC 2047 encoded word, which postal-mime, Thunderbird and
 * most readers decode in `name`/`filename` parameters.
 */
function encodeFileName(name: string): string {
  // '<' and '>' are encoded too: the attachment markers of buildOriginalMime use them.
  if (/^[\x20-\x7e]*$/.test(name) && !/["\\<>]/.test(name) && !name.includes('=?')) return name;
  return `=?UTF-8?B?${asciiDecoder.decode(base64AsciiFromBytes(textEncoder.encode(name)))}?=`;
}

function safeContentType(contentType: string): string {
  const trimmed = contentType.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(trimmed)
    ? trimmed
    : 'application/octet-stream';
}
