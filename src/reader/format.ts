import type { NotificationLanguage } from '../core/languages.ts';

/** "1.4 MB" / "1,4 MB" in the reader's language (decimal units, as file managers show them). */
export function formatSize(byteCount: number, language: NotificationLanguage): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = byteCount;
  let unitIndex = 0;
  while (value >= 1000 && unitIndex < units.length - 1) {
    value /= 1000;
    unitIndex++;
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: units[unitIndex],
    unitDisplay: unitIndex === 0 ? 'long' : 'short',
    maximumFractionDigits: value < 10 && unitIndex > 0 ? 1 : 0,
  }).format(value);
}

/** Full date and time in the reader's language and the browser's time zone. */
export function formatDate(isoDate: string, language: NotificationLanguage): string {
  const date = new Date(isoDate);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'short' }).format(date);
}
