import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Phone numbers of SMS locks. The add-on sends E.164 already; the server checks it again because
 * a number it cannot text is a lock nobody can open, and it is better refused at registration.
 */
export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: 'invalid-phone' };

/** Parses and validates `raw` (international form, or national with `defaultCountry`) to E.164. */
export function normalisePhoneNumber(raw: string, defaultCountry?: CountryCode): PhoneResult {
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry);
  if (parsed === undefined || !parsed.isValid()) return { ok: false, reason: 'invalid-phone' };
  return { ok: true, e164: parsed.number };
}

/**
 * A phone number as shown to the recipient ("the code went to …") and written to logs: the
 * country code and the last two digits, e.g. `+49 ••• •••• 12`. Logs never carry the full number.
 */
export function maskPhoneNumber(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const digits = e164.replace(/\D/g, '');
  const lastTwo = digits.slice(-2);
  const countryCode = parsed?.countryCallingCode;
  return countryCode === undefined ? `••• ${lastTwo}` : `+${countryCode} ••• •••• ${lastTwo}`;
}
