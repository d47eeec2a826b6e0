/**
 * Pure decisions about registered messages: their state at a given time, what the reader may
 * show about a lock before verification, and when a message expires. The routes gather rows and
 * the clock; these functions decide.
 */
import { maskAddress } from '../../core/address.ts';
import type { PublicMessageResponse, ServerLockMethod } from '../../core/serverApi.ts';
import { maskPhoneNumber } from '../providers/phone.ts';

export type MessageState = PublicMessageResponse['state'];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Revocation wins over expiry: a revoked message says so even after its expiry date. */
export function messageState(
  message: { expiresAt: Date; revokedAt: Date | null },
  now: Date,
): MessageState {
  if (message.revokedAt !== null) return 'revoked';
  return now.getTime() >= message.expiresAt.getTime() ? 'expired' : 'active';
}

export type ExpiryResult = { ok: true; expiresAt: Date } | { ok: false; reason: 'too-long' };

/** The expiry of a message registered at `now`; the sender may ask for fewer days, never more than the maximum. */
export function expiryFor(
  requestedDays: number | undefined,
  limits: { defaultDays: number; maxDays: number },
  now: Date,
): ExpiryResult {
  const days = requestedDays ?? Math.min(limits.defaultDays, limits.maxDays);
  if (days > limits.maxDays) return { ok: false, reason: 'too-long' };
  return { ok: true, expiresAt: new Date(now.getTime() + days * DAY_MS) };
}

/**
 * The hint shown next to a lock before anyone verified: which of the visible recipients it is
 * for, masked. Hidden (Bcc) locks have none, so other recipients learn nothing about them.
 */
export function lockHint(lock: {
  method: ServerLockMethod;
  address: string;
  hidden: boolean;
  phone: string | null;
}): string | null {
  if (lock.hidden) return null;
  if (lock.method === 'sms' && lock.phone !== null) {
    return `${maskAddress(lock.address)} (${maskPhoneNumber(lock.phone)})`;
  }
  return maskAddress(lock.address);
}

/** Where the one-time code went, as told to the recipient who started the verification. */
export function sentToHint(lock: {
  method: ServerLockMethod;
  address: string;
  phone: string | null;
}): string | null {
  if (lock.method === 'sms') return lock.phone === null ? null : maskPhoneNumber(lock.phone);
  if (lock.method === 'email') return maskAddress(lock.address);
  return null;
}
