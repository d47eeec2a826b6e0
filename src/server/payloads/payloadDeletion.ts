/**
 * Deleting payloads: the object in the store first, then its row, so a failure leaves a row that
 * the next housekeeping run finds and tries again (never an object nothing points to). Used by
 * revocation, by housekeeping for ended messages and for uploads left unfinished, and by a
 * terminated or refused upload.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { PayloadStore } from './payloadStore.ts';
import { deletePayloadRow, payloadOfMessage, payloadsToDelete } from './payloadRows.ts';

const HOUR_MS = 60 * 60 * 1000;

/** Deletes one message's payload (bytes and row), if it has one; true when there was one. */
export async function deletePayloadOf(
  db: Kysely<Database>,
  store: PayloadStore,
  messageId: string,
): Promise<boolean> {
  const payload = await payloadOfMessage(db, messageId);
  if (payload === undefined) return false;
  if (payload.storeKey !== null) await store.remove(payload.storeKey);
  await deletePayloadRow(db, messageId);
  return true;
}

async function deleteAll(
  db: Kysely<Database>,
  store: PayloadStore,
  rows: { messageId: string; storeKey: string | null }[],
): Promise<number> {
  let firstError: unknown = null;
  let deleted = 0;
  for (const row of rows) {
    try {
      if (row.storeKey !== null) await store.remove(row.storeKey);
      await deletePayloadRow(db, row.messageId);
      deleted += 1;
    } catch (error) {
      // The others still go; the failed one stays for the next run.
      firstError ??= error;
    }
  }
  if (firstError !== null) throw firstError;
  return deleted;
}

/**
 * Deletes the payloads of messages that expired or were revoked by `now` (nothing serves them
 * any more; revocation deletes its own at once, this catches expiry and any failed removal).
 */
export async function deleteEndedPayloads(
  db: Kysely<Database>,
  store: PayloadStore,
  now: Date,
): Promise<number> {
  return deleteAll(db, store, await payloadsToDelete(db, { endedBy: now }));
}

/** Deletes uploads created more than `hours` before `now` and still unfinished. */
export async function deleteUnfinishedUploads(
  db: Kysely<Database>,
  store: PayloadStore,
  now: Date,
  hours: number,
): Promise<number> {
  const unfinishedSince = new Date(now.getTime() - hours * HOUR_MS);
  return deleteAll(db, store, await payloadsToDelete(db, { unfinishedSince }));
}
