/**
 * Payloads registered before the payload store (migration 0009) still have their bytes in their
 * row. At start the server puts each one into the store and empties the row, one at a time, so
 * a database dump holds no payload bytes afterwards and every payload is served the same way.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { PayloadStore } from './payloadStore.ts';

/** Moves every payload still kept in the database into the store; returns how many. */
export async function movePayloadsToStore(
  db: Kysely<Database>,
  store: PayloadStore,
): Promise<number> {
  let moved = 0;
  for (;;) {
    const row = await db
      .selectFrom('message_payloads')
      .select(['message_id', 'payload'])
      .where('payload', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    if (row?.payload == null) return moved;
    const storeKey = store.newKey();
    await store.put(storeKey, row.payload);
    await db
      .updateTable('message_payloads')
      .set({ payload: null, store_key: storeKey, byte_length: row.payload.length })
      .where('message_id', '=', row.message_id)
      .execute();
    moved += 1;
  }
}
