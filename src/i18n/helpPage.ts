/**
 * The recipients' help page, served by the Sealpost server at `/help/<language>` and linked from
 * every notification sent with a server: what a secure message is, how to open one, how to tell
 * a genuine one from phishing and what to do when it does not open. Plain static HTML from the
 * same catalogs as the notification (one text per language), with no script and no remote
 * resource, so it can be served under a CSP that allows nothing but its own style.
 */
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../core/languages.ts';
import { languageName, t } from './index.ts';
import { escapeHtml } from './html.ts';

/** The help page's path on the server; the language follows (`/help/de`). */
export const HELP_PATH = '/help';

/** The help page in `language` on the server at `serverUrl` (a base URL, maybe with a path). */
export function helpLinkIn(serverUrl: string, language: NotificationLanguage): string {
  return `${serverUrl.replace(/\/+$/, '')}${HELP_PATH}/${language}`;
}

/** The page's only style; the server allows exactly this text by its hash. */
export const HELP_PAGE_STYLE =
  'body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}' +
  'nav{margin-top:2rem;font-size:.9rem}nav a{margin-right:.75rem}';

export interface HelpPageFacts {
  /** The organisation the server belongs to (its configuration's name). */
  organisation: string;
  /** The host its message links lead to, as the recipient sees it in the address bar. */
  host: string;
}

/** The help page in `language`, every text escaped. */
export function helpPageHtml(language: NotificationLanguage, facts: HelpPageFacts): string {
  const { organisation, host } = facts;
  const text = escapeHtml;
  const checks = [
    t(language, 'notification.check-link-org', { host, organisation }),
    t(language, 'notification.check-password'),
    t(language, 'notification.check-contact'),
  ];
  const others = NOTIFICATION_LANGUAGES.filter((other) => other !== language).map(
    (other) =>
      `<a href="${other}" hreflang="${other}" lang="${other}">${text(languageName(other))}</a>`,
  );
  return (
    `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="color-scheme" content="light dark">` +
    `<title>${text(t(language, 'notification.help.title', { organisation }))}</title>` +
    `<style>${HELP_PAGE_STYLE}</style></head><body><main>` +
    `<h1>${text(t(language, 'notification.help.title', { organisation }))}</h1>` +
    `<p>${text(t(language, 'notification.help.intro', { organisation }))}</p>` +
    `<h2>${text(t(language, 'notification.help.open-heading'))}</h2>` +
    `<p>${text(t(language, 'notification.help.open'))}</p>` +
    `<h2>${text(t(language, 'notification.help.check-heading'))}</h2>` +
    `<ul>${checks.map((check) => `<li>${text(check)}</li>`).join('')}</ul>` +
    `<h2>${text(t(language, 'notification.help.trouble-heading'))}</h2>` +
    `<p>${text(t(language, 'notification.help.trouble', { button: t(language, 'reader.no-code.button') }))}</p>` +
    `</main><nav>${others.join('')}</nav></body></html>`
  );
}
