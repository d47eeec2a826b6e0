/**
 * CSV export and import of the organisation directory for admins (bulk-loading recipient
 * methods, as Zivver admins do). Columns: address, method, phone, orgCode, language (export adds
 * updatedAt, updatedBy). On import a missing column leaves that field unchanged, an empty cell
 * clears it; every row is validated first and the import is all or nothing.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ServerSecret } from '../serverSecret.ts';
import {
  applyDirectoryChange,
  checkDirectoryAddress,
  checkDirectoryChange,
  DIRECTORY_FIELDS,
  directoryPage,
  type DirectoryChange,
} from './directory.ts';

export const CSV_EXPORT_COLUMNS = [
  'address',
  ...DIRECTORY_FIELDS,
  'updatedAt',
  'updatedBy',
] as const;

/** The whole directory as CSV text (header row first, address order). */
export async function exportDirectoryCsv(
  db: Kysely<Database>,
  secret: ServerSecret,
): Promise<string> {
  const records: string[][] = [];
  let after: string | null = null;
  for (;;) {
    const page = await directoryPage(db, secret, after, 1000);
    for (const entry of page) {
      records.push([
        entry.address,
        entry.method ?? '',
        entry.phone ?? '',
        entry.orgCode ?? '',
        entry.language ?? '',
        entry.updatedAt,
        entry.updatedBy,
      ]);
    }
    if (page.length < 1000) break;
    after = page[page.length - 1]!.address;
  }
  return stringify([[...CSV_EXPORT_COLUMNS], ...records]);
}

export type ImportResult =
  { ok: true; rows: number; changedRows: number } | { ok: false; errors: string[] };

/** Validates every row, then applies them all in one transaction, audited as `by`. */
export async function importDirectoryCsv(
  db: Kysely<Database>,
  secret: ServerSecret,
  csvText: string,
  by: string,
  at: Date,
): Promise<ImportResult> {
  let records: Record<string, string>[];
  try {
    records = parse(csvText, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    return { ok: false, errors: [`not valid CSV: ${(error as Error).message}`] };
  }
  const header = records.length > 0 ? Object.keys(records[0]!) : [];
  const ignored = new Set(['updatedAt', 'updatedBy']);
  const unknown = header.filter(
    (column) =>
      column !== 'address' &&
      !ignored.has(column) &&
      !(DIRECTORY_FIELDS as readonly string[]).includes(column),
  );
  if (records.length > 0 && !header.includes('address'))
    return { ok: false, errors: ['the header has no "address" column'] };
  if (unknown.length > 0)
    return {
      ok: false,
      errors: [
        `unknown columns: ${unknown.join(', ')} (known: address, ${DIRECTORY_FIELDS.join(', ')})`,
      ],
    };

  const errors: string[] = [];
  const changes: { address: string; change: DirectoryChange }[] = [];
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const line = index + 2; // 1-based, after the header
    const address = checkDirectoryAddress(record.address ?? '');
    if (!address.ok) return errors.push(`line ${line}: ${address.reason}`);
    if (seen.has(address.value)) return errors.push(`line ${line}: ${address.value} appears twice`);
    seen.add(address.value);
    const update: Record<string, string | null> = {};
    for (const field of DIRECTORY_FIELDS) {
      if (field in record) update[field] = record[field] === '' ? null : record[field]!;
    }
    const change = checkDirectoryChange(update);
    if (!change.ok) return errors.push(`line ${line}: ${change.reason}`);
    changes.push({ address: address.value, change: change.value });
  });
  if (errors.length > 0) return { ok: false, errors };

  let changedRows = 0;
  await db.transaction().execute(async (transaction) => {
    for (const { address, change } of changes) {
      const { changedFields } = await applyDirectoryChange(
        transaction,
        secret,
        address,
        change,
        by,
        at,
      );
      if (changedFields.length > 0) changedRows += 1;
    }
  });
  return { ok: true, rows: changes.length, changedRows };
}
