import { describe, expect, it } from 'vitest';
import { NOTIFICATION_LANGUAGES } from '../../../src/core/languages.ts';
import {
  NOTIFICATION_CATALOGS,
  READER_CATALOGS,
  catalogOf,
  languageName,
  pickLanguage,
  placeholdersIn,
  readerText,
  t,
  type MessageKey,
} from '../../../src/i18n/index.ts';

const en = catalogOf('en');
const englishKeys = Object.keys(en).sort() as MessageKey[];

describe('catalogs', () => {
  it('exist for every notification language', () => {
    expect(Object.keys(READER_CATALOGS).sort()).toEqual([...NOTIFICATION_LANGUAGES].sort());
    expect(Object.keys(NOTIFICATION_CATALOGS).sort()).toEqual([...NOTIFICATION_LANGUAGES].sort());
  });

  it('keep reader and notification texts apart', () => {
    for (const language of NOTIFICATION_LANGUAGES) {
      expect(
        Object.keys(READER_CATALOGS[language]).every((key) => !key.startsWith('notification.')),
      ).toBe(true);
      expect(
        Object.keys(NOTIFICATION_CATALOGS[language]).every((key) =>
          key.startsWith('notification.'),
        ),
      ).toBe(true);
    }
  });

  it.each(NOTIFICATION_LANGUAGES)('%s has exactly the English keys, none empty', (language) => {
    const catalog = catalogOf(language);
    expect(Object.keys(catalog).sort()).toEqual(englishKeys);
    for (const key of englishKeys) expect(catalog[key].trim(), key).not.toBe('');
  });

  it.each(NOTIFICATION_LANGUAGES)('%s uses the same placeholders as English', (language) => {
    for (const key of englishKeys) {
      expect(placeholdersIn(catalogOf(language)[key]), `${language} ${key}`).toEqual(
        placeholdersIn(en[key]),
      );
    }
  });

  it('are translated, not copies of English (beyond names and short labels)', () => {
    for (const language of NOTIFICATION_LANGUAGES.filter((language) => language !== 'en')) {
      const same = englishKeys.filter(
        (key) => catalogOf(language)[key] === en[key] && en[key].length > 12,
      );
      expect(same, language).toEqual([]);
    }
  });

  it('name each language in itself', () => {
    expect(NOTIFICATION_LANGUAGES.map(languageName)).toEqual([
      'English',
      'Deutsch',
      'Nederlands',
      'Français',
      'Español',
      'Italiano',
    ]);
  });
});

describe('t', () => {
  it('returns the text of the key in the language', () => {
    expect(t('de', 'reader.code.label')).toBe('Zugangscode');
    expect(t('nl', 'reader.unlock')).toBe('Bericht openen');
  });

  it('substitutes every parameter', () => {
    const text = t('de', 'reader.factor.code', { name: 'Ada Lovelace' });
    expect(text).toContain('Ada Lovelace');
    expect(text).not.toMatch(/[{}]/);
    expect(t('fr', 'reader.download-named', { name: 'scan.pdf' })).toBe('Télécharger scan.pdf');
  });

  it('gives the reader the same texts through readerText', () => {
    expect(readerText('it', 'reader.download-named', { name: 'a.pdf' })).toBe(
      t('it', 'reader.download-named', { name: 'a.pdf' }),
    );
    expect(t('es', 'notification.subject')).toBe('Mensaje seguro');
  });

  it('does not re-expand placeholders found in parameter values', () => {
    expect(t('en', 'reader.download-named', { name: '{name}' })).toBe('Download {name}');
  });

  it('rejects missing parameters at compile time', () => {
    // @ts-expect-error reader.factor.code needs { name }
    const text = t('en', 'reader.factor.code');
    expect(text).toContain('{name}');
  });
});

describe('pickLanguage', () => {
  it("takes the offered language the browser ranks highest, whatever the sender's order", () => {
    expect(pickLanguage(['de', 'nl', 'fr'], ['fr-FR', 'nl-BE', 'en'])).toBe('fr');
    expect(pickLanguage(['en', 'de'], ['de-DE', 'de', 'en-US', 'en'])).toBe('de');
    expect(pickLanguage(['de', 'nl'], ['ja', 'NL_be'])).toBe('nl');
  });

  it('falls back to the first offered language', () => {
    expect(pickLanguage(['it', 'es'], ['ja-JP'])).toBe('it');
  });

  it('falls back to English when nothing is offered', () => {
    expect(pickLanguage([], ['de'])).toBe('en');
  });
});
