/**
 * Translations for the notification mail and the reader (DESIGN §8). Pure: no browser or
 * extension API, so the same catalogs serve the background, the reader and Node tests.
 * The extension's own UI uses `_locales` instead; these catalogs exist because a notification is
 * written in each recipient's language, not the sender's UI language.
 */
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../core/languages.ts';
import { de } from './catalogs/de.ts';
import { en } from './catalogs/en.ts';
import { es } from './catalogs/es.ts';
import { fr } from './catalogs/fr.ts';
import { it } from './catalogs/it.ts';
import { nl } from './catalogs/nl.ts';
import type { Catalog, MessageKey } from './catalogs/types.ts';

export type { Catalog, MessageKey };

/** Every catalog by language; the `Record` type makes a missing language a type error. */
export const CATALOGS: Readonly<Record<NotificationLanguage, Catalog>> = { en, de, nl, fr, es, it };

/** The `{name}` placeholders of a template string, as a union of names. */
type PlaceholdersOf<Template extends string> =
  Template extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholdersOf<Rest> : never;

/** The parameters a key needs, read from its English template. */
export type MessageParams<Key extends MessageKey> = Record<
  PlaceholdersOf<(typeof en)[Key]>,
  string | number
>;

/** `t(language, key)` for keys without placeholders, `t(language, key, params)` otherwise. */
type ParamsArgument<Key extends MessageKey> = [PlaceholdersOf<(typeof en)[Key]>] extends [never]
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
  ...params: ParamsArgument<Key>
): string {
  const template = CATALOGS[language][key];
  const values = (params[0] ?? {}) as Record<string, string | number>;
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
  return CATALOGS[language]['language.name'];
}

/**
 * The language to show first: the first of `offered` (the envelope's languages, in the sender's
 * order) that matches one of the browser's `preferred` locales, else the first offered one,
 * else English.
 */
export function pickLanguage(
  offered: readonly NotificationLanguage[],
  preferred: readonly string[],
): NotificationLanguage {
  const preferredBases = preferred.map((locale) => locale.toLowerCase().split(/[-_]/)[0]);
  const match = offered.find((language) => preferredBases.includes(language));
  return match ?? offered[0] ?? 'en';
}

export { NOTIFICATION_LANGUAGES };
