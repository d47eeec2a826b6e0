import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERIFICATION_METHODS } from '../../../src/core/methods.ts';
import { STRENGTH_LABEL_KEYS } from '../../../src/ui/codeStrength.ts';
import { PASSPHRASE_PROBLEM_KEYS } from '../../../src/ui/passphraseText.ts';
import { methodLabelKey } from '../../../src/options/recipientList.ts';

const root = join(import.meta.dirname, '../../..');
const LANGUAGES = ['en', 'de', 'nl'] as const;

type Catalog = Record<string, { message: string; description?: string }>;
const catalogs = Object.fromEntries(
  LANGUAGES.map((language) => [
    language,
    JSON.parse(
      readFileSync(join(root, 'extension/_locales', language, 'messages.json'), 'utf8'),
    ) as Catalog,
  ]),
) as Record<(typeof LANGUAGES)[number], Catalog>;

/** Keys the background and manifest use (the lead's code looks them up by these names). */
const BACKGROUND_KEYS = [
  'extensionName',
  'extensionDescription',
  'composeActionOff',
  'composeActionOn',
  'composeActionLabelOff',
  'composeActionLabelOn',
  'commandToggleSecure',
  'methodAccount',
  'methodSmsNew',
  'methodSmsKnown',
  'methodOrgCodeNew',
  'methodOrgCodeExisting',
  'methodCodeNew',
  'methodCodeExisting',
  'methodEmail',
  'reasonNeedsServer',
  'warningEmailWeak',
  'problemNoMethod',
  'problemEmptyCode',
  'problemWeakCode',
  'problemMethodUnavailable',
  'problemNoRecipients',
  'problemNoIdentity',
  'problemInternal',
  'notificationOpenFailed',
  'draftKeptLocal',
  'draftRemovedNoCopy',
  'draftNotRemoved',
  'draftNotFound',
  'draftStillListed',
];

function sourceFiles(directory: string): string[] {
  return readdirSync(join(root, directory), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|svelte)$/.test(name))
    .map((name) => join(root, directory, name));
}

/** Every literal `message('key'` or `translate('key'` in the popup, options and sent-copy pages. */
function keysUsedInUi(): string[] {
  const keys = new Set<string>();
  const files = [...sourceFiles('src/popup'), ...sourceFiles('src/options')];
  for (const file of [...files, ...sourceFiles('src/sentCopy')]) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:message|translate)\(\s*'([A-Za-z0-9_]+)'/g)) {
      keys.add(match[1]!);
    }
    // Key tables inside components, e.g. { to: 'fieldTo', ... }, { set: 'optionsPassphraseSet' }.
    const tableEntries = /:\s*'((?:field|options|secureMessage|passphrase)[A-Z][A-Za-z]*)'/g;
    for (const match of source.matchAll(tableEntries)) {
      keys.add(match[1]!);
    }
  }
  return [...keys];
}

const placeholders = (text: string) =>
  [...text.matchAll(/\$(\d)/g)].map((match) => match[1]).sort();

describe('_locales', () => {
  it('has the same keys in every language', () => {
    const english = Object.keys(catalogs.en).sort();
    for (const language of LANGUAGES) {
      expect(Object.keys(catalogs[language]).sort(), language).toEqual(english);
    }
  });

  it('has a non-empty message and the same substitutions for every key', () => {
    for (const [key, { message }] of Object.entries(catalogs.en)) {
      for (const language of LANGUAGES) {
        const translated = catalogs[language][key]?.message ?? '';
        expect(translated.trim(), `${language}:${key}`).not.toBe('');
        expect(placeholders(translated), `${language}:${key}`).toEqual(placeholders(message));
      }
    }
  });

  it('uses no "$" except numbered substitutions', () => {
    for (const language of LANGUAGES) {
      for (const [key, { message }] of Object.entries(catalogs[language])) {
        expect(message.replace(/\$\d/g, ''), `${language}:${key}`).not.toContain('$');
      }
    }
  });

  it('has every key the background and manifest use', () => {
    const manifest = readFileSync(join(root, 'extension/manifest.json'), 'utf8');
    const manifestKeys = [...manifest.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map(
      (match) => match[1]!,
    );
    expect(manifestKeys.length).toBeGreaterThan(0);
    for (const key of [...BACKGROUND_KEYS, ...manifestKeys]) {
      expect(catalogs.en, key).toHaveProperty(key);
    }
  });

  it('has every key of the method menu builder', () => {
    const builder = readFileSync(join(root, 'src/core/methodMenuBuilder.ts'), 'utf8');
    const keys = [...builder.matchAll(/(?:labelKey|disabledReasonKey|warningKey):\s*'(\w+)'/g)].map(
      (match) => match[1]!,
    );
    expect(keys.length).toBeGreaterThanOrEqual(8);
    for (const key of keys) expect(catalogs.en, key).toHaveProperty(key);
  });

  it('has every key the popup and options page use', () => {
    const keys = [
      ...keysUsedInUi(),
      ...Object.values(STRENGTH_LABEL_KEYS),
      ...Object.values(PASSPHRASE_PROBLEM_KEYS),
      ...VERIFICATION_METHODS.map(methodLabelKey),
    ];
    expect(keys.length).toBeGreaterThan(30);
    for (const key of keys) expect(catalogs.en, key).toHaveProperty(key);
  });

  it('words the German methods as the guide does, with Sealpost for Zivver', () => {
    expect(catalogs.de.methodAccount?.message).toBe('Sealpost-Account');
    expect(catalogs.de.methodSmsNew?.message).toBe('Code per SMS an neue Nummer');
    expect(catalogs.de.methodOrgCodeNew?.message).toBe(
      'Organisationsweiten Zugangscode einrichten',
    );
    expect(catalogs.de.methodCodeExisting?.message).toBe('Zugangscode $1');
    for (const language of LANGUAGES) {
      expect(JSON.stringify(catalogs[language])).not.toMatch(/zivver/i);
    }
  });
});
