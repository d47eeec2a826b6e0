/**
 * `verify/device`: a remembered browser opens an sms or email lock of its address without a
 * code. In this order: the message exists and is active (404/410); this client has misses left
 * for this message (the counter `verify/start` keeps for unknown addresses: 429); the device is
 * live and its secret right (else 403, counted as a miss); this message has an sms/email lock for
 * the device's address, Bcc included (else 404, counted); the lock is not locked out (423). The
 * share is then released exactly as `verify/complete` releases it (../messages/verification.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { lockedFailure, lockedNow } from '../messages/lockouts.ts';
import { fail, type Failure } from '../messages/outcomes.ts';
import type { MessageLockRow } from '../messages/tables.ts';
import { activeMessage, release } from '../messages/verification.ts';
import { countMiss, missesExhausted } from '../messages/verificationStart.ts';
import { liveDevice } from './devices.ts';

export interface DeviceOpenContext {
  db: Kysely<Database>;
  now: Date;
  /** Who asks (IP address, see `trustProxy`): misses count per message and client. */
  client: string;
}

export type DeviceOpenResult =
  { ok: true; serverShare: string; lock: MessageLockRow; deviceId: string } | Failure;

export async function openWithDevice(
  context: DeviceOpenContext,
  messageId: string,
  deviceId: string,
  secret: string,
): Promise<DeviceOpenResult> {
  const { db, now } = context;
  const gate = await activeMessage(db, messageId, now);
  if (!gate.ok) return gate;
  const exhausted = await missesExhausted(context, messageId);
  if (exhausted !== null) return exhausted;

  const device = await liveDevice(db, deviceId, secret, now);
  if (device === undefined) {
    return (
      (await countMiss(context, messageId)) ??
      fail('forbidden', 'This browser is not remembered (any more): confirm your address.')
    );
  }
  // Only a lock whose factor is a code sent to the recipient: a device never stands in for an
  // access code, which is part of the lock's key.
  const lock = await db
    .selectFrom('message_locks')
    .selectAll()
    .where('message_id', '=', messageId)
    .where('address', '=', device.address)
    .where('method', 'in', ['sms', 'email'])
    .orderBy('position')
    .executeTakeFirst();
  if (lock === undefined) {
    return (
      (await countMiss(context, messageId)) ??
      fail('not-found', 'This message was not sent to this browser with a code by SMS or mail.')
    );
  }
  if (lockedNow(lock, now)) return lockedFailure(lock, now);
  const released = await release(context, lock, { kind: 'remembered-device' });
  if (!released.ok) return released;
  await db
    .updateTable('recipient_devices')
    .set({ last_used_at: now })
    .where('id', '=', device.id)
    .execute();
  return { ...released, deviceId: device.id };
}
