/**
 * "Reply securely" from a secure message opened in Thunderbird: a reply to its sender, threaded
 * to the mail it came in (Thunderbird's own reply), with the decrypted text quoted and secure
 * mode on. The sender's account key, when known, is chosen by itself (docs/keys.md).
 */
import { bytesFromBase64 } from '../core/envelopeCodec.ts';
import { parseOriginalMime } from '../core/mime/parseMime.ts';
import { plainTextOf, quoteText, replySubject } from '../core/replyQuote.ts';
import type { Requests } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import { setSecure } from './secureMode.ts';
import { openSecureMessage } from './sentCopy.ts';

export async function replySecurely(
  host: Host,
  messageId: number,
): Promise<Requests['replySecurely']['res']> {
  const opened = await openSecureMessage(host, messageId);
  if (!opened.ok) return { ok: false, reason: opened.reason };
  const mime = bytesFromBase64(opened.mimeBase64);
  if (!mime) return { ok: false, reason: 'damaged' };
  const original = await parseOriginalMime(mime);
  const when = original.date
    ? new Date(original.date).toLocaleString(host.uiLocale(), {
        dateStyle: 'medium',
        timeStyle: 'short',
      })
    : '';
  const header = host.message('replyQuoteHeader', [when, original.from]);
  // The window opens empty and in secure mode; only then do the decrypted subject and text go
  // in. Should switching it on fail, the plaintext never reached a window that could send it.
  const tabId = await host.beginReply(messageId, { subject: '', plainTextBody: '' });
  await setSecure(host, tabId, true);
  await host.setComposeDetails(tabId, {
    subject: replySubject(original.subject),
    plainTextBody: quoteText(header, plainTextOf(original)),
  });
  return { ok: true };
}
