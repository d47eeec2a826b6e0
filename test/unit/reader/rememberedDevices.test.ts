/**
 * The hosted reader's list of remembered browsers in `localStorage` (a Map-backed Storage here):
 * what is kept, replaced, dropped when expired or refused, and what happens to unreadable data.
 */
import { describe, expect, it } from 'vitest';
import type { RememberedDevice } from '../../../src/core/serverApi.ts';
import {
  DEVICES_KEY,
  forgetDevice,
  rememberDevice,
  rememberedDevices,
  type DeviceStorage,
} from '../../../src/reader/rememberedDevices.ts';

function memoryStorage(initial?: string): DeviceStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  if (initial !== undefined) map.set(DEVICES_KEY, initial);
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

const NOW = Date.parse('2026-12-05T12:00:00.000Z');
const device = (id: string, address: string, expiresAt = '2027-01-04T12:00:00.000Z') =>
  ({ deviceId: id, secret: `secret-${id}`, address, expiresAt }) satisfies RememberedDevice;

describe('remembered browsers', () => {
  it('keeps devices newest first, one per address', () => {
    const storage = memoryStorage();
    rememberDevice(storage, device('a', 'bob@partner.example'));
    rememberDevice(storage, device('b', 'carol@partner.example'));
    rememberDevice(storage, device('c', 'bob@partner.example'));
    expect(rememberedDevices(storage, NOW).map((kept) => kept.deviceId)).toEqual(['c', 'b']);
  });

  it('drops expired devices from the answer and from storage', () => {
    const storage = memoryStorage();
    rememberDevice(storage, device('old', 'bob@partner.example', '2026-12-05T11:59:59.000Z'));
    rememberDevice(storage, device('new', 'carol@partner.example'));
    expect(rememberedDevices(storage, NOW).map((kept) => kept.deviceId)).toEqual(['new']);
    expect(storage.map.get(DEVICES_KEY)).not.toContain('old');
  });

  it('forgets one device, and removes the key when none is left', () => {
    const storage = memoryStorage();
    rememberDevice(storage, device('a', 'bob@partner.example'));
    rememberDevice(storage, device('b', 'carol@partner.example'));
    forgetDevice(storage, 'b');
    expect(rememberedDevices(storage, NOW).map((kept) => kept.deviceId)).toEqual(['a']);
    forgetDevice(storage, 'a');
    expect(storage.map.has(DEVICES_KEY)).toBe(false);
  });

  it('reads unreadable or foreign data as nothing remembered, and skips malformed entries', () => {
    expect(rememberedDevices(memoryStorage('{not json'), NOW)).toEqual([]);
    expect(rememberedDevices(memoryStorage('{"deviceId":"a"}'), NOW)).toEqual([]);
    const mixed = JSON.stringify([
      device('good', 'bob@partner.example'),
      { deviceId: 'no-secret', address: 'x@y', expiresAt: '2027-01-01T00:00:00Z' },
      { ...device('bad-date', 'z@y'), expiresAt: 'tomorrow' },
      null,
    ]);
    expect(rememberedDevices(memoryStorage(mixed), NOW).map((kept) => kept.deviceId)).toEqual([
      'good',
    ]);
  });

  it('a storage that refuses writes loses nothing but the remembering', () => {
    const storage: DeviceStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(() => rememberDevice(storage, device('a', 'bob@partner.example'))).not.toThrow();
  });
});
