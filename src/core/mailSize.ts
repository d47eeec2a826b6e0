/**
 * How large a sealed mail will be on the wire, and whether the organisation's `maxMailSizeMB`
 * lets it leave. Pure arithmetic: the caller knows the reader file's size (the payload travels
 * inside it) and the plain parts.
 *
 * Thunderbird sends the reader file base64-encoded (4 bytes for every 3, plus a CRLF every 76
 * characters); the notification text, the headers and the MIME structure add a few kilobytes.
 */

/** One MB as the policy counts it (what mail providers and Thunderbird's 20 MB hint mean). */
export const MEGABYTE = 1_000_000;
/** Headers, the notification (text and HTML) and the MIME boundaries, generously. */
export const MAIL_OVERHEAD_BYTES = 64 * 1024;

/** The size in bytes of a sealed mail carrying a reader file of `readerFileBytes`. */
export function sealedMailBytes(readerFileBytes: number): number {
  const base64 = Math.ceil(readerFileBytes / 3) * 4;
  const lineBreaks = Math.ceil(base64 / 76) * 2;
  return base64 + lineBreaks + MAIL_OVERHEAD_BYTES;
}

/**
 * The sealed mail's size before sealing, from the plain message's attachments and body. The
 * original MIME carries attachments base64 (4/3), but the payload is compressed, which wins that
 * back: the payload is about as large as the files themselves. The reader file carries the payload
 * base64 (4/3) next to the reader, and the mail carries the reader file base64 again (4/3): about
 * 1.8× the attachments (a 25 MiB file made a 47.9 MB mail). An estimate for the panel's warning;
 * the send itself is measured after sealing.
 */
export function estimatedSealedMailBytes(attachmentBytes: number, bodyBytes: number): number {
  const payload = attachmentBytes + bodyBytes;
  return sealedMailBytes(Math.ceil((payload * 4) / 3) + READER_BYTES);
}

/** The reader's own size in the reader file (about 430 KB), for the estimate. */
export const READER_BYTES = 430 * 1024;

/** Whether a mail of `mailBytes` exceeds `maxMailSizeMB`. */
export function exceedsMailLimit(mailBytes: number, maxMailSizeMB: number): boolean {
  return mailBytes > maxMailSizeMB * MEGABYTE;
}

/** "48.3 MB": one decimal below 100 MB, none above, as the panel and the problem show it. */
export function megabytesText(bytes: number): string {
  const megabytes = bytes / MEGABYTE;
  return `${megabytes < 100 ? megabytes.toFixed(1) : Math.round(megabytes)} MB`;
}
