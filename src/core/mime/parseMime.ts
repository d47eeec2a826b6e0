import PostalMime, { type Address, type Attachment } from 'postal-mime';
import { splitMime, type SplitMime } from './mimeSplitter.ts';

export { MimeTooLargeError } from './mimeSplitter.ts';

/**
 * The most of a message kept in memory as bytes: everything but base64 attachments, which go
 * into Blobs as they stream (mimeSplitter.ts). The cap the whole MIME had before streaming.
 */
export const MAX_BUFFERED_MIME_BYTES = 256 * 1024 * 1024;

/** The original message as read back from the payload's MIME. */
export interface ParsedOriginal {
  subject: string;
  /** 'Name <addr>' or 'addr'. */
  from: string;
  to: string[];
  cc: string[];
  /** ISO 8601, or null when the message has no usable Date. */
  date: string | null;
  text: string | null;
  /** Unsanitised: the reader must sanitise it before showing it. */
  html: string | null;
  /** In Blobs: a large attachment's bytes stay out of the JS heap (Chromium pages them to disk). */
  attachments: { name: string; contentType: string; content: Blob }[];
  /** Its Message-ID (a reply's In-Reply-To), or null. */
  messageId: string | null;
  /** `X-Sealpost-Reply-Key`: the fingerprint of the key a reply is sealed to, or null. */
  replyKeyFingerprint: string | null;
}

/** Parses MIME bytes (with postal-mime, which runs in browsers and Node). */
export function parseOriginalMime(bytes: Uint8Array): Promise<ParsedOriginal> {
  return parseOriginalMimeStream(
    new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    }),
  );
}

/**
 * Parses MIME as it streams in, reading `stream` to its end: base64 attachments are decoded into
 * Blobs on the way, the rest is parsed by postal-mime. Throws MimeTooLargeError when the part
 * kept as bytes exceeds `maxBufferedBytes`.
 */
export async function parseOriginalMimeStream(
  stream: ReadableStream<Uint8Array>,
  maxBufferedBytes = MAX_BUFFERED_MIME_BYTES,
): Promise<ParsedOriginal> {
  const split = await splitMime(stream, { maxBufferedBytes });
  const email = await PostalMime.parse(split.skeleton, { attachmentEncoding: 'arraybuffer' });
  const date =
    email.date !== undefined && !Number.isNaN(Date.parse(email.date)) ? email.date : null;
  return {
    subject: email.subject ?? '',
    from: email.from ? (formatAddresses([email.from])[0] ?? '') : '',
    to: formatAddresses(email.to ?? []),
    cc: formatAddresses(email.cc ?? []),
    date: date === null ? null : new Date(date).toISOString(),
    text: email.text ?? null,
    html: email.html ?? null,
    messageId: email.messageId ?? null,
    replyKeyFingerprint:
      email.headers.find((header) => header.key === 'x-sealpost-reply-key')?.value.trim() ?? null,
    attachments: email.attachments.map((attachment, index) => ({
      name: attachment.filename ?? `attachment-${index + 1}`,
      contentType: attachment.mimeType,
      content: contentBlob(attachment, split),
    })),
  };
}

/** The attachment's Blob: the streamed pieces its marker names, or the bytes postal-mime read. */
function contentBlob(attachment: Attachment, split: SplitMime): Blob {
  const bytes = contentBytes(attachment.content);
  const type = attachment.mimeType;
  const marker = bytes.length <= 64 ? new TextDecoder('latin1').decode(bytes) : '';
  if (marker.startsWith(split.markerPrefix)) {
    const pieces = split.contents[Number(marker.slice(split.markerPrefix.length))];
    if (pieces) return new Blob(pieces, { type });
  }
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
}

function formatAddresses(addresses: Address[]): string[] {
  return addresses.flatMap((address) =>
    address.group !== undefined
      ? address.group.map((member) => formatMailbox(member.name, member.address))
      : [formatMailbox(address.name, address.address)],
  );
}

function formatMailbox(name: string, address: string): string {
  return name.length > 0 ? `${name} <${address}>` : address;
}

function contentBytes(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}
