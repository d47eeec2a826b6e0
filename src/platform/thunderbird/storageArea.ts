import type { KeyValueStore } from '../host.ts';

/** A `storage.local` / `storage.session` area as the background's key-value port. */
export function storageArea(area: messenger.storage.StorageArea): KeyValueStore {
  return {
    async get<T>(key: string) {
      const result = await area.get(key);
      return result[key] as T | undefined;
    },
    async set(key, value) {
      await area.set({ [key]: value });
    },
    async remove(key) {
      await area.remove(key);
    },
    async entries<T>(prefix: string) {
      // `get()` without keys returns the whole area.
      const all = await area.get();
      return Object.entries(all).filter(([key]) => key.startsWith(prefix)) as [string, T][];
    },
  };
}
