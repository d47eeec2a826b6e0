/**
 * Remembered browsers (an organisation's opt-in, `rememberDevices`): after an SMS or email code
 * passed, a recipient may let their browser stand in for that code on every message of this
 * server sent to their address, for `rememberDevices.days`. The browser keeps a random secret;
 * the server keeps only its SHA-256, and the SHA-256 of a second secret that the removal link in
 * the recipient's mail carries. A database copy therefore holds nothing that works as a device
 * or removes one. A device releases only a server share: the mail share (the link's `#…`) is
 * still needed, and it never stands in for an access code (that code is part of the key).
 *
 * The recipient is always told by mail when a browser is remembered; if that mail cannot be
 * sent, no device is kept (the verification itself still succeeds, without `device`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Selectable } from 'kysely';
import { isNotificationLanguage, type NotificationLanguage } from '../../core/languages.ts';
import type { RememberedDevice, ServerLockMethod } from '../../core/serverApi.ts';
import type { Database, Timestamp } from '../db/schema.ts';
import type { ServerDeps } from '../deps.ts';
import type { Mailer } from '../mail/mailer.ts';
import { randomToken, sha256Hex } from '../secrets.ts';
import { deviceMail } from './deviceText.ts';

/** 16 random bytes, base64url without padding. */
export const DEVICE_ID_PATTERN = '^[A-Za-z0-9_-]{22}$';
/** 32 random bytes, base64url without padding (a device's secret, a removal link's token). */
export const DEVICE_SECRET_PATTERN = '^[A-Za-z0-9_-]{43}$';
/** Live browsers one address keeps; remembering another drops the oldest. */
export const DEVICES_PER_ADDRESS = 5;
/**
 * How long a device's row stays after it expired or was removed: the admin still sees it in
 * `devices list`, and its removal link says "removed" rather than "not valid". Then housekeeping
 * deletes it.
 */
export const DEVICE_RECORD_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Only the methods whose factor is a code sent to the recipient can be remembered. */
export function rememberable(method: ServerLockMethod): boolean {
  return method === 'sms' || method === 'email';
}

export interface RecipientDevicesTable {
  /** Public id (base64url, 16 bytes): in the mail, the removal link and admin lists. */
  id: string;
  /** The normalised address it stands for (the lock's). */
  address: string;
  /** SHA-256 of the device's secret, hex. */
  secret_digest: string;
  /** SHA-256 of the removal link's token, hex. */
  removal_token_digest: string;
  /** The lock's notification language: the mail and the removal page use it. */
  language: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_used_at: Timestamp | null;
  removed_at: Timestamp | null;
}

declare module '../db/schema.ts' {
  interface Database {
    recipient_devices: RecipientDevicesTable;
  }
}

export type RecipientDeviceRow = Selectable<RecipientDevicesTable>;

