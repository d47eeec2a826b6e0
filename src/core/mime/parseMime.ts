import PostalMime, { type Address } from 'postal-mime';

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
  attachments: { name: string; contentType: string; bytes: Uint8Array }[];
  /** Its Message-ID (a reply's In-Reply-To), or null. */
  messageId: string | null;
  /** `X-Sealpost-Reply-Key`: the fingerprint of the key a reply is sealed to, or null. */
  replyKeyFingerprint: string | null;
}

/** Parses MIME bytes (with postal-mime, which runs in browsers and Node). */
export async function parseOriginalMime(bytes: Uint8Array): Promise<ParsedOriginal> {
  const email = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
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
      bytes: contentBytes(attachment.content),
    })),
  };
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
