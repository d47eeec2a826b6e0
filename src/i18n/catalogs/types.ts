import type { enNotification, enReader, enReaderTexts } from './en.ts';
import type { TextsShape } from './readerCatalog.ts';

/** English is the reference: its keys are every catalog's keys, its placeholders the parameters. */
export type EnglishTemplates = typeof enReader & typeof enNotification;

export type ReaderKey = keyof typeof enReader;
export type NotificationKey = keyof typeof enNotification;
export type MessageKey = ReaderKey | NotificationKey;

/*
 * Complete catalogs: every key, nothing else (object literals typed with these reject unknown
 * keys, and a missing key fails the type check). Reader and notification texts are separate
 * objects so the reader's single-file build carries only its own texts.
 */
export type ReaderCatalog = { readonly [Key in ReaderKey]: string };
/** A reader catalog as written: grouped, keys without `reader.` (see readerCatalog.ts). */
export type ReaderTexts = TextsShape<typeof enReaderTexts>;
export type NotificationCatalog = { readonly [Key in NotificationKey]: string };
export type Catalog = ReaderCatalog & NotificationCatalog;
