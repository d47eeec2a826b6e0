/**
 * The organisation directory: per recipient address the verification method, phone (E.164),
 * organisation-wide access code and notification language, shared by every sender of the
 * organisation, with an append-only audit of who changed which field when. Used by the HTTP
 * routes and by the admin CLI's CSV import, so both validate the same way.
 */
import type { Kysely } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isPlausibleAddress, normaliseAddress } from '../../core/address.ts';
import { isNotificationLanguage, type NotificationLanguage } from '../../core/languages.ts';
import { VERIFICATION_METHODS } from '../../core/methods.ts';
import type { DirectoryEntry, DirectoryUpdateRequest } from '../../core/serverApi.ts';
import type { Database, DirectoryEntryRow } from '../db/schema.ts';
import { isSealedAtRest, openAtRest, sealAtRest, type ServerSecret } from '../serverSecret.ts';

/** A directory entry may name any method (the method table's order). */
export const DIRECTORY_METHODS = VERIFICATION_METHODS;
/** The fields a change may touch, as named in the API, the audit and the CSV. */
export const DIRECTORY_FIELDS = ['method', 'phone', 'orgCode', 'language'] as const;
export type DirectoryField = (typeof DIRECTORY_FIELDS)[number];

const COLUMN_OF: Record<DirectoryField, 'method' | 'phone' | 'org_code' | 'language'> = {
  method: 'method',
  phone: 'phone',
  orgCode: 'org_code',
  language: 'language',
};

export const ORG_CODE_MAX_LENGTH = 128;

/** A checked change: each present field holds its normalised value (null clears). */
export type DirectoryChange = Partial<Record<DirectoryField, string | null>>;

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Normalises and checks a recipient address. */
export function checkDirectoryAddress(raw: string): ValidationResult<string> {
  const address = normaliseAddress(raw);
  return isPlausibleAddress(address) && address.length <= 254
    ? { ok: true, value: address }
    : { ok: false, reason: `address: "${raw.slice(0, 80)}" is not an email address` };
}

/** Phone numbers must be valid international numbers; stored as E.164 (`+4915112345678`). */
export function checkPhone(raw: string): ValidationResult<string> {
  const phone = parsePhoneNumberFromString(raw.trim());
  return phone && phone.isValid()
    ? { ok: true, value: phone.number }
    : {
        ok: false,
        reason: 'phone: not a valid phone number in international form (+country code …)',
      };
}

/** Checks one field's new value (null clears); the reason names the field. */
function checkDirectoryField(field: DirectoryField, raw: unknown): ValidationResult<string | null> {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  if (typeof raw !== 'string') return { ok: false, reason: `${field}: expected a string or null` };
  if (field === 'method') {
    return (DIRECTORY_METHODS as readonly string[]).includes(raw)
      ? { ok: true, value: raw }
      : { ok: false, reason: `method: expected one of ${DIRECTORY_METHODS.join(', ')}` };
  }
  if (field === 'phone') return checkPhone(raw);
  if (field === 'language') {
    return isNotificationLanguage(raw)
      ? { ok: true, value: raw }
      : { ok: false, reason: `language: "${raw.slice(0, 20)}" is not a notification language` };
  }
  const orgCode = raw.trim();
  return orgCode.length === 0 || orgCode.length > ORG_CODE_MAX_LENGTH
    ? { ok: false, reason: `orgCode: expected 1–${ORG_CODE_MAX_LENGTH} characters` }
    : { ok: true, value: orgCode };
}

/**
 * Checks every present field of an update and names every problem (a CSV line with a bad
 * phone and a bad language gets both said at once).
 */
export function checkDirectoryChangeFully(
  update: DirectoryUpdateRequest,
): { ok: true; value: DirectoryChange } | { ok: false; reasons: string[] } {
  const change: DirectoryChange = {};
  const reasons: string[] = [];
  for (const field of DIRECTORY_FIELDS) {
    if (!(field in update)) continue;
    const checked = checkDirectoryField(field, update[field]);
    if (checked.ok) change[field] = checked.value;
    else reasons.push(checked.reason);
  }
  return reasons.length === 0 ? { ok: true, value: change } : { ok: false, reasons };
}

/** Checks every present field of an update; the first problem is reported (the HTTP answer). */
export function checkDirectoryChange(
  update: DirectoryUpdateRequest,
): ValidationResult<DirectoryChange> {
  const checked = checkDirectoryChangeFully(update);
  return checked.ok ? checked : { ok: false, reason: checked.reasons[0]! };
}

/**
 * Organisation-wide codes are stored encrypted under the server's secret (a database copy alone
 * does not show them), in the entry and in its audit trail; colleagues get them in clear.
 */
function storedValue(secret: ServerSecret, field: string, value: string | null): string | null {
  return field === 'orgCode' && value !== null ? sealAtRest(secret, value) : value;
}

function shownValue(secret: ServerSecret, field: string, value: string | null): string | null {
  return field === 'orgCode' && value !== null ? openAtRest(secret, value) : value;
}

