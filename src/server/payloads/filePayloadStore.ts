/**
 * Payloads as files in one directory (`payloads.directory`): `<key>` holds the bytes and
 * `<key>.json` the tus upload's state (@tus/file-store). Right for one machine; back the
 * directory up with the database, or not at all (payloads end with their messages).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { access, open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import type { Locker } from '@tus/server';
import {
  putThroughDataStore,
  randomKey,
  withUploadLock,
  type ByteRange,
  type PayloadStore,
} from './payloadStore.ts';

/** A key is made by `randomKey('')`: nothing in it can leave the directory. */
const FILE_KEY = /^[0-9a-f]{32}$/;

export function filePayloadStore(directory: string, locker: Locker): PayloadStore {
  // Made here, so a directory that cannot be made is one clear error (the tus store makes it
  // too, but throws its failure from a callback, where nothing can catch it).
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new Error(`payloads.directory ${directory}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const dataStore = new FileStore({ directory });
  const pathOf = (key: string) => {
    if (!FILE_KEY.test(key)) throw new Error('not a payload key');
    return join(directory, key);
  };
  const present = async (path: string) =>
    access(path).then(
      () => true,
      () => false,
    );
  return {
    kind: 'file',
    dataStore,
    locker,
    keyPrefix: '',
    newKey: () => randomKey(''),
    put: (key, bytes) => putThroughDataStore(dataStore, key, bytes),
    async read(key: string, range?: ByteRange): Promise<Readable | null> {
      // Opened before answering, so a file removed meanwhile is a 404, not a broken stream.
      const file = await open(pathOf(key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      return file?.createReadStream(range ? { start: range.start, end: range.end } : {}) ?? null;
    },
    remove: (key) =>
      withUploadLock(locker, key, async () => {
        await rm(pathOf(key), { force: true });
        await rm(`${pathOf(key)}.json`, { force: true });
      }),
    async holdsAnything(key) {
      return (await present(pathOf(key))) || (await present(`${pathOf(key)}.json`));
    },
    async problem() {
      // Written, not only looked at: a missing directory, a full disk or a read-only mount all
      // show (and permissions would, for anyone but root). Never a payload key's name.
      const probe = join(directory, `.ready-probe-${randomBytes(6).toString('hex')}`);
      try {
        await writeFile(probe, '');
        await rm(probe, { force: true });
        return null;
      } catch (error) {
        return `payloads.directory ${directory}: ${(error as Error).message}`;
      }
    },
  };
}
