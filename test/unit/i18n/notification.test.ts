import { describe, expect, it } from 'vitest';
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../../../src/core/languages.ts';
import { VERIFICATION_METHODS } from '../../../src/core/methods.ts';
import { languageName, t } from '../../../src/i18n/index.ts';
import {
  NOTIFICATION_LINE_WIDTH,
  buildNotificationText,
  hostedLinkIn,
  neutralSubject,
  wrap,
  type NotificationInput,
} from '../../../src/i18n/notification.ts';

const sender = { senderName: 'Alice Example', senderAddress: 'alice@example.test' };

function input(overrides: Partial<NotificationInput> = {}): NotificationInput {
  return {
    ...sender,
    sections: [{ language: 'en', methods: ['code'] }],
    serverUrl: null,
    ...overrides,
  };
}

/** Compare ignoring the line breaks the wrapper inserts. */
function unwrapped(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('buildNotificationText', () => {
  it.each(NOTIFICATION_LANGUAGES)('names the sender and the code factor in %s', (language) => {
    const text = unwrapped(
      buildNotificationText(input({ sections: [{ language, methods: ['code'] }] })),
    );
    expect(text).toContain('Alice Example <alice@example.test>');
    expect(text).toContain('secure-message.html');
    expect(text).toContain(
      unwrapped(t(language, 'notification.factor.code', { name: 'Alice Example' })),
    );
    expect(text).toContain(unwrapped(t(language, 'notification.step-open')));
  });

  it.each(VERIFICATION_METHODS)('describes the %s factor', (method) => {
    const text = unwrapped(
      buildNotificationText(input({ sections: [{ language: 'de', methods: [method] }] })),
    );
    const key = `notification.factor.${method}` as const;
    expect(text).toContain(unwrapped(t('de', key, { name: 'Alice Example' })));
  });

  it('writes one complete section per language, each with its own factor text', () => {
    const languages: NotificationLanguage[] = ['de', 'nl', 'it'];
    const text = buildNotificationText(
      input({ sections: languages.map((language) => ({ language, methods: ['code'] })) }),
    );
    const sections = text.split(/\n={20,}\n/);
    expect(sections).toHaveLength(3);
    sections.forEach((section, index) => {
      const language = languages[index]!;
      const flat = unwrapped(section);
      expect(flat).toContain(languageName(language));
      expect(flat).toContain(
        unwrapped(
          t(language, 'notification.intro', { sender: 'Alice Example <alice@example.test>' }),
        ),
      );
      expect(flat).toContain(
        unwrapped(t(language, 'notification.factor.code', { name: 'Alice Example' })),
      );
      for (const other of languages.filter((candidate) => candidate !== language)) {
        expect(flat).not.toContain(unwrapped(t(other, 'notification.how-to')));
      }
    });
  });

  it('lists every method of a language as a choice', () => {
    const text = unwrapped(
      buildNotificationText(input({ sections: [{ language: 'es', methods: ['code', 'sms'] }] })),
    );
    expect(text).toContain(unwrapped(t('es', 'notification.factor.choice')));
    expect(text).toContain(
      unwrapped(t('es', 'notification.factor.code', { name: 'Alice Example' })),
    );
    expect(text).toContain(unwrapped(t('es', 'notification.factor.sms')));
  });

  it('merges repeated languages into one section', () => {
    const text = buildNotificationText(
      input({
        sections: [
          { language: 'fr', methods: ['code'] },
          { language: 'fr', methods: ['code'] },
        ],
      }),
    );
    expect(text.match(/secure-message\.html\./g)).toHaveLength(1);
    expect(text).not.toMatch(/={20,}/);
  });

  it('adds the link only when a server or reader link is configured', () => {
    expect(buildNotificationText(input())).not.toContain('https://');
    const withServer = buildNotificationText(input({ serverUrl: 'https://sealpost.example.org' }));
    expect(withServer).toContain('\nhttps://sealpost.example.org');
    const share = 'x'.repeat(90);
    const readerLink = `https://sealpost.example.org/r/9f3a#${share}`;
    const withLink = buildNotificationText(
      input({ serverUrl: 'https://sealpost.example.org', readerLink }),
    );
    // The link is kept whole on its own line even though it is longer than the line width; it
    // names the section's language before the fragment.
    expect(withLink.split('\n')).toContain(`https://sealpost.example.org/r/9f3a?lang=en#${share}`);
  });

  it("links each language's section to the reader in that language", () => {
    const text = buildNotificationText(
      input({
        readerLink: 'https://s.example/r/9f3a#SHARE',
        sections: [
          { language: 'de', methods: ['sms'] },
          { language: 'fr', methods: ['code'] },
        ],
      }),
    );
    const [german, french] = text.split(/\n={20,}\n/);
    expect(german).toContain('https://s.example/r/9f3a?lang=de#SHARE');
    expect(german).not.toContain('lang=fr');
    expect(french).toContain('https://s.example/r/9f3a?lang=fr#SHARE');
    expect(hostedLinkIn('https://s.example/r/9f3a?x=1', 'it')).toBe(
      'https://s.example/r/9f3a?x=1&lang=it',
    );
  });

  it('keeps lines short and free of trailing spaces (format=flowed)', () => {
    const text = buildNotificationText(
      input({
        senderName: 'Maximiliane Mustermann-Oberbergische Landesverwaltung',
        sections: NOTIFICATION_LANGUAGES.map((language) => ({
          language,
          methods: [...VERIFICATION_METHODS],
        })),
      }),
    );
    for (const line of text.split('\n')) {
      expect(line.length, line).toBeLessThanOrEqual(NOTIFICATION_LINE_WIDTH);
      expect(line, line).not.toMatch(/ $/);
    }
  });

  it('falls back to the address when the sender has no display name', () => {
    const text = buildNotificationText(input({ senderName: '  ' }));
    expect(text).toContain('alice@example.test has sent you');
    expect(text).not.toContain('<alice@example.test>');
  });

  it('leads with the hosted link when there is one; the attachment is the fallback, named second', () => {
    const readerLink = 'https://sealpost.example.org/r/9f3a#SHARE';
    const text = buildNotificationText(
      input({ serverUrl: 'https://sealpost.example.org', readerLink }),
    );
    const flat = unwrapped(text);
    const lines = text.split('\n');
    const link = lines.indexOf('https://sealpost.example.org/r/9f3a?lang=en#SHARE');
    expect(link).toBeGreaterThan(-1);
    expect(flat).toContain(`1. ${t('en', 'notification.step-open-link')}`);
    // Saving and double-clicking an attachment is what phishing training forbids: not step 1.
    expect(flat).not.toContain(unwrapped(t('en', 'notification.step-open')));
    expect(flat).not.toContain(unwrapped(t('en', 'notification.attachment')));
    const fallback = flat.indexOf(unwrapped(t('en', 'notification.fallback')));
    expect(fallback).toBeGreaterThan(flat.indexOf(readerLink.split('#')[0]!));
    // By link there is no attachment to fall back on.
    expect(unwrapped(buildNotificationText(input({ readerLink, byLink: true })))).not.toContain(
      unwrapped(t('en', 'notification.fallback')),
    );
  });

  it.each(NOTIFICATION_LANGUAGES)(
    'names the sending organisation when known, in %s',
    (language) => {
      const sections = [{ language, methods: ['code' as const] }];
      const sender = 'Alice Example <alice@example.test>';
      const withOrganisation = unwrapped(
        buildNotificationText(input({ sections, organisationName: ' Example Health Trust ' })),
      );
      expect(withOrganisation).toContain(
        unwrapped(
          t(language, 'notification.intro-org', { sender, organisation: 'Example Health Trust' }),
        ),
      );
      for (const organisationName of [null, '  ', undefined]) {
        const without = unwrapped(buildNotificationText(input({ sections, organisationName })));
        expect(without).toContain(unwrapped(t(language, 'notification.intro', { sender })));
      }
    },
  );

  it.each(NOTIFICATION_LANGUAGES)(
    'says how to tell the mail is genuine: the server address as text, no password, a known way, in %s',
    (language) => {
      const sections = [{ language, methods: ['sms' as const] }];
      const hosted = unwrapped(
        buildNotificationText(
          input({
            sections,
            organisationName: 'Example Health Trust',
            serverUrl: 'https://sealpost.example.org',
            readerLink: 'https://sealpost.example.org/r/9f3a#SHARE',
          }),
        ),
      );
      expect(hosted).toContain(unwrapped(t(language, 'notification.check')));
      expect(hosted).toContain(
        unwrapped(
          t(language, 'notification.check-link-org', {
            host: 'sealpost.example.org',
            organisation: 'Example Health Trust',
          }),
        ),
      );
      expect(hosted).toContain(unwrapped(t(language, 'notification.check-password')));
      expect(hosted).toContain(unwrapped(t(language, 'notification.check-contact')));
      const noOrganisation = unwrapped(
        buildNotificationText(input({ sections, serverUrl: 'https://s.example:8443/' })),
      );
      expect(noOrganisation).toContain(
        unwrapped(t(language, 'notification.check-link', { host: 's.example:8443' })),
      );
      // Without a server there is no link to check, and the rest still holds.
      const offline = unwrapped(buildNotificationText(input({ sections })));
      expect(offline).toContain(unwrapped(t(language, 'notification.check-password')));
      const linkCheck = t(language, 'notification.check-link', { host: '§' }).split('§')[0]!;
      expect(offline).not.toContain(unwrapped(linkCheck));
    },
  );

  it("links the server's help page in each section's language, and only with a server", () => {
    const text = buildNotificationText(
      input({
        serverUrl: 'https://s.example/sealpost/',
        sections: [
          { language: 'de', methods: ['sms'] },
          { language: 'fr', methods: ['code'] },
        ],
      }),
    );
    const [german, french] = text.split(/\n={20,}\n/);
    expect(german!.split('\n')).toContain('https://s.example/sealpost/help/de');
    expect(unwrapped(german!)).toContain(t('de', 'notification.help-link'));
    expect(french!.split('\n')).toContain('https://s.example/sealpost/help/fr');
    expect(buildNotificationText(input())).not.toContain('/help/');
  });

  it('has no input through which message content could enter', () => {
    const base = input();
    // @ts-expect-error the subject is not an input of the notification
    const withSubject: NotificationInput = { ...base, subject: 'Quarterly salaries' };
    // @ts-expect-error nor is the body
    const withBody: NotificationInput = { ...base, body: 'Bonus list' };
    // Even if a caller forces extra fields through, they are ignored.
    expect(buildNotificationText(withSubject)).not.toContain('Quarterly salaries');
    expect(buildNotificationText(withBody)).not.toContain('Bonus list');
  });

  it('never contains message content', () => {
    // The notification builder has no content input; whatever the caller holds elsewhere
    // (subject, body) cannot leak through it, even from the same call site.
    const message = { subject: 'Quarterly salaries 7Q2X', body: 'Bonus list: Bob 12345 EUR' };
    const text = buildNotificationText(
      input({
        sections: NOTIFICATION_LANGUAGES.map((language) => ({ language, methods: ['code'] })),
      }),
    );
    expect(text).not.toContain(message.subject);
    expect(text).not.toContain('7Q2X');
    expect(text).not.toContain(message.body);
    expect(text).not.toContain('12345');
  });
});

describe('neutralSubject', () => {
  it.each([
    ['en', 'Secure message'],
    ['de', 'Sichere Nachricht'],
    ['nl', 'Beveiligd bericht'],
    ['fr', 'Message sécurisé'],
    ['es', 'Mensaje seguro'],
    ['it', 'Messaggio sicuro'],
  ] as const)('is neutral in %s', (language, subject) => {
    expect(neutralSubject(language)).toBe(subject);
  });
});

describe('wrap', () => {
  it('breaks at spaces within the width and indents continuation lines', () => {
    const text = '1. ' + 'word '.repeat(40).trim();
    const lines = wrap(text, '   ').split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((line) => line.length <= NOTIFICATION_LINE_WIDTH)).toBe(true);
    expect(lines.slice(1).every((line) => line.startsWith('   word'))).toBe(true);
    expect(unwrapped(lines.join('\n'))).toBe(text);
  });

  it('never breaks at a no-break space', () => {
    const text = 'a'.repeat(68) + ' bc\u00a0:';
    expect(wrap(text).split('\n')[1]).toBe('bc\u00a0:');
  });
});
