/**
 * What a mail sent by link attaches (docs/envelope.md §9): `secure-message.html` holding the
 * envelope and, for a person who opens it, the link to the message in each of the mail's
 * languages. No reader code and no payload, so it stays a few kilobytes whatever the message.
 * Thunderbird (the sender's sent copy, a recipient's own key) and independent tools read the
 * envelope from it; the payload is fetched from the envelope's `payloadLink`.
 */
import type { LinkedEnvelope } from '../core/envelope.ts';
import {
  ENVELOPE_ELEMENT,
  ENVELOPE_PLACEHOLDER,
  linkedEnvelopeJson,
} from '../core/envelopeCodec.ts';
import { hostedLinkIn } from './notification.ts';
import { t } from './index.ts';
import { escapeHtml } from './html.ts';

export function linkedEnvelopeHtml(envelope: LinkedEnvelope, readerLink: string): string {
  const sections = envelope.languages.map((language) => {
    const link = escapeHtml(hostedLinkIn(readerLink, language));
    return (
      `<p lang="${language}">${escapeHtml(t(language, 'notification.file-link'))}<br>` +
      `<a href="${link}">${link}</a></p>`
    );
  });
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="color-scheme" content="light dark">` +
    `<title>Sealpost</title></head><body>${sections.join('')}` +
    // A function replacement: `$` in the JSON must stay as it is.
    ENVELOPE_ELEMENT.replace(ENVELOPE_PLACEHOLDER, () => linkedEnvelopeJson(envelope)) +
    `</body></html>`
  );
}
