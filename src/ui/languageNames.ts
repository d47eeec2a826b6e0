import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../core/languages.ts';

/**
 * Each notification language named in itself ("Deutsch", not "German"): the sender picks the
 * language the recipient reads, so the recipient's own name for it is the one to recognise.
 */
export const LANGUAGE_NAMES: Readonly<Record<NotificationLanguage, string>> = {
  en: 'English',
  de: 'Deutsch',
  nl: 'Nederlands',
  fr: 'Français',
  es: 'Español',
  it: 'Italiano',
};

/** The language choices in the order of `NOTIFICATION_LANGUAGES`. */
export const LANGUAGE_CHOICES: readonly { value: NotificationLanguage; name: string }[] =
  NOTIFICATION_LANGUAGES.map((value) => ({ value, name: LANGUAGE_NAMES[value] }));
