import { normaliseAddress } from '../core/address.ts';
import { isNotificationLanguage } from '../core/languages.ts';
import { isVerificationMethod } from '../core/methods.ts';
import type { RecipientSettings } from '../core/recipientSettings.ts';
import type { KeyValueStore } from '../platform/host.ts';

/** Remembered choices per recipient address, in `storage.local` under `recipient:<address>`. */
const PREFIX = 'recipient:';

export type SettingsChanges = Partial<Omit<RecipientSettings, 'address' | 'updatedAt'>>;

export async function getRecipientSettings(
  store: KeyValueStore,
  address: string,
): Promise<RecipientSettings | null> {
  const normalised = normaliseAddress(address);
  return validStored(normalised, await store.get<unknown>(PREFIX + normalised));
}

export async function listRecipientSettings(store: KeyValueStore): Promise<RecipientSettings[]> {
  const entries = await store.entries<unknown>(PREFIX);
  return entries
    .map(([key, value]) => validStored(key.slice(PREFIX.length), value))
    .filter((settings): settings is RecipientSettings => settings !== null)
    .sort((a, b) => a.address.localeCompare(b.address));
}

/**
 * Applies the sender's change. `undefined` values clear a field (choosing "Access code" anew
 * clears the old code), so the stored record only ever holds what the sender last chose.
 */
export async function saveRecipientSettings(
  store: KeyValueStore,
  address: string,
  changes: SettingsChanges,
  now: Date = new Date(),
): Promise<RecipientSettings> {
  const normalised = normaliseAddress(address);
  const current = (await getRecipientSettings(store, normalised)) ?? {
    address: normalised,
    updatedAt: now.toISOString(),
  };
  const next: RecipientSettings = { ...current, address: normalised, updatedAt: now.toISOString() };
  for (const field of ['method', 'code', 'phone', 'language', 'keyFingerprint'] as const) {
    if (!(field in changes)) continue;
    const value = changes[field];
    if (value === undefined || value === '') delete next[field];
    else Object.assign(next, { [field]: value });
  }
  const checked = validStored(normalised, next);
  if (!checked) throw new Error(`Invalid settings for ${normalised}`);
  await store.set(PREFIX + normalised, checked);
  return checked;
}

export async function forgetRecipientSettings(
  store: KeyValueStore,
  address: string,
): Promise<boolean> {
  const normalised = normaliseAddress(address);
  const existed = (await store.get<unknown>(PREFIX + normalised)) !== undefined;
  await store.remove(PREFIX + normalised);
  return existed;
}

/** Stored data is input too: anything malformed is ignored rather than trusted. */
function validStored(address: string, value: unknown): RecipientSettings | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const settings: RecipientSettings = {
    address,
    updatedAt: typeof record.updatedAt === 'string' ? record.updatedAt : new Date(0).toISOString(),
  };
  if (record.method !== undefined) {
    if (!isVerificationMethod(record.method)) return null;
    settings.method = record.method;
  }
  if (record.language !== undefined) {
    if (!isNotificationLanguage(record.language)) return null;
    settings.language = record.language;
  }
  for (const field of ['code', 'phone', 'keyFingerprint'] as const) {
    const fieldValue = record[field];
    if (fieldValue === undefined) continue;
    if (typeof fieldValue !== 'string' || fieldValue.length > 256) return null;
    settings[field] = fieldValue;
  }
  return settings;
}
