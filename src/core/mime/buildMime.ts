import { createMimeMessage } from 'mimetext/browser';
import { base64AsciiFromBytes } from '../envelopeCodec.ts';

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
  /** Carried byte for byte. */
  attachments: { name: string; contentType: string; bytes: Uint8Array }[];
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
 * Throws on values that cannot be written safely (an address or message id with line breaks
 * or angle brackets): callers treat that as a failed seal, never as a reason to send plaintext.
 */
export function buildOriginalMime(message: OriginalMessage): Uint8Array {
  const mime = createMimeMessage();
  mime.setHeader('Date', formatDate(message.date));
  mime.setSender(mailbox(message.from.name, message.from.address));
  if (message.to.length > 0) mime.setTo(message.to.map(parseMailbox));
  if (message.cc.length > 0) mime.setCc(message.cc.map(parseMailbox));
  if (!/^<[^<>\s]+@[^<>\s]+>$/.test(message.messageId)) {
    throw new Error('buildOriginalMime: message id must look like <local@domain>');
  }
  mime.setHeader('Message-ID', message.messageId);
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
  for (const attachment of message.attachments) {
    mime.addAttachment({
      filename: encodeFileName(attachment.name),
      contentType: safeContentType(attachment.contentType),
      data: asciiDecoder.decode(base64AsciiFromBytes(attachment.bytes, 76)),
      encoding: 'base64',
    });
  }
  return new TextEncoder().encode(mime.asRaw());
}

const asciiDecoder = new TextDecoder('latin1');
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
  if (/^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name) && !name.includes('=?')) return name;
  return `=?UTF-8?B?${asciiDecoder.decode(base64AsciiFromBytes(textEncoder.encode(name)))}?=`;
}

function safeContentType(contentType: string): string {
  const trimmed = contentType.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(trimmed)
    ? trimmed
    : 'application/octet-stream';
}
