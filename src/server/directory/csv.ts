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
  checkDirectoryChangeFully,
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

const IGNORED_COLUMNS = new Set(['updatedAt', 'updatedBy']);

/** What is wrong with a header row: no `address` column, columns nobody knows. */
function headerProblems(header: string[]): string[] {
  const problems: string[] = [];
  if (!header.includes('address')) problems.push('header: no "address" column');
  const unknown = header.filter(
    (column) =>
      column !== 'address' &&
      !IGNORED_COLUMNS.has(column) &&
      !(DIRECTORY_FIELDS as readonly string[]).includes(column),
  );
  if (unknown.length > 0) {
    problems.push(
      `header: unknown columns: ${unknown.join(', ')} (known: address, ${DIRECTORY_FIELDS.join(', ')})`,
    );
  }
  return problems;
}

/**
 * Validates every row, then applies them all in one transaction, audited as `by`. Any problem
 * imports nothing, and every problem of every line is named (`line 4: phone: …`), so one round
 * of corrections is enough.
 */
export async function importDirectoryCsv(
  db: Kysely<Database>,
  secret: ServerSecret,
  csvText: string,
  by: string,
  at: Date,
): Promise<ImportResult> {
  let header: string[] = [];
  let records: {
    record: Record<string, string>;
    info: { lines: number; error?: unknown };
    raw: string;
  }[];
  try {
    records = parse(csvText, {
      columns: (names: string[]) => (header = names),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      // Rows of the wrong length are reported with the others below, not as the only error.
      relax_column_count: true,
      info: true,
      raw: true,
    });
  } catch (error) {
    return { ok: false, errors: [`not valid CSV: ${(error as Error).message}`] };
  }
  const errors = header.length > 0 ? headerProblems(header) : [];
  if (errors.length > 0) return { ok: false, errors };

  const changes: { address: string; change: DirectoryChange }[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { record, info, raw } of records) {
    // The line the record starts on (a quoted cell may hold line breaks).
    const line = info.lines - (raw.trim().match(/\n/g)?.length ?? 0);
    if (info.error !== undefined) {
      const cells = (info.error as { record?: unknown[] }).record?.length ?? 0;
      errors.push(`line ${line}: expected ${header.length} cells (as in the header), got ${cells}`);
      continue;
    }
    const problems: string[] = [];
    const address = checkDirectoryAddress(record.address ?? '');
    if (!address.ok) problems.push(address.reason);
    else if (firstLineOf.has(address.value)) {
      problems.push(
        `address: ${address.value} appears twice (first on line ${firstLineOf.get(address.value)})`,
      );
    } else firstLineOf.set(address.value, line);
    const update: Record<string, string | null> = {};
    for (const field of DIRECTORY_FIELDS) {
      if (field in record) update[field] = record[field] === '' ? null : record[field]!;
    }
    const change = checkDirectoryChangeFully(update);
    if (!change.ok) problems.push(...change.reasons);
    for (const problem of problems) errors.push(`line ${line}: ${problem}`);
    if (address.ok && change.ok && problems.length === 0)
      changes.push({ address: address.value, change: change.value });
  }
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
