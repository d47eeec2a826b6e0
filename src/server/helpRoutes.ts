/**
 * The recipients' help page (src/i18n/helpPage.ts), linked from every notification sent with
 * this server: `/help/<language>` in one of the notification languages, any other language in
 * English, and `/help` in the language the browser asks for first. Static HTML without script,
 * under a policy that allows only its own style block.
 */
import { staticPagePolicy } from './staticPagePolicy.ts';
import type { FastifyPluginAsync } from 'fastify';
import { isNotificationLanguage } from '../core/languages.ts';
import { HELP_PAGE_STYLE, HELP_PATH, helpPageHtml } from '../i18n/helpPage.ts';
import { NOTIFICATION_LANGUAGES, pickLanguage } from '../i18n/index.ts';

/** The help page's policy: its style block by hash, nothing else (no script, form or frame). */
export const HELP_PAGE_POLICY = staticPagePolicy(HELP_PAGE_STYLE, "'none'");

/** `de-AT,de;q=0.9,en;q=0.5` → `['de-AT', 'de', 'en']`, highest weight first. */
function acceptedLanguages(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const weight = parameters
        .map((parameter) => /^\s*q=([\d.]+)\s*$/.exec(parameter)?.[1])
        .find((value) => value !== undefined);
      return { tag: tag.trim(), weight: weight === undefined ? 1 : Number(weight), index };
    })
    .filter((entry) => entry.tag !== '' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((entry) => entry.tag);
}

export const helpRoutes: FastifyPluginAsync = async (app) => {
  const { config } = app.deps;
  app.get(HELP_PATH, async (request, reply) => {
    const language = pickLanguage(
      NOTIFICATION_LANGUAGES,
      acceptedLanguages(request.headers['accept-language']),
    );
    // Relative, so it holds behind a proxy that serves the server under a path.
    return reply.redirect(`help/${language}`, 302);
  });

  app.get<{ Params: { language: string } }>(`${HELP_PATH}/:language`, async (request, reply) => {
    const asked = request.params.language;
    // An unknown language (an old link, a typo) still gets help: in English.
    const language = isNotificationLanguage(asked) ? asked : 'en';
    return (
      reply
        .headers({
          'content-type': 'text/html; charset=utf-8',
          'content-language': language,
          'content-security-policy': HELP_PAGE_POLICY,
          'referrer-policy': 'no-referrer',
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
        })
        // Built per request (a few microseconds): the configuration is read as it is now.
        .send(
          helpPageHtml(language, {
            organisation: config.organisation.name,
            host: new URL(config.publicUrl).host,
          }),
        )
    );
  });
};
