/**
 * Translations for the notification mail and the reader. Pure: no browser or
 * extension API, so the same catalogs serve the background, the reader and Node tests.
 * The extension's own UI uses `_locales` instead; these catalogs exist because a notification is
 * written in each recipient's language, not the sender's UI language.
 */
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../core/languages.ts';
import { deNotification, deReader } from './catalogs/de.ts';
import { enNotification, enReader } from './catalogs/en.ts';
import { esNotification, esReader } from './catalogs/es.ts';
import { frNotification, frReader } from './catalogs/fr.ts';
import { itNotification, itReader } from './catalogs/it.ts';
import { nlNotification, nlReader } from './catalogs/nl.ts';
import type {
  Catalog,
  EnglishTemplates,
  MessageKey,
  NotificationCatalog,
  NotificationKey,
  ReaderCatalog,
  ReaderKey,
} from './catalogs/types.ts';

export type { Catalog, MessageKey, NotificationCatalog, NotificationKey, ReaderCatalog, ReaderKey };

/** The reader's texts by language; the `Record` type makes a missing language a type error. */
export const READER_CATALOGS: Readonly<Record<NotificationLanguage, ReaderCatalog>> = {
  en: enReader,
  de: deReader,
  nl: nlReader,
  fr: frReader,
  es: esReader,
  it: itReader,
};

/** The notification mail's texts by language. */
export const NOTIFICATION_CATALOGS: Readonly<Record<NotificationLanguage, NotificationCatalog>> = {
  en: enNotification,
  de: deNotification,
  nl: nlNotification,
  fr: frNotification,
  es: esNotification,
  it: itNotification,
};

/** Every text of one language (reader and notification). */
export function catalogOf(language: NotificationLanguage): Catalog {
  return { ...READER_CATALOGS[language], ...NOTIFICATION_CATALOGS[language] };
}

/** The `{name}` placeholders of a template string, as a union of names. */
type PlaceholdersOf<Template extends string> =
  Template extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholdersOf<Rest> : never;

/** The parameters a key needs, read from its English template. */
export type MessageParams<Key extends MessageKey> = Record<
  PlaceholdersOf<EnglishTemplates[Key]>,
  string | number
>;

/** `t(language, key)` for keys without placeholders, `t(language, key, params)` otherwise. */
export type MessageArguments<Key extends MessageKey> = [
  PlaceholdersOf<EnglishTemplates[Key]>,
] extends [never]
  ? []
  : [params: MessageParams<Key>];

const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9-]*)\}/g;

/**
 * The text of `key` in `language` with its `{placeholders}` replaced by `params`. Parameter
 * values are inserted as they are (no markup is produced: callers render text, never HTML).
 */
export function t<Key extends MessageKey>(
  language: NotificationLanguage,
  key: Key,
  ...params: MessageArguments<Key>
): string {
  const template = Object.hasOwn(READER_CATALOGS[language], key)
    ? READER_CATALOGS[language][key as ReaderKey]
    : NOTIFICATION_CATALOGS[language][key as NotificationKey];
  return fillPlaceholders(template, params[0]);
}

/**
 * `t()` restricted to the reader's texts. The reader uses this one so its bundle does not carry
 * the notification texts.
 */
export function readerText<Key extends ReaderKey>(
  language: NotificationLanguage,
  key: Key,
  ...params: MessageArguments<Key>
): string {
  return fillPlaceholders(READER_CATALOGS[language][key], params[0]);
}

function fillPlaceholders(
  template: string,
  params: Readonly<Record<string, string | number>> | undefined,
): string {
  const values = params ?? {};
  // A single pass, so a parameter value that itself looks like `{name}` is left alone.
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/** The placeholder names used in a template, for checks that every catalog uses the same ones. */
export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '').sort();
}

/** A language's own name for itself ("Deutsch"), for language pickers and section headings. */
export function languageName(language: NotificationLanguage): string {
  return READER_CATALOGS[language]['language.name'];
}

/**
 * The language to show first: of `offered` (the envelope's languages, in the sender's order),
 * the one the browser's `preferred` locales rank highest (a browser set to German before English
 * reads German even when English is offered first), else the first offered one, else English.
 */
export function pickLanguage(
  offered: readonly NotificationLanguage[],
  preferred: readonly string[],
): NotificationLanguage {
  for (const locale of preferred) {
    const base = locale.toLowerCase().split(/[-_]/)[0];
    const match = offered.find((language) => language === base);
    if (match) return match;
  }
  return offered[0] ?? 'en';
}

export { NOTIFICATION_LANGUAGES };
