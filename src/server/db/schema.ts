/**
 * The Kysely view of the database: one interface per table, matching the migrations in
 * `./migrations`. Timestamps are `timestamptz` and always written from the injected clock (not the
 * database's `now()`), so tests can move time and several processes agree.
 *
 * Features in their own folders add their tables by module augmentation, so this file stays the
 * core's: `declare module '../db/schema.ts' { interface Database { messages: MessagesTable } }`.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { VerificationMethod } from '../../core/methods.ts';

/** Read as `Date`; written as `Date` (or an ISO string). */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** SMS and emails the development providers "sent" (and, for the record, nothing else). */
export interface OutboxTable {
  id: Generated<number>;
  at: Timestamp;
  channel: 'sms' | 'email';
  recipient: string;
  text: string;
}

/** A sender's pending sign-in: the code is stored only as an HMAC under a per-challenge key. */
export interface SignInChallengesTable {
  id: string;
  address: string;
  code_digest: string;
  code_key: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** Wrong codes so far; incremented atomically. */
  tries: Generated<number>;
  completed_at: Timestamp | null;
}

/** A signed-in device. Only the token's SHA-256 is stored; `id` is the public handle admins use. */
export interface DeviceTokensTable {
  id: string;
  token_digest: string;
  address: string;
  device_name: string;
  created_at: Timestamp;
  last_used_at: Timestamp;
  revoked_at: Timestamp | null;
}

/** Throttles shared by every process: one row per key with the time of the last allowed event. */
export interface ThrottlesTable {
  key: string;
  last_at: Timestamp;
}

/** Counters over fixed windows (e.g. sign-in starts per address per hour). */
export interface RateCountersTable {
  key: string;
  window_start: Timestamp;
  count: number;
}

/** The organisation directory: one row per recipient address. */
export interface DirectoryEntriesTable {
  address: string;
  method: VerificationMethod | null;
  phone: string | null;
  org_code: string | null;
  language: string | null;
  updated_at: Timestamp;
  updated_by: string;
}

/** Who changed which directory field, when, from what to what. Append-only. */
export interface DirectoryAuditTable {
  id: Generated<number>;
  address: string;
  at: Timestamp;
  by: string;
  field: string;
  from_value: string | null;
  to_value: string | null;
}

/**
 * A sender's OpenPGP public key (public parts only), one per address: what colleagues' add-ons
 * look up and the Web Key Directory serves.
 */
export interface PublicKeysTable {
  /** The signed-in sender's normalised (lower-cased) address; the key has a user ID with it. */
  address: string;
  /** The address's domain, one of the organisation's when it was stored. */
  domain: string;
  /** The WKD hash of the address's local part (z-base-32 SHA-1, src/core/wkd.ts). */
  wkd_hash: string;
  /** Upper-case hex, 40 (v4) or 64 (v6) characters. */
  fingerprint: string;
  /** The key armored, public parts only. */
  armored: string;
  updated_at: Timestamp;
}

export interface Database {
  outbox: OutboxTable;
  sign_in_challenges: SignInChallengesTable;
  device_tokens: DeviceTokensTable;
  throttles: ThrottlesTable;
  rate_counters: RateCountersTable;
  directory_entries: DirectoryEntriesTable;
  directory_audit: DirectoryAuditTable;
  public_keys: PublicKeysTable;
}

export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export type DeviceTokenRow = Selectable<DeviceTokensTable>;
export type DirectoryEntryRow = Selectable<DirectoryEntriesTable>;
export type PublicKeyRow = Selectable<PublicKeysTable>;
