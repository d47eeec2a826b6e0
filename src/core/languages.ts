/** Languages a notification mail and the reader can be written in. */
export const NOTIFICATION_LANGUAGES = ['en', 'de', 'nl', 'fr', 'es', 'it'] as const;
export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];

export function isNotificationLanguage(value: unknown): value is NotificationLanguage {
  return typeof value === 'string' && (NOTIFICATION_LANGUAGES as readonly string[]).includes(value);
}

/** Maps a browser UI locale such as `de-AT` or `nl` to a notification language, else English. */
export function languageFromLocale(locale: string | undefined): NotificationLanguage {
  const base = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  return isNotificationLanguage(base) ? base : 'en';
}