/** Whether `value` is the one whose SHA-256 is `digestHex`, compared in constant time. */
function digestMatches(value: string, digestHex: string): boolean {
  const expected = Buffer.from(digestHex, 'hex');
  const actual = Buffer.from(sha256Hex(value), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function live(device: Pick<RecipientDeviceRow, 'removed_at' | 'expires_at'>, now: Date): boolean {
  return device.removed_at === null && device.expires_at > now;
}

export function deviceLanguage(device: Pick<RecipientDeviceRow, 'language'>): NotificationLanguage {
  return isNotificationLanguage(device.language) ? device.language : 'en';
}

/** What remembering a browser needs from the server. */
export interface RememberContext {
  db: Kysely<Database>;
  now: Date;
  mailer: Mailer;
  days: number;
  organisationName: string;
  publicUrl: string;
  log: FastifyBaseLogger;
}

export function rememberContextFor(
  deps: Pick<ServerDeps, 'db' | 'mailer' | 'config'>,
  now: Date,
  log: FastifyBaseLogger,
): RememberContext {
  return {
    db: deps.db,
    now,
    mailer: deps.mailer,
    days: deps.config.rememberDevices.days,
    organisationName: deps.config.organisation.name,
    publicUrl: deps.config.publicUrl,
    log,
  };
}

/** The removal link of the recipient's mail (its page posts; a GET never removes). */
export function removalUrl(publicUrl: string, deviceId: string, removalToken: string): string {
  return `${publicUrl}/devices/${deviceId}/remove?token=${removalToken}`;
}

/**
 * Remembers a browser for the lock's address after its code passed, and mails the recipient.
 * Null when nothing was remembered: a code lock (its code is part of the key), or the mail could
 * not be sent (the recipient must be told, so the device is dropped), or the database failed.
 * Never throws: the share was released already and the reader must get it.
 */
export async function rememberDevice(
  context: RememberContext,
  lock: { address: string; method: ServerLockMethod; language: string },
): Promise<RememberedDevice | null> {
  if (!rememberable(lock.method)) return null;
  const { db, now } = context;
  const deviceId = randomToken(16);
  const secret = randomToken(32);
  const removalToken = randomToken(32);
  const expiresAt = new Date(now.getTime() + context.days * DAY_MS);
  const language = isNotificationLanguage(lock.language) ? lock.language : 'en';
  try {
    await db
      .insertInto('recipient_devices')
      .values({
        id: deviceId,
        address: lock.address,
        secret_digest: sha256Hex(secret),
        removal_token_digest: sha256Hex(removalToken),
        language,
        created_at: now,
        expires_at: expiresAt,
        last_used_at: null,
        removed_at: null,
      })
      .execute();
  } catch (error) {
    context.log.warn({ err: error }, 'could not remember a browser');
    return null;
  }
  const mail = deviceMail(language, {
    organisationName: context.organisationName,
    address: lock.address,
    expiresAt,
    removalUrl: removalUrl(context.publicUrl, deviceId, removalToken),
  });
  try {
    await context.mailer.send({ to: lock.address, subject: mail.subject, text: mail.text });
  } catch (error) {
    // Fail closed: a browser the recipient was not told about must not open their mail.
    context.log.warn({ err: error, deviceId }, 'browser not remembered: the mail failed');
    await db
      .deleteFrom('recipient_devices')
      .where('id', '=', deviceId)
      .execute()
      .catch(() => undefined);
    return null;
  }
  // At most a few live browsers per address: the oldest go.
  const kept = db
    .selectFrom('recipient_devices')
    .select('id')
    .where('address', '=', lock.address)
    .where('removed_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(DEVICES_PER_ADDRESS);
  await db
    .deleteFrom('recipient_devices')
    .where('address', '=', lock.address)
    .where('removed_at', 'is', null)
    .where('expires_at', '>', now)
    .where('id', 'not in', kept)
    .execute()
    .catch((error: unknown) => context.log.warn({ err: error }, 'could not drop old browsers'));
  return { deviceId, secret, address: lock.address, expiresAt: expiresAt.toISOString() };
}

/** The live device with this id and secret, or undefined (unknown, wrong, expired, removed). */
export async function liveDevice(
  db: Kysely<Database>,
  deviceId: string,
  secret: string,
  now: Date,
): Promise<RecipientDeviceRow | undefined> {
  const device = await db
    .selectFrom('recipient_devices')
    .selectAll()
    .where('id', '=', deviceId)
    .executeTakeFirst();
  if (device === undefined || !digestMatches(secret, device.secret_digest)) return undefined;
  return live(device, now) ? device : undefined;
}

/** `POST /api/v1/devices/forget`: removes the device when the secret is right, else nothing. */
export async function forgetDevice(
  db: Kysely<Database>,
  deviceId: string,
  secret: string,
  now: Date,
): Promise<boolean> {
  const device = await liveDevice(db, deviceId, secret, now);
  if (device === undefined) return false;
  return (await removeDevices(db, { id: device.id }, now)) > 0;
}

/** What a removal link stands for: nothing, a device to remove, or one that no longer works. */
export type RemovalLink =
  { valid: false } | { valid: true; live: boolean; device: RecipientDeviceRow };

/** Reads a removal link (id and token) without changing anything. */
export async function readRemovalLink(
  db: Kysely<Database>,
  deviceId: string,
  token: string,
  now: Date,
): Promise<RemovalLink> {
  const device = await db
    .selectFrom('recipient_devices')
    .selectAll()
    .where('id', '=', deviceId)
    .executeTakeFirst();
  if (device === undefined || !digestMatches(token, device.removal_token_digest)) {
    return { valid: false };
  }
  return { valid: true, live: live(device, now), device };
}

/** Follows a removal link: marks the device removed when the token is right. */
export async function removeWithToken(
  db: Kysely<Database>,
  deviceId: string,
  token: string,
  now: Date,
): Promise<RemovalLink> {
  const link = await readRemovalLink(db, deviceId, token, now);
  if (link.valid && link.live) await removeDevices(db, { id: deviceId }, now);
  return link;
}

/**
 * Removes one device by id or every live device of an address (the sender's route, the admin):
 * marks them removed at once (the first removal's time stays). Returns how many were live.
 */
export async function removeDevices(
  db: Kysely<Database>,
  which: { id: string } | { address: string },
  now: Date,
): Promise<number> {
  const query = db
    .updateTable('recipient_devices')
    .set({ removed_at: now })
    .where('removed_at', 'is', null)
    .where('expires_at', '>', now);
  const result = await (
    'id' in which ? query.where('id', '=', which.id) : query.where('address', '=', which.address)
  ).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Devices for the admin's list, oldest first (never a secret: only digests are stored). */
export async function listDevices(
  db: Kysely<Database>,
  address?: string,
): Promise<RecipientDeviceRow[]> {
  let query = db.selectFrom('recipient_devices').selectAll().orderBy('created_at').orderBy('id');
  if (address !== undefined) query = query.where('address', '=', address);
  return query.execute();
}

/**
 * Housekeeping: deletes devices that expired or were removed more than `DEVICE_RECORD_DAYS`
 * ago. Returns how many.
 */
export async function deleteOldDevices(db: Kysely<Database>, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - DEVICE_RECORD_DAYS * DAY_MS);
  const result = await db
    .deleteFrom('recipient_devices')
    .where((expression) =>
      expression.or([
        expression('expires_at', '<=', cutoff),
        expression('removed_at', '<=', cutoff),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
