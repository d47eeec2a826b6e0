/**
 * The page a removal link opens (`/devices/:deviceId/remove?token=…`): self-contained HTML with
 * no script, one button that posts the token back (a GET never removes anything, since mail
 * scanners fetch links), and a policy that allows nothing else: its one style block by hash, a
 * form only to this server, no frames, no referrer.
 */
import { staticPagePolicy } from '../staticPagePolicy.ts';
import type { NotificationLanguage } from '../../core/languages.ts';
import { mailDate } from '../mail/mailDate.ts';
import { escapeHtml } from '../messages/hostedReader.ts';
import { REMOVAL_PAGE } from './deviceText.ts';

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;padding:2rem 1rem;color:#1b1b1f;' +
  'background:#f6f6f8}main{max-width:32rem;margin:0 auto;background:#fff;padding:1.5rem;' +
  'border-radius:.5rem;border:1px solid #dcdce0}h1{font-size:1.3rem;margin-top:0}' +
  'button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:0;color:#fff;' +
  'background:#b3261e;cursor:pointer}';

/** The removal pages' policy: the style block by its hash, and nothing else but posting here. */
export const REMOVAL_PAGE_POLICY = staticPagePolicy(STYLE, "'self'");

/** Headers every removal page carries (with `Cache-Control: no-store` from app.ts). */
export const REMOVAL_PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': REMOVAL_PAGE_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export type RemovalPage =
  | { kind: 'confirm'; organisationName: string; expiresAt: Date; token: string }
  | { kind: 'done' }
  | { kind: 'invalid' };

/** The HTML of one removal page, in the device's language (English for an invalid link). */
export function removalPageHtml(language: NotificationLanguage, page: RemovalPage): string {
  const texts = REMOVAL_PAGE[language];
  let content: string;
  if (page.kind === 'confirm') {
    content =
      `<h1>${escapeHtml(texts.confirmHeading)}</h1>\n` +
      `<p>${escapeHtml(texts.confirm(page.organisationName, mailDate(page.expiresAt)))}</p>\n` +
      // Relative: the page's own path, without its query string (the token goes in the body).
      `<form method="post" action="remove">\n` +
      `<input type="hidden" name="token" value="${escapeHtml(page.token)}">\n` +
      `<button type="submit">${escapeHtml(texts.button)}</button>\n</form>`;
  } else if (page.kind === 'done') {
    content = `<h1>${escapeHtml(texts.doneHeading)}</h1>\n<p>${escapeHtml(texts.done)}</p>`;
  } else {
    content = `<h1>${escapeHtml(texts.invalidHeading)}</h1>\n<p>${escapeHtml(texts.invalid)}</p>`;
  }
  return (
    `<!doctype html>\n<html lang="${language}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<meta name="referrer" content="no-referrer">\n` +
    `<title>Sealpost: ${escapeHtml(texts.title)}</title>\n<style>${STYLE}</style>\n</head>\n` +
    `<body>\n<main>\n${content}\n</main>\n</body>\n</html>\n`
  );
}
