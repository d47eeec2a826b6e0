/**
 * The payload rows: what the database knows of each hosted payload (its key in the payload
 * store, its length so far, created and finished), and the sums the quotas are checked against.
 * Bytes never pass through here.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { OtherPayloadBytes } from './quota.ts';

/** A payload row with its message's owner and state. */
export interface PayloadOfMessage {
  messageId: string;
  sender: string;
  storeKey: string | null;
  byteLength: number;
  finished: boolean;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Active at `now`: not revoked and not yet expired. */
function activeAt(now: Date) {
  return sql<boolean>`messages.revoked_at is null and messages.expires_at > ${now}`;
}

/**
 * Bytes the active messages' payloads hold (finished and unfinished), for `sender` and in all,
 * leaving out the payload stored under `exceptKey` (the one an allowance is computed for).
 */
export async function otherPayloadBytes(
  db: Kysely<Database>,
  sender: string,
  now: Date,
  exceptKey: string | null = null,
): Promise<OtherPayloadBytes> {
  const row = await db
    .selectFrom('message_payloads')
    .innerJoin('messages', 'messages.id', 'message_payloads.message_id')
    .select([
      sql<string>`coalesce(sum(byte_length) filter (where messages.sender = ${sender}), 0)::text`.as(
        'sender',
      ),
      sql<string>`coalesce(sum(byte_length), 0)::text`.as('total'),
    ])
    .where(activeAt(now))
    .where((where) =>
      exceptKey === null
        ? where.lit(true)
        : where.or([where('store_key', 'is', null), where('store_key', '!=', exceptKey)]),
    )
    .executeTakeFirstOrThrow();
  return { sender: Number(row.sender), total: Number(row.total) };
}

/** Bytes each sender's active messages hold (the admin's storage listing), largest first. */
export async function payloadBytesPerSender(
  db: Kysely<Database>,
  now: Date,
): Promise<{ sender: string; payloads: number; bytes: number; unfinished: number }[]> {
  const rows = await db
    .selectFrom('message_payloads')
    .innerJoin('messages', 'messages.id', 'message_payloads.message_id')
    .select([
      'messages.sender as sender',
      sql<string>`count(*)::text`.as('payloads'),
      sql<string>`coalesce(sum(byte_length), 0)::text`.as('bytes'),
      sql<string>`count(*) filter (where finished_at is null)::text`.as('unfinished'),
    ])
    .where(activeAt(now))
    .groupBy('messages.sender')
    .orderBy(sql`sum(byte_length)`, 'desc')
    .execute();
  return rows.map((row) => ({
    sender: row.sender,
    payloads: Number(row.payloads),
    bytes: Number(row.bytes),
    unfinished: Number(row.unfinished),
  }));
}

/** The payload stored under `storeKey`, with its message; undefined when there is none. */
export async function payloadByKey(
  db: Kysely<Database>,
  storeKey: string,
): Promise<PayloadOfMessage | undefined> {
  return toPayload(
    await selectPayload(db).where('message_payloads.store_key', '=', storeKey).executeTakeFirst(),
  );
}

/** A message's payload row, with the message; undefined when it has none. */
export async function payloadOfMessage(
  db: Kysely<Database>,
  messageId: string,
): Promise<PayloadOfMessage | undefined> {
  return toPayload(
    await selectPayload(db).where('message_payloads.message_id', '=', messageId).executeTakeFirst(),
  );
}

function selectPayload(db: Kysely<Database>) {
  return db
    .selectFrom('message_payloads')
    .innerJoin('messages', 'messages.id', 'message_payloads.message_id')
    .select([
      'message_payloads.message_id',
      'messages.sender',
      'message_payloads.store_key',
      'message_payloads.byte_length',
      'message_payloads.finished_at',
      'messages.expires_at',
      'messages.revoked_at',
    ]);
}

function toPayload(
  row:
    | {
        message_id: string;
        sender: string;
        store_key: string | null;
        byte_length: string | number | bigint;
        finished_at: Date | null;
        expires_at: Date;
        revoked_at: Date | null;
      }
    | undefined,
): PayloadOfMessage | undefined {
  if (row === undefined) return undefined;
  return {
    messageId: row.message_id,
    sender: row.sender,
    storeKey: row.store_key,
    byteLength: Number(row.byte_length),
    finished: row.finished_at !== null,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * Records a new upload for the message, unfinished and empty; `exists` when the message has a
 * payload or an upload already (one per message, also under concurrent requests: the primary key).
 */
export async function insertUpload(
  db: Kysely<Database>,
  upload: { messageId: string; storeKey: string; createdAt: Date },
): Promise<'created' | 'exists'> {
  const inserted = await db
    .insertInto('message_payloads')
    .values({
      message_id: upload.messageId,
      payload: null,
      store_key: upload.storeKey,
      byte_length: 0,
      created_at: upload.createdAt,
      finished_at: null,
    })
    .onConflict((conflict) => conflict.column('message_id').doNothing())
    .returning('message_id')
    .executeTakeFirst();
  return inserted ? 'created' : 'exists';
}

/** Records how many bytes an unfinished upload holds now (after each PATCH). */
export async function recordUploadLength(
  db: Kysely<Database>,
  storeKey: string,
  byteLength: number,
): Promise<void> {
  await db
    .updateTable('message_payloads')
    .set({ byte_length: byteLength })
    .where('store_key', '=', storeKey)
    .where('finished_at', 'is', null)
    .execute();
}

/**
 * Marks an upload finished with its final length, only while its message is active (one atomic
 * UPDATE); false when the message ended or the upload is gone (its bytes must go too).
 */
export async function finishUpload(
  db: Kysely<Database>,
  storeKey: string,
  byteLength: number,
  now: Date,
): Promise<boolean> {
  const finished = await db
    .updateTable('message_payloads')
    .set({ byte_length: byteLength, finished_at: now })
    .where('store_key', '=', storeKey)
    .where('finished_at', 'is', null)
    .where((where) =>
      where.exists(
        where
          .selectFrom('messages')
          .select('messages.id')
          .whereRef('messages.id', '=', 'message_payloads.message_id')
          .where(activeAt(now)),
      ),
    )
    .returning('message_id')
    .executeTakeFirst();
  return finished !== undefined;
}

/** Rows whose objects are to be deleted: of ended messages, or uploads unfinished since `before`. */
export async function payloadsToDelete(
  db: Kysely<Database>,
  which: { endedBy: Date } | { unfinishedSince: Date },
): Promise<{ messageId: string; storeKey: string | null }[]> {
  let query = db
    .selectFrom('message_payloads')
    .innerJoin('messages', 'messages.id', 'message_payloads.message_id')
    .select(['message_payloads.message_id', 'message_payloads.store_key']);
  query =
    'endedBy' in which
      ? query.where(sql<boolean>`not (${activeAt(which.endedBy)})`)
      : query
          .where('message_payloads.finished_at', 'is', null)
          .where('message_payloads.created_at', '<', which.unfinishedSince);
  const rows = await query.execute();
  return rows.map((row) => ({ messageId: row.message_id, storeKey: row.store_key }));
}

/** Deletes a payload row (after its object was removed). */
export async function deletePayloadRow(db: Kysely<Database>, messageId: string): Promise<void> {
  await db.deleteFrom('message_payloads').where('message_id', '=', messageId).execute();
}
