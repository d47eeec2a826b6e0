/**
 * The payload store: the one place hosted payloads' bytes live, outside the database rows (the
 * database keeps only each payload's key, length and whether it is finished; ./tables.ts).
 * Link delivery's resumable uploads (tus) write through `dataStore`, inline registrations through
 * `put`, which uses the same `dataStore`, so every payload is stored the same way and read,
 * removed and counted alike. Two implementations: a directory (./filePayloadStore.ts) and an
 * S3-compatible bucket (./s3PayloadStore.ts), chosen by `payloads.store`.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { MemoryLocker, Upload, type DataStore, type Locker } from '@tus/server';
import type { PayloadsConfig } from '../configDefaults.ts';
import { filePayloadStore } from './filePayloadStore.ts';
import { s3PayloadStore } from './s3PayloadStore.ts';

/** Bytes `start` to `end`, both included (an HTTP range). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface PayloadStore {
  readonly kind: 'file' | 's3';
  /** What the tus upload endpoint writes through: keys are the same as everywhere else here. */
  readonly dataStore: DataStore;
  /**
   * The tus server's locker, shared: `remove` takes an upload's lock first, so a PATCH in
   * progress is asked to stop (and does) before its bytes are deleted, never racing it.
   */
  readonly locker: Locker;
  /** The configured key prefix (S3 only; '' for files); a key is the prefix and 32 hex digits. */
  readonly keyPrefix: string;
  /** A new random key. */
  newKey(): string;
  /** Stores a whole payload (an inline registration's) under `key`, finished. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** A finished payload's bytes, all or one range; null when nothing is stored under `key`. */
  read(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Removes everything stored for `key` (data, upload state, partial parts); missing is fine. */
  remove(key: string): Promise<void>;
  /** Whether anything at all is stored for `key` (tests check deletions with it). */
  holdsAnything(key: string): Promise<boolean>;
  /**
   * Whether a payload could be stored now (readiness): null when it could, else why, for the
   * log (the directory or bucket and the error; never credentials).
   */
  problem(): Promise<string | null>;
  close?(): void;
}

/** How long `remove` waits for a running PATCH to give its lock back (tus asks it to stop). */
const LOCK_TIMEOUT_MS = 30_000;

/** A new key: the prefix and 16 random bytes in hex (what tus would name an upload). */
export function randomKey(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** Writes a whole payload through a tus DataStore, as one finished upload. */
export async function putThroughDataStore(
  dataStore: DataStore,
  key: string,
  bytes: Uint8Array,
): Promise<void> {
  await dataStore.create(new Upload({ id: key, size: bytes.length, offset: 0 }));
  const written = await dataStore.write(Readable.from([Buffer.from(bytes)]), key, 0);
  if (written !== bytes.length)
    throw new Error(`payload store wrote ${written} of ${bytes.length} bytes`);
}

/** Runs `work` holding the upload's tus lock (a PATCH in progress is asked to stop first). */
export async function withUploadLock<T>(
  locker: Locker,
  key: string,
  work: () => Promise<T>,
): Promise<T> {
  const lock = locker.newLock(key);
  await lock.lock(AbortSignal.timeout(LOCK_TIMEOUT_MS), () => undefined);
  try {
    return await work();
  } finally {
    await lock.unlock();
  }
}

/** The store `payloads` configures. */
export function openPayloadStore(config: PayloadsConfig): PayloadStore {
  const locker = new MemoryLocker();
  return config.store === 's3'
    ? s3PayloadStore(config.s3, locker)
    : filePayloadStore(config.directory, locker);
}
