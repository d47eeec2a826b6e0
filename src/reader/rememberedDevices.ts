/**
 * Browsers a recipient chose to remember on the hosted reader: the server's `RememberedDevice`
 * answers, kept in this origin's `localStorage` so the next message from the same server opens
 * without an SMS or email code. A device only stands in for the code: the server still releases
 * its share only, and the mail share still comes from the link. Anything unreadable in storage is
 * treated as nothing remembered (and overwritten), never as an error.
 */
import type { RememberedDevice } from '../core/serverApi.ts';

/** The one storage key: a JSON list of devices, newest first. */
export const DEVICES_KEY = 'sealpost.rememberedDevices';

/** The part of `Storage` used here (a unit test passes a Map-backed one). */
export type DeviceStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The devices not yet expired at `now`, newest first; expired ones are dropped from storage. */
export function rememberedDevices(storage: DeviceStorage, now: number): RememberedDevice[] {
  const all = readAll(storage);
  const live = all.filter((device) => Date.parse(device.expiresAt) > now);
  if (live.length !== all.length) writeAll(storage, live);
  return live;
}

/** Keeps a new device; it replaces any earlier one for the same address. */
export function rememberDevice(storage: DeviceStorage, device: RememberedDevice): void {
  writeAll(storage, [
    device,
    ...readAll(storage).filter(
      (kept) => kept.deviceId !== device.deviceId && kept.address !== device.address,
    ),
  ]);
}

/** Forgets one device here (the server refused it, or the recipient asked to). */
export function forgetDevice(storage: DeviceStorage, deviceId: string): void {
  writeAll(
    storage,
    readAll(storage).filter((device) => device.deviceId !== deviceId),
  );
}

function readAll(storage: DeviceStorage): RememberedDevice[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(DEVICES_KEY) ?? '[]');
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? parsed.filter(isDevice) : [];
}

function writeAll(storage: DeviceStorage, devices: RememberedDevice[]): void {
  try {
    if (devices.length === 0) storage.removeItem(DEVICES_KEY);
    else storage.setItem(DEVICES_KEY, JSON.stringify(devices));
  } catch {
    // Storage full or refused (private mode): the recipient types the code next time.
  }
}

function isDevice(value: unknown): value is RememberedDevice {
  if (typeof value !== 'object' || value === null) return false;
  const device = value as Record<string, unknown>;
  return (
    typeof device.deviceId === 'string' &&
    typeof device.secret === 'string' &&
    typeof device.address === 'string' &&
    typeof device.expiresAt === 'string' &&
    !Number.isNaN(Date.parse(device.expiresAt))
  );
}

/** The browser's storage, or null where there is none or it may not be used (a file's page). */
export function browserDeviceStorage(): DeviceStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
