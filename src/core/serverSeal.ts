/**
 * The server side of sealing one message (docs/envelope.md §3a): every planned server lock gets a
 * fresh lock id and server share, the message one mail share, and its OpenPGP password is
 * derived from both (plus the access code when the method has one). What the server receives
 * (`RegisterLock`) never includes the mail share; what the mail carries never includes the
 * server shares.
 */
import { takesAccessCode } from './methods.ts';
import { normaliseAccessCode } from './accessCodeFormat.ts';
import type { PlannedServerLock } from './decideSend.ts';
import type { ServerSealLock } from './sealPipeline.ts';
import { deriveLockPassword, generateLockId, generateShare } from './serverLock.ts';
import type { RegisterLock } from './serverApi.ts';

export interface ServerSealPlan {
  /** The mail's half: into the envelope and the link's `#fragment`, never to the server. */
  mailShare: string;
  /** Locks for `sealMessage`, with their derived passwords. */
  sealLocks: ServerSealLock[];
  /** Locks for `POST /api/v1/messages`, with the server's shares. */
  registerLocks: RegisterLock[];
}

export interface ServerSealInput {
  /** The id the server will know the message by (a UUID); the HKDF salt of every lock. */
  messageId: string;
  locks: readonly PlannedServerLock[];
  /** Random source; tests may inject one. */
  randomBytes?: (length: number) => Uint8Array;
}

/** Plans the shares, ids and passwords of a message's server locks. */
export async function planServerSeal(input: ServerSealInput): Promise<ServerSealPlan> {
  const random = input.randomBytes;
  const mailShare = random ? generateShare(random) : generateShare();
  const sealLocks: ServerSealLock[] = [];
  const registerLocks: RegisterLock[] = [];
  for (const lock of input.locks) {
    const lockId = random ? generateLockId(random) : generateLockId();
    const serverShare = random ? generateShare(random) : generateShare();
    const usesCode = takesAccessCode(lock.method);
    if (usesCode && !lock.accessCode)
      throw new Error(`planServerSeal: ${lock.method} without a code`);
    const derived = await deriveLockPassword({
      messageId: input.messageId,
      lockId,
      mailShare,
      serverShare,
      ...(usesCode && lock.accessCode ? { accessCode: lock.accessCode } : {}),
    });
    if (!derived.ok) throw new Error('planServerSeal: could not derive a lock password');
    const sealLock: ServerSealLock = {
      method: lock.method,
      serverProtected: true,
      id: lockId,
      password: derived.password,
      language: lock.language,
    };
    if (lock.hint !== undefined) sealLock.hint = lock.hint;
    sealLocks.push(sealLock);
    const registerLock: RegisterLock = {
      lockId,
      method: lock.method,
      address: lock.address,
      // Bcc recipients are never described publicly (docs/envelope.md §0).
      hidden: lock.field === 'bcc',
      serverShare,
      language: lock.language,
    };
    if (lock.method === 'sms' && lock.phone) registerLock.phone = lock.phone;
    if (usesCode && lock.accessCode) registerLock.accessCode = normaliseAccessCode(lock.accessCode);
    registerLocks.push(registerLock);
  }
  return { mailShare, sealLocks, registerLocks };
}