/** The API shape of a stored row. */
export function toDirectoryEntry(secret: ServerSecret, row: DirectoryEntryRow): DirectoryEntry {
  return {
    address: row.address,
    method: row.method,
    phone: row.phone,
    orgCode: shownValue(secret, 'orgCode', row.org_code),
    language: row.language as NotificationLanguage | null,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

/**
 * Applies a checked change inside the given transaction (or database): creates the row if
 * needed, locks it, writes the fields that differ and one audit row per changed field.
 * Returns the entry after the change and the fields that changed.
 */
export async function applyDirectoryChange(
  db: Kysely<Database>,
  secret: ServerSecret,
  address: string,
  change: DirectoryChange,
  by: string,
  at: Date,
): Promise<{ entry: DirectoryEntry; changedFields: DirectoryField[] }> {
  const run = async (transaction: Kysely<Database>) => {
    await transaction
      .insertInto('directory_entries')
      .values({
        address,
        method: null,
        phone: null,
        org_code: null,
        language: null,
        updated_at: at,
        updated_by: by,
      })
      .onConflict((conflict) => conflict.column('address').doNothing())
      .execute();
    // Row lock: concurrent changes to one address are applied (and audited) one after the other.
    const before = await transaction
      .selectFrom('directory_entries')
      .selectAll()
      .where('address', '=', address)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const beforeEntry = toDirectoryEntry(secret, before);
    const changedFields = DIRECTORY_FIELDS.filter(
      (field) => field in change && beforeEntry[field] !== change[field],
    );
    if (changedFields.length === 0) return { entry: beforeEntry, changedFields };
    const set: Partial<Record<'method' | 'phone' | 'org_code' | 'language', string | null>> = {};
    for (const field of changedFields) {
      set[COLUMN_OF[field]] = storedValue(secret, field, change[field] ?? null);
    }
    const after = await transaction
      .updateTable('directory_entries')
      .set({ ...(set as Partial<DirectoryEntryRow>), updated_at: at, updated_by: by })
      .where('address', '=', address)
      .returningAll()
      .executeTakeFirstOrThrow();
    await transaction
      .insertInto('directory_audit')
      .values(
        changedFields.map((field) => ({
          address,
          at,
          by,
          field,
          from_value: storedValue(secret, field, beforeEntry[field]),
          to_value: storedValue(secret, field, change[field] ?? null),
        })),
      )
      .execute();
    return { entry: toDirectoryEntry(secret, after), changedFields };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Entries for the given addresses (unknown ones are simply absent). */
export async function directoryEntriesFor(
  db: Kysely<Database>,
  secret: ServerSecret,
  addresses: string[],
): Promise<DirectoryEntry[]> {
  if (addresses.length === 0) return [];
  const rows = await db
    .selectFrom('directory_entries')
    .selectAll()
    .where('address', 'in', addresses)
    .orderBy('address')
    .execute();
  return rows.map((row) => toDirectoryEntry(secret, row));
}

/** All entries in address order, `limit` at a time after `after`. */
export async function directoryPage(
  db: Kysely<Database>,
  secret: ServerSecret,
  after: string | null,
  limit: number,
): Promise<DirectoryEntry[]> {
  let query = db.selectFrom('directory_entries').selectAll().orderBy('address').limit(limit);
  if (after !== null) query = query.where('address', '>', after);
  return (await query.execute()).map((row) => toDirectoryEntry(secret, row));
}

/** The audit trail of one address, oldest first. */
export async function directoryAudit(db: Kysely<Database>, secret: ServerSecret, address: string) {
  const rows = await db
    .selectFrom('directory_audit')
    .selectAll()
    .where('address', '=', address)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    at: row.at.toISOString(),
    by: row.by,
    field: row.field,
    from: shownValue(secret, row.field, row.from_value),
    to: shownValue(secret, row.field, row.to_value),
  }));
}

/**
 * Encrypts organisation codes written in clear (by a version before encryption at rest) or
 * under a previous secret key, in entries and audit rows, under the current key. Run at start.
 */
export async function reencryptOrgCodes(
  db: Kysely<Database>,
  secret: ServerSecret,
): Promise<number> {
  let changed = 0;
  const fresh = (value: string) =>
    // A value that opens with the current key alone is current; re-sealing it changes nothing.
    isSealedAtRest(value) &&
    (() => {
      try {
        openAtRest({ current: secret.current, previous: [] }, value);
        return true;
      } catch {
        return false;
      }
    })();
  const entries = await db
    .selectFrom('directory_entries')
    .select(['address', 'org_code'])
    .where('org_code', 'is not', null)
    .execute();
  for (const entry of entries) {
    if (entry.org_code === null || fresh(entry.org_code)) continue;
    await db
      .updateTable('directory_entries')
      .set({ org_code: sealAtRest(secret, openAtRest(secret, entry.org_code)) })
      .where('address', '=', entry.address)
      .execute();
    changed++;
  }
  const audits = await db
    .selectFrom('directory_audit')
    .select(['id', 'from_value', 'to_value'])
    .where('field', '=', 'orgCode')
    .execute();
  for (const audit of audits) {
    const update: { from_value?: string; to_value?: string } = {};
    if (audit.from_value !== null && !fresh(audit.from_value)) {
      update.from_value = sealAtRest(secret, openAtRest(secret, audit.from_value));
    }
    if (audit.to_value !== null && !fresh(audit.to_value)) {
      update.to_value = sealAtRest(secret, openAtRest(secret, audit.to_value));
    }
    if (Object.keys(update).length === 0) continue;
    await db.updateTable('directory_audit').set(update).where('id', '=', audit.id).execute();
    changed++;
  }
  return changed;
}
