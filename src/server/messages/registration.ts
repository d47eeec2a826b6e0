/**
 * Message registration at seal time: the locks are checked and prepared (addresses normalised,
 * phones in E.164, access codes digested, shares decoded) before anything is written, and then
 * the message, its locks and its payload's row are written in one transaction, so a failure leaves
 * nothing half-registered that a recipient could open (an inline payload's bytes are put in the
 * payload store just before, and removed again when the transaction fails).
 */
import { takesAccessCode } from '../../core/methods.ts';
import type { Kysely } from 'kysely';
import { normaliseAccessCode } from '../../core/accessCodeFormat.ts';
import { isPlausibleAddress, normaliseAddress } from '../../core/address.ts';
import { MINIMUM_SERVER_CODE_LENGTH } from '../../core/recipientDirectory.ts';
import { SHARE_BYTES } from '../../core/serverLock.ts';
import type { RegisterMessageRequest } from '../../core/serverApi.ts';
import type { Database } from '../db/schema.ts';
import { normalisePhoneNumber } from '../providers/phone.ts';
import { makeVerifier, type ServerSecret } from '../serverSecret.ts';
import type { MessageLocksTable } from './tables.ts';
import type { Insertable } from 'kysely';

export type PreparedLock = Insertable<MessageLocksTable>;

export type PrepareResult =
  | { ok: true; locks: Omit<PreparedLock, 'message_id'>[] }
  | { ok: false; reason: 'bad-request'; message: string };

/** Checks what JSON schema cannot (cross-field rules, normal forms) and builds the lock rows. */
export function prepareLocks(
  locks: RegisterMessageRequest['locks'],
  secret: ServerSecret,
): PrepareResult {
  const seenLockIds = new Set<string>();
  const rows: Omit<PreparedLock, 'message_id'>[] = [];
  for (const [position, lock] of locks.entries()) {
    const where = `locks[${position}]`;
    if (seenLockIds.has(lock.lockId)) return refuse(`${where}: lockId is used twice`);
    seenLockIds.add(lock.lockId);
    const address = normaliseAddress(lock.address);
    if (!isPlausibleAddress(address)) return refuse(`${where}: address is not a mail address`);
    const serverShare = Buffer.from(lock.serverShare, 'base64');
    if (serverShare.length !== SHARE_BYTES)
      return refuse(`${where}: serverShare must be ${SHARE_BYTES} bytes`);

    let phone: string | null = null;
    if (lock.method === 'sms') {
      if (lock.phone === undefined) return refuse(`${where}: an sms lock needs a phone number`);
      const parsed = normalisePhoneNumber(lock.phone);
      if (!parsed.ok)
        return refuse(`${where}: the phone number is not a valid international number`);
      phone = parsed.e164;
    } else if (lock.phone !== undefined) {
      return refuse(`${where}: only sms locks carry a phone number`);
    }

    let accessCode: { salt: Uint8Array; digest: Uint8Array } | null = null;
    if (takesAccessCode(lock.method)) {
      const normalised = normaliseAccessCode(lock.accessCode ?? '');
      if (normalised.length === 0)
        return refuse(`${where}: a ${lock.method} lock needs its access code`);
      // The add-on's minimum, enforced here too: the attempt limit makes short codes safe,
      // trivially short ones are not (a client that skips the check gets no weaker lock).
      if (normalised.length < MINIMUM_SERVER_CODE_LENGTH)
        return refuse(
          `${where}: the access code must have at least ${MINIMUM_SERVER_CODE_LENGTH} letters or digits`,
        );
      accessCode = makeVerifier(secret, normalised);
    } else if (lock.accessCode !== undefined) {
      return refuse(`${where}: only code and org-code locks carry an access code`);
    }

    rows.push({
      lock_id: lock.lockId,
      position,
      method: lock.method,
      address,
      hidden: lock.hidden,
      phone,
      language: lock.language,
      server_share: serverShare,
      access_code_salt: accessCode ? Buffer.from(accessCode.salt) : null,
      access_code_digest: accessCode ? Buffer.from(accessCode.digest) : null,
    });
  }
  return { ok: true, locks: rows };
}

/** A checked hosted payload: its canonical base64 text, its bytes and their number. */
export interface HostedPayload {
  base64: string;
  bytes: Buffer;
  byteLength: number;
}

