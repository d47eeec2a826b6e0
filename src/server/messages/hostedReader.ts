/**
 * The hosted reader: `GET /r/:messageId` serves the very reader build that travels as the mail's
 * attachment (`dist/reader/secure-message.html`), so there is one reader to review. The envelope
 * placeholder stays in place; a `<meta name="sealpost-hosted" content="<messageId>">` in the head
 * tells the reader to fetch the message from this server instead (the mail share comes from the
 * link's `#fragment`, which browsers never send).
 *
 * The build carries its own CSP `<meta>` with `default-src 'none'` (no network for the
 * attachment). A page obeys every policy it is given, so a header alone could not allow the API
 * calls; the hosted copy gets the same policy plus `connect-src 'self'`, both in the header and
 * in the rewritten meta.
 */

/** The meta the reader looks for. */
export const HOSTED_META_NAME = 'sealpost-hosted';

const CSP_META = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i;

/** The reader's policy with API calls to this server allowed. */
export function hostedContentSecurityPolicy(attachmentPolicy: string | null): string {
  const base =
    attachmentPolicy ??
    "default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'";
  const directives = base
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive.length > 0 && !directive.startsWith('connect-src'));
  directives.push("connect-src 'self'");
  return directives.join('; ');
}

export interface HostedPage {
  html: string;
  contentSecurityPolicy: string;
}

/**
 * Marks the reader HTML as hosted for `messageId` (a validated UUID: it contains nothing that
 * needs escaping in an attribute, but it is escaped anyway). Only the head is touched: the
 * inline script after it is large and may contain anything.
 */
export function hostedReaderPage(readerHtml: string, messageId: string): HostedPage {
  const headEnd = readerHtml.search(/<script[\s>]/i);
  const headPart = headEnd === -1 ? readerHtml : readerHtml.slice(0, headEnd);
  const rest = headEnd === -1 ? '' : readerHtml.slice(headEnd);
  const attachmentPolicy = CSP_META.exec(headPart)?.[1] ?? null;
  const contentSecurityPolicy = hostedContentSecurityPolicy(attachmentPolicy);
  const marker = `<meta name="${HOSTED_META_NAME}" content="${escapeAttribute(messageId)}" />`;
  let head = headPart.replace(
    CSP_META,
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy)}" />`,
  );
  // After the charset declaration (which must come first), else right after <head>.
  const anchor = /<meta\s+charset=[^>]*>/i.test(head) ? /<meta\s+charset=[^>]*>/i : /<head[^>]*>/i;
  head = anchor.test(head)
    ? head.replace(anchor, (tag) => `${tag}\n    ${marker}`)
    : `${marker}\n${head}`;
  return { html: head + rest, contentSecurityPolicy };
}

/** Escapes text for an HTML attribute or element body. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const escapeAttribute = escapeHtml;
