import { languageFromLocale, type NotificationLanguage } from '../../core/languages.ts';

/**
 * The extension's own UI strings (`extension/_locales`), in Thunderbird's UI language.
 *
 * `getMessage` answers an empty string for an unknown name; the name itself is returned
 * instead so a missing string is visible in the UI rather than a blank control.
 */
export function message(key: string, substitutions?: readonly string[]): string {
  const text = browser.i18n.getMessage(key, substitutions ? [...substitutions] : undefined);
  return text === '' ? key : text;
}

/** Thunderbird's UI locale as reported by the browser, e.g. `de` or `en-US`. */
export function uiLocale(): string {
  return browser.i18n.getUILanguage();
}

/**
 * The notification language matching Thunderbird's UI language (English when the UI language
 * is not one of the six), used as the default for recipients without a remembered choice.
 */
export function uiLanguage(): NotificationLanguage {
  return languageFromLocale(uiLocale());
}