export type CheckPayloadResult =
  { ok: true; payload: HostedPayload | null } | { ok: false; message: string };

/** Checks the hosted payload; refuses base64 that does not round-trip (bad padding, stray bits). */
export function checkPayload(payload: string | undefined): CheckPayloadResult {
  if (payload === undefined) return { ok: true, payload: null };
  if (payload.length % 4 !== 0) return { ok: false, message: 'payload: not base64' };
  const bytes = Buffer.from(payload, 'base64');
  if (bytes.length === 0) return { ok: false, message: 'payload: empty' };
  if (bytes.toString('base64') !== payload)
    return { ok: false, message: 'payload: not canonical base64' };
  return { ok: true, payload: { base64: payload, bytes, byteLength: bytes.length } };
}

export interface NewMessage {
  messageId: string;
  sender: string;
  senderName: string | null;
  /** The language the sender reads Sealpost in (a reply's mail to them uses it). */
  senderLanguage: string | null;
  createdAt: Date;
  expiresAt: Date;
  locks: Omit<PreparedLock, 'message_id'>[];
  /** An inline payload, already in the payload store under `storeKey`. */
  payload: { storeKey: string; byteLength: number } | null;
  /** Link delivery: the sender's estimate of the payload they will upload. */
  uploadExpectedBytes: number | null;
}

/** Writes the message in one transaction; `exists` when the id was registered before (by anyone). */
export async function insertMessage(
  db: Kysely<Database>,
  message: NewMessage,
): Promise<{ ok: true } | { ok: false; reason: 'exists' }> {
  return db.transaction().execute(async (transaction) => {
    const inserted = await transaction
      .insertInto('messages')
      .values({
        id: message.messageId,
        sender: message.sender,
        sender_name: message.senderName,
        sender_language: message.senderLanguage,
        created_at: message.createdAt,
        expires_at: message.expiresAt,
        revoked_at: null,
        upload_expected_bytes: message.uploadExpectedBytes,
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted === undefined) return { ok: false as const, reason: 'exists' as const };
    await transaction
      .insertInto('message_locks')
      .values(message.locks.map((lock) => ({ ...lock, message_id: message.messageId })))
      .execute();
    if (message.payload !== null) {
      await transaction
        .insertInto('message_payloads')
        .values({
          message_id: message.messageId,
          payload: null,
          store_key: message.payload.storeKey,
          byte_length: message.payload.byteLength,
          created_at: message.createdAt,
          finished_at: message.createdAt,
        })
        .execute();
    }
    return { ok: true as const };
  });
}

function refuse(message: string): { ok: false; reason: 'bad-request'; message: string } {
  return { ok: false, reason: 'bad-request', message };
}

/** The ids of messages that expired or were revoked by `now` (a subquery). */
export function endedMessageIds(db: Kysely<Database>, now: Date) {
  return db
    .selectFrom('messages')
    .select('messages.id')
    .where((ended) =>
      ended.or([
        ended('messages.expires_at', '<=', now),
        ended('messages.revoked_at', 'is not', null),
      ]),
    );
}

/** What `eraseLockSecrets` sets: nothing left that opens a lock or checks a code. */
const ERASED_LOCK_SECRETS = {
  server_share: null,
  access_code_salt: null,
  access_code_digest: null,
  code_salt: null,
  code_digest: null,
  code_expires_at: null,
} as const;

/**
 * Erases what could open a message's locks (server shares) or test guesses against them (code
 * verifiers), for one message (revocation) or every ended one (housekeeping). Revocation and
 * expiry are then cryptographic: the mail alone never opens again, whoever has the database.
 */
export async function eraseLockSecrets(
  db: Kysely<Database>,
  which: { messageId: string } | { endedBy: Date },
): Promise<number> {
  let query = db
    .updateTable('message_locks')
    .set(ERASED_LOCK_SECRETS)
    .where((expression) =>
      expression.or([
        expression('server_share', 'is not', null),
        expression('access_code_digest', 'is not', null),
        expression('code_digest', 'is not', null),
      ]),
    );
  if ('messageId' in which) {
    query = query.where('message_id', '=', which.messageId);
  } else {
    query = query.where('message_id', 'in', endedMessageIds(db, which.endedBy));
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
