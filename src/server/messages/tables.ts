/**
 * The message tables (migration 0002_messages, and the columns later migrations added), added
 * to the core's `Database` by module augmentation as src/server/db/schema.ts asks.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Timestamp } from '../db/schema.ts';
import type { ServerLockMethod } from '../../core/serverApi.ts';

/** `bigint`: `pg` reads a string (PGlite a number); read it through `Number()`. */
export type Int8 = ColumnType<string | number | bigint, number, number>;

/** `bytea`: `pg` reads a Buffer, PGlite a Uint8Array; both take a Buffer. */
export type Bytes = ColumnType<Uint8Array, Buffer, Buffer>;

/** A registered message. Its content never reaches the server, only its hosted ciphertext. */
export interface MessagesTable {
  /** The envelope's message id (lower-case UUID). */
  id: string;
  /** The signed-in sender's normalised address; only they see status or revoke. */
  sender: string;
  /** The display name the envelope gives the sender, shown by the hosted reader. */
  sender_name: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  /** The Message-ID Thunderbird gave the sealed mail (`<…>`): replies are threaded to it. */
  mail_message_id: Generated<string | null>;
  /** The language the sender reads Sealpost in (a NotificationLanguage); replies' mail uses it. */
  sender_language: Generated<string | null>;
  /** Link delivery: the sender's estimate of the payload's size; null = inline or none. */
  upload_expected_bytes: ColumnType<
    string | number | bigint | null,
    number | null | undefined,
    number | null
  >;
}

/**
 * One recipient's lock. The server share is released only after the factor; access codes and
 * one-time codes are kept only as HMAC digests under a random per-row salt. Counters are changed
 * only by single atomic UPDATEs, so several processes share them.
 */
export interface MessageLocksTable {
  message_id: string;
  lock_id: string;
  /** Order of the locks as registered (public listing keeps it). */
  position: number;
  method: ServerLockMethod;
  /** Normalised recipient address; never shown in full to recipients. */
  address: string;
  /** Bcc: no hint in the public listing. */
  hidden: boolean;
  /** E.164, sms locks only. */
  phone: string | null;
  language: string;
  /** 32 bytes: the server's half of the lock secret; erased (null) once the message ended. */
  server_share: Bytes | null;
  access_code_salt: Bytes | null;
  access_code_digest: Bytes | null;
  /** Access-code tries that failed (or are being checked); at the limit the lock is locked. */
  wrong_access_codes: Generated<number>;
  /** The current one-time code (sms/email) as salt + digest; null when none is pending. */
  code_salt: Bytes | null;
  code_digest: Bytes | null;
  code_expires_at: Timestamp | null;
  /** Tries on the current one-time code. */
  code_tries: Generated<number>;
  code_sent_at: Timestamp | null;
  /** One-time codes sent since the last successful verification (capped). */
  codes_sent: Generated<number>;
  /** When the lock's tries last ran out; the sender sees it in the status. */
  locked_at: Timestamp | null;
  /** Closed until then (15 minutes, doubling with each lock-out); null or past = open. */
  locked_until: Timestamp | null;
  /** How many times the lock was locked out: the next wait is 15 min × 2^lockouts. */
  lockouts: Generated<number>;
  /** First successful verification (read status). */
  opened_at: Timestamp | null;
  /** Replies this recipient sent through the server; at `limits.repliesPerLock` no more. */
  replies_sent: Generated<number>;
  /** When the recipient last said they have no code (`verify/no-code`) and the sender was told. */
  code_requested_at: Timestamp | null;
  /** Mails `verify/no-code` sent the sender for this lock (capped, ./noCode.ts). */
  no_code_mails: Generated<number>;
}

declare module '../db/schema.ts' {
  interface Database {
    messages: MessagesTable;
    message_locks: MessageLocksTable;
  }
}

export type MessageRow = Selectable<MessagesTable>;
export type MessageLockRow = Selectable<MessageLocksTable>;
