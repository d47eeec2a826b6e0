/**
 * The recipients' help page over real HTTP: one page per notification language from the
 * catalogs, English for any other language, `/help` by the browser's languages, and a policy
 * that lets the page run nothing.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_LANGUAGES } from '../../src/core/languages.ts';
import { escapeHtml } from '../../src/i18n/html.ts';
import { t } from '../../src/i18n/index.ts';
import { startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('pglite');
});
afterAll(() => server.close());

async function page(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.baseUrl + path, { headers, redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

describe('GET /help/<language>', () => {
  it.each(NOTIFICATION_LANGUAGES)(
    'serves the help in %s, naming the organisation and its server',
    async (language) => {
      const { status, headers, html } = await page(`/help/${language}`);
      expect(status).toBe(200);
      expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(headers.get('content-language')).toBe(language);
      expect(html).toContain(`<html lang="${language}">`);
      const organisation = server.config.organisation.name;
      const host = new URL(server.config.publicUrl).host;
      for (const text of [
        t(language, 'notification.help.title', { organisation }),
        t(language, 'notification.help.open'),
        t(language, 'notification.check-link-org', { host, organisation }),
        t(language, 'notification.check-password'),
        t(language, 'notification.help.trouble', {
          button: t(language, 'reader.no-code.button'),
        }),
      ]) {
        expect(html).toContain(escapeHtml(text));
      }
    },
  );

  it('answers a language it does not have in English', async () => {
    const { status, headers, html } = await page('/help/xx');
    expect(status).toBe(200);
    expect(headers.get('content-language')).toBe('en');
    expect(html).toContain(escapeHtml(t('en', 'notification.help.open')));
  });

  it('runs nothing: no script, and a policy that allows only its own style block', async () => {
    const { headers, html } = await page('/help/de');
    expect(html).not.toMatch(/<script|<iframe|<form|\son\w+=/i);
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; form-action 'none'; ` +
        `base-uri 'none'; frame-ancestors 'none'`,
    );
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('GET /help', () => {
  it('sends the browser to the page in the first of its languages that exists', async () => {
    const french = await page('/help', { 'accept-language': 'ja, fr-CH;q=0.9, de;q=0.8' });
    expect(french.status).toBe(302);
    expect(new URL(french.headers.get('location') ?? '', server.baseUrl + '/help').pathname).toBe(
      '/help/fr',
    );
    const weighted = await page('/help', { 'accept-language': 'nl;q=0.2, it;q=0.7' });
    expect(weighted.headers.get('location')).toBe('help/it');
    const none = await page('/help');
    expect(none.headers.get('location')).toBe('help/en');
  });
});
