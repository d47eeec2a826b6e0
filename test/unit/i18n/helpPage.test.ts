import { describe, expect, it } from 'vitest';
import { NOTIFICATION_LANGUAGES } from '../../../src/core/languages.ts';
import { helpLinkIn, helpPageHtml } from '../../../src/i18n/helpPage.ts';

describe('helpPageHtml', () => {
  it.each(NOTIFICATION_LANGUAGES)(
    'escapes what the configuration names, and links the other languages (%s)',
    (language) => {
      const html = helpPageHtml(language, {
        organisation: 'Müller & <b>Söhne</b> "GmbH"',
        host: 'mail.example.org',
      });
      expect(html).toContain('Müller &amp; &lt;b&gt;Söhne&lt;/b&gt; &quot;GmbH&quot;');
      expect(html).not.toContain('<b>');
      expect(html).toContain('mail.example.org');
      const links = [...html.matchAll(/<a href="([a-z]+)" hreflang="\1"/g)].map(
        (match) => match[1],
      );
      expect(links).toEqual(NOTIFICATION_LANGUAGES.filter((other) => other !== language));
    },
  );
});

describe('helpLinkIn', () => {
  it('appends /help/<language> to the server URL, with or without a path or a trailing slash', () => {
    expect(helpLinkIn('https://s.example', 'nl')).toBe('https://s.example/help/nl');
    expect(helpLinkIn('https://s.example/sealpost//', 'it')).toBe(
      'https://s.example/sealpost/help/it',
    );
  });
});
