/**
 * Two-of-two lock secrets for server-backed methods (docs/envelope.md §3a). The password of such a
 * lock is
 * derived from a share the server releases only after the recipient passed the factor, and a
 * share that travels only in the mail (envelope, and the link's `#fragment`, never sent to the
 * server). The server alone, or the mail alone, derives nothing. Access codes are mixed in when
 * the method has one, so a code still counts even if both shares leak together.
 *
 *   password = base64( HKDF-SHA256( ikm  = mailShare ‖ serverShare ‖ UTF-8(normalised code or ""),
 *                                   salt = UTF-8(messageId),
 *                                   info = UTF-8("sealpost-lock-v1:" + lockId),
 *                                   L    = 32 bytes ) )
 *
 * The result is the OpenPGP password of that lock's SKESK (docs/envelope.md).
 */
import { normaliseAccessCode } from './accessCodeFormat.ts';
import { base64FromBytes, bytesFromBase64 } from './envelopeCodec.ts';

export const SHARE_BYTES = 32;
const INFO_PREFIX = 'sealpost-lock-v1:';

/** A fresh random share (32 bytes) as base64. */
export function generateShare(randomBytes: (length: number) => Uint8Array = defaultRandom): string {
  return base64FromBytes(randomBytes(SHARE_BYTES));
}

/** A fresh lock id: 16 random bytes, base64url without padding. */
export function generateLockId(
  randomBytes: (length: number) => Uint8Array = defaultRandom,
): string {
  return base64FromBytes(randomBytes(16))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export interface LockSecretInput {
  messageId: string;
  lockId: string;
  /** base64, 32 bytes. */
  mailShare: string;
  /** base64, 32 bytes. */
  serverShare: string;
  /** For `code`/`org-code` locks: the access code as typed (normalised here). */
  accessCode?: string;
}

export type LockSecretResult = { ok: true; password: string } | { ok: false; reason: 'damaged' };

/** Derives the OpenPGP password of a server-backed lock (see the module comment). */
export async function deriveLockPassword(input: LockSecretInput): Promise<LockSecretResult> {
  const mailShare = bytesFromBase64(input.mailShare);
  const serverShare = bytesFromBase64(input.serverShare);
  if (mailShare?.length !== SHARE_BYTES || serverShare?.length !== SHARE_BYTES) {
    return { ok: false, reason: 'damaged' };
  }
  const encoder = new TextEncoder();
  const code = encoder.encode(
    input.accessCode === undefined ? '' : normaliseAccessCode(input.accessCode),
  );
  const ikm = new Uint8Array(SHARE_BYTES * 2 + code.length);
  ikm.set(mailShare, 0);
  ikm.set(serverShare, SHARE_BYTES);
  ikm.set(code, SHARE_BYTES * 2);
  const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: encoder.encode(input.messageId),
      info: encoder.encode(INFO_PREFIX + input.lockId),
    },
    key,
    256,
  );
  return { ok: true, password: base64FromBytes(new Uint8Array(bits)) };
}

function defaultRandom(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}
