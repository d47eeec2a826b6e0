/**
 * The payload rows (migrations 0002_messages and 0009_payload_store), added to the core's
 * `Database` by module augmentation as src/server/db/schema.ts asks. The bytes themselves are
 * in the payload store (./payloadStore.ts), under `store_key`.
 */
import type { Selectable } from 'kysely';
import type { Timestamp } from '../db/schema.ts';
import type { Bytes, Int8 } from '../messages/tables.ts';

/** A message's hosted payload: at most one per message; deleted with its object when it ends. */
export interface MessagePayloadsTable {
  message_id: string;
  /** Before 0009 the bytes were here; moved to the store at start, so always null after. */
  payload: Bytes | null;
  /** The object's key in the payload store (null only for a row not yet moved). */
  store_key: string | null;
  /** Bytes stored so far (the whole payload once finished); quotas add these up. */
  byte_length: Int8;
  created_at: Timestamp | null;
  /** When the last byte arrived; null while an upload is in progress (nothing is served). */
  finished_at: Timestamp | null;
}

declare module '../db/schema.ts' {
  interface Database {
    message_payloads: MessagePayloadsTable;
  }
}

export type MessagePayloadRow = Selectable<MessagePayloadsTable>;
