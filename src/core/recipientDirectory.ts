/**
 * Recipient settings with the organisation directory: what a sender chose locally,
 * combined with what colleagues stored on the server, and phone numbers as the panel takes them.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import type { DirectoryEntry } from './serverApi.ts';
import type { RecipientSettings } from './recipientSettings.ts';

/**
 * The settings that count for one recipient. The sender's own choice wins; with none, a
 * colleague's setup from the directory is adopted (a colleague's organisation-wide code, known
 * number or email choice appears for everyone). For organisation-wide codes the directory is
 * the shared truth: its code is used unless this sender changed theirs more recently.
 */
export function effectiveSettings(
  address: string,
  local: RecipientSettings | null,
  entry: DirectoryEntry | undefined,
): RecipientSettings | null {
  if (!entry) return local;
  if (!local?.method) {
    const adopted: RecipientSettings = {
      address,
      updatedAt: local?.updatedAt ?? entry.updatedAt,
    };
    const language = local?.language ?? entry.language ?? undefined;
    if (language) adopted.language = language;
    if (entry.method === 'org-code' && entry.orgCode) {
      return { ...adopted, method: 'org-code', code: entry.orgCode };
    }
    if (entry.method === 'sms' && entry.phone)
      return { ...adopted, method: 'sms', phone: entry.phone };
    if (entry.method === 'email') return { ...adopted, method: 'email' };
    return local;
  }
  // A sender who set up a new code (or cleared it to type one) after the directory's last
  // change keeps theirs; otherwise a colleague's newer code is the one everybody uses.
  if (local.method === 'org-code' && entry.orgCode && local.updatedAt < entry.updatedAt) {
    return { ...local, code: entry.orgCode };
  }
  return local;
}

/** Organisation-wide and (with a server) personal access codes need at least this many characters. */
export const MINIMUM_SERVER_CODE_LENGTH = 6;

export type PhoneResult =
  { ok: true; e164: string } | { ok: false; reason: 'empty' | 'invalid' | 'not-mobile-like' };

/**
 * A phone number typed by the sender, as E.164. Numbers without `+` are read in the default
 * country (the UI locale's region). libphonenumber-js's metadata decides what is valid.
 */
export function parsePhone(text: string, defaultCountry: string | null): PhoneResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  const country = isCountryCode(defaultCountry) ? defaultCountry : undefined;
  const parsed = parsePhoneNumberFromString(trimmed, country);
  if (!parsed?.isValid()) return { ok: false, reason: 'invalid' };
  const type = parsed.getType();
  // With the minimal metadata the type is often unknown; a known fixed line cannot get SMS.
  if (type === 'FIXED_LINE') return { ok: false, reason: 'not-mobile-like' };
  return { ok: true, e164: parsed.number };
}

/** True for a stored phone number that is valid E.164. */
export function isE164(text: string | undefined | null): text is string {
  if (!text || !/^\+[1-9]\d{5,14}$/.test(text)) return false;
  return parsePhoneNumberFromString(text)?.isValid() === true;
}

/** The country of a UI locale (`de-DE` → `DE`), or null when it names none. */
export function countryFromLocale(locale: string | undefined): string | null {
  if (!locale) return null;
  try {
    const region = new Intl.Locale(locale).maximize().region;
    return region && isCountryCode(region) ? region : null;
  } catch {
    return null;
  }
}

function isCountryCode(value: string | null | undefined): value is CountryCode {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value);
}
