/**
 * The Sealpost server's HTTP API: one contract shared by the server (`src/server`), the
 * add-on's client and the reader. JSON over HTTPS, base path `/api/v1`. Binary values are
 * standard base64 strings. Every error is `{ error: { code, message } }` with a stable `code`.
 * docs/server.md documents it for humans; keep both in step.
 */
import type { ServerLockMethod, VerificationMethod } from './methods.ts';
import type { NotificationLanguage } from './languages.ts';

export const API_BASE = '/api/v1';

// Parts of the contract kept in files of their own, re-exported here.
export * from './serverApiKeys.ts';
export * from './serverApiPayloads.ts';

export type ErrorCode =
  | 'bad-request' // validation failed (400)
  | 'unauthorized' // missing/invalid/revoked device token (401)
  | 'forbidden' // not the owner, or a domain outside the organisation (403)
  | 'not-found' // unknown message, lock, challenge or directory entry (404)
  | 'payload-too-large' // request body, or a payload, over the limit (413)
  | 'quota-exceeded' // the sender's or the organisation's payload storage is full (413)
  | 'rate-limited' // resend/start throttled; `retryAfterSeconds` says when (429)
  | 'wrong-code' // the code was wrong; `attemptsLeft` says how many remain (403)
  | 'locked' // too many wrong codes for this lock (423)
  | 'code-expired' // the one-time code expired: request a new one (410)
  | 'expired' // the message expired (410)
  | 'revoked' // the sender revoked the message (410)
  | 'unavailable' // a provider (SMS/email) or the database failed (503)
  | 'internal'; // anything else (500)

export interface ApiError {
  error: { code: ErrorCode; message: string; attemptsLeft?: number; retryAfterSeconds?: number };
}

/**
 * Methods whose lock the server guards (the method table's `serverLock`): `code` too, when a
 * server is configured.
 */
export type { ServerLockMethod };

// ---- health -------------------------------------------------------------------------------
// GET /healthz -> { status: 'ok' }            (process alive)
// GET /readyz  -> { status: 'ok' } | 503      (database migrated, reader installed, payload store
//                                               writable, mail not failing)

// ---- sender sign-in (a one-time code mailed to the sender's own mailbox) ---------------------
/** POST /api/v1/auth/start — only addresses of the organisation's domains (403 otherwise). */
export interface SignInStartRequest {
  address: string;
}
export interface SignInStartResponse {
  challengeId: string;
  expiresAt: string;
}
/** POST /api/v1/auth/complete — 6-digit code, 10 minutes, 5 tries. */
export interface SignInCompleteRequest {
  challengeId: string;
  code: string;
  /** Shown to admins listing tokens, e.g. "Thunderbird on alice-laptop". */
  deviceName: string;
}
export interface SignInCompleteResponse {
  /** Device token: `Authorization: Bearer <token>` on every sender call. Revocable. */
  token: string;
  address: string;
  organisation: OrganisationInfo;
}
export interface OrganisationInfo {
  name: string;
  domains: string[];
}
/** GET /api/v1/auth/me (Bearer) */
export interface MeResponse {
  address: string;
  organisation: OrganisationInfo;
}
// POST /api/v1/auth/signout (Bearer) -> 204; the token is revoked.

// ---- organisation directory (Bearer; shared by every sender of the organisation) -------------
export interface DirectoryEntry {
  /** Normalised recipient address. */
  address: string;
  method: VerificationMethod | null;
  /** E.164. */
  phone: string | null;
  /** Organisation-wide access code, visible to every sender of the organisation (guide). */
  orgCode: string | null;
  language: NotificationLanguage | null;
  updatedAt: string;
  updatedBy: string;
}
/** GET /api/v1/directory?address=<a>&address=<b> -> entries for those addresses (or all, paged by `after`). */
export interface DirectoryListResponse {
  entries: DirectoryEntry[];
}
/** PUT /api/v1/directory/:address — fields present are set; `null` clears. Audited. */
export interface DirectoryUpdateRequest {
  method?: DirectoryEntry['method'];
  phone?: string | null;
  orgCode?: string | null;
  language?: NotificationLanguage | null;
}
/** GET /api/v1/directory/:address/audit */
export interface DirectoryAuditResponse {
  changes: { at: string; by: string; field: string; from: string | null; to: string | null }[];
}

// ---- messages: registration by the sender (Bearer) ------------------------------------------
export interface RegisterLock {
  /** Random id chosen by the add-on (base64url, 16 bytes); also in the envelope's lock. */
  lockId: string;
  method: ServerLockMethod;
  /** The recipient's normalised address (the server needs it to match the recipient). */
  address: string;
  /** Bcc recipients are never listed in public lock descriptions. */
  hidden: boolean;
  /** E.164, method `sms`. */
  phone?: string;
  /** Methods `code`/`org-code`: the normalised access code the server will check (stored only as a salted hash). */
  accessCode?: string;
  /** 32 random bytes, base64: the server's half of the lock secret, released only after the factor. */
  serverShare: string;
  language: NotificationLanguage;
}
/** POST /api/v1/messages */
export interface RegisterMessageRequest {
  /** The envelope's message id (a UUID). */
  messageId: string;
  expiresInDays?: number;
  locks: RegisterLock[];
  /** The encrypted payload (base64), hosted so the link opens without the attachment. */
  payload?: string;
  /**
   * Link delivery: the payload is not sent here but uploaded afterwards with the tus protocol
   * (`uploadUrl` of the answer). `expectedBytes` is the add-on's estimate of its size (the
   * attachments' bytes): a message that plainly cannot fit the size limit or the quotas is
   * refused now (413 `payload-too-large` / `quota-exceeded`), before any byte is uploaded. The
   * upload itself is held to the real limits. Not together with `payload`.
   */
  upload?: { expectedBytes: number };
  /** The sender's display name as in the envelope; the hosted reader shows it (optional). */
  senderName?: string;
  /** The language the sender reads Sealpost in: a reply's notification to them uses it. */
  senderLanguage?: NotificationLanguage;
}
export interface RegisterMessageResponse {
  messageId: string;
  expiresAt: string;
  /** `<server>/r/<messageId>`; the add-on appends `#<mail share>` in the notification. */
  readerUrl: string;
  /** With `upload`: the tus endpoint to create this message's upload at (`<server>/api/v1/uploads`). */
  uploadUrl?: string;
  /** With `upload`: the URL the payload is downloaded from once uploaded (envelope `payloadLink.url`). */
  payloadUrl?: string;
}

/** POST /api/v1/messages/:id/revoke (Bearer, sender only) -> { revokedAt } */
export interface RevokeResponse {
  revokedAt: string;
}
/** GET /api/v1/messages/:id/status (Bearer, sender only) — read status. */
export interface MessageStatusResponse {
  messageId: string;
  expiresAt: string;
  revokedAt: string | null;
  recipients: {
    lockId: string;
    address: string;
    method: ServerLockMethod;
    openedAt: string | null;
    /** The latest lock-out, while it lasts (null once it ended or was unlocked). */
    lockedAt: string | null;
    /** When the lock opens again by itself; null when it is open. */
    lockedUntil?: string | null;
    /**
     * When the recipient last said, from the reader, that they do not have the code (see
     * `verify/no-code`); null when they never did. The sender then tells them the code again,
     * gives a new number, or unlocks.
     */
    codeRequestedAt: string | null;
    /**
     * Added by the add-on when it merges a send's mails: the server id of the mail that holds
     * this lock (a Bcc recipient's own mail has its own).
     */
    mailId?: string;
  }[];
}

/**
 * PUT /api/v1/messages/:id/locks/:lockId/phone (owner only, sms locks of an active message): the
 * recipient's number was wrong or lost. A pending code dies and a lock-out ends; the recipient
 * asks for a code again at the new number.
 */
export interface ChangePhoneRequest {
  phone: string;
}
export interface ChangePhoneResponse {
  /** The new number, masked as the recipient sees it. */
  sentTo: string;
}

// ---- messages: the recipient (no account; the factor is the credential) ---------------------
/** GET /api/v1/messages/:id/public — what the reader may show before verification. */
export interface PublicMessageResponse {
  messageId: string;
  state: 'active' | 'expired' | 'revoked';
  expiresAt: string;
  hasPayload: boolean;
  /** The sender as the envelope names them, so the hosted reader can say who sent it (optional). */
  sender?: { name: string; address: string };
  /**
   * The visible (To/Cc) locks' methods and masked hints, in order. No lock ids: only
   * `verify/start` with the recipient's address leads to a lock. Hidden (Bcc) locks are not
   * listed at all.
   */
  locks: { method: ServerLockMethod; hint: string | null }[];
  /**
   * Replies through the server: the most a reply may carry (its encrypted payload, in bytes,
   * before base64), or null when this server takes no replies.
   */
  reply: { maxBytes: number } | null;
  /**
   * The organisation lets recipients remember a browser (`rememberDevices.enabled`): after an
   * SMS or email code passed once, that browser skips the code for `days` (hosted reader only).
   * Null when it does not.
   */
  rememberDevice: { days: number } | null;
  /**
   * The sender's published public key (binary OpenPGP, base64) when replies are on and the
   * sender published one: the hosted reader seals replies to it. The payload names the key's
   * fingerprint (`X-Sealpost-Reply-Key`), so a key the server swapped is refused by the reader.
   */
  replyKey?: string;
}
/**
 * POST /api/v1/messages/:id/verify/start — the recipient confirms the address they got the mail
 * at (Bcc included). For sms/email the server sends a 6-digit code (10 min, 5 tries; resend
 * throttled). For code/org-code nothing is sent.
 */
export interface VerifyStartRequest {
  address: string;
}
export interface VerifyStartResponse {
  /**
   * What `complete` and `resend` need (an hour; a new start gives a new one): proof that this
   * reader typed the recipient's address. Not found later means: start again.
   */
  handle: string;
  /** The lock the address opens (it salts the lock password, docs/envelope.md §3a). */
  lockId: string;
  method: ServerLockMethod;
  /** Masked phone/address the code went to (sms/email), else null. */
  sentTo: string | null;
  codeExpiresAt: string | null;
}
/** POST /api/v1/messages/:id/verify/complete — on success the share is released and the open recorded. */
export interface VerifyCompleteRequest {
  handle: string;
  /** The SMS/email one-time code, or the access code (normalised by the server too). */
  code: string;
  /**
   * Remember this browser for the recipient's address (honoured only for `sms`/`email` locks
   * and when `/public` offers `rememberDevice`; otherwise ignored). The recipient is mailed.
   */
  rememberDevice?: boolean;
}
export interface VerifyCompleteResponse {
  serverShare: string;
  /**
   * Lets this recipient reply through the server (`POST …/replies`): base64url of 32 random
   * bytes, stored only hashed, bound to the lock, valid while the message is active. Absent when
   * the server takes no replies.
   */
  replyToken?: string;
  /** Present when a browser was remembered: what `verify/device` needs, kept by the reader. */
  device?: RememberedDevice;
}
/**
 * A remembered browser: it stands in for the SMS/email code of one recipient address on every
 * message of this server until `expiresAt`, or until the recipient, a sender or an admin removes
 * it. It releases only the server share: the mail share (the link's `#…`) is still needed.
 */
export interface RememberedDevice {
  /** Public id (base64url, 16 random bytes): names the device in mails, removal links, lists. */
  deviceId: string;
  /** base64url of 32 random bytes; the server keeps only its SHA-256. */
  secret: string;
  /** The normalised address it stands for. */
  address: string;
  expiresAt: string;
}
/**
 * POST /api/v1/messages/:id/verify/device { deviceId, secret } — a remembered browser opens an
 * `sms`/`email` lock of its address without a code. 200 VerifyDeviceResponse and `openedAt` is
 * recorded; 403 forbidden for an unknown, expired, removed or wrong device (counted with the
 * unknown addresses of `verify/start`: 20 per message, client and hour); 404 when its address has
 * no `sms`/`email` lock on this message; 410 expired/revoked; 423 while the lock is locked out.
 */
export interface VerifyDeviceRequest {
  deviceId: string;
  secret: string;
}
export interface VerifyDeviceResponse extends VerifyCompleteResponse {
  lockId: string;
  method: ServerLockMethod;
}
/**
 * POST /api/v1/devices/forget { deviceId, secret } -> 204: the reader forgets its own browser
 * (also 204 when it was gone already). The removal link in the recipient's mail is
 * `GET <publicUrl>/devices/<deviceId>/remove?token=…` (a page with one button, which posts).
 */
export interface ForgetDeviceRequest {
  deviceId: string;
  secret: string;
}
/**
 * DELETE /api/v1/recipient-devices?address=<a> (Bearer, any sender of the organisation) ->
 * { removed }: every browser remembered for that recipient address stops working at once.
 */
export interface RemoveRecipientDevicesResponse {
  removed: number;
}
/**
 * POST /api/v1/messages/:id/verify/no-code { handle } -> 200 NoCodeResponse: the recipient (who
 * typed their address, hence the handle) says they do not have the code. The server mails the
 * sender (who, which message, what they can do; nothing of the code) and shows it in the status
 * (`codeRequestedAt`). One mail per lock per hour (a repeat answers the same `senderToldAt`
 * without mailing), at most 3 per lock (then 429). 410 expired/revoked, 404 unknown handle.
 */
export interface NoCodeRequest {
  handle: string;
}
export interface NoCodeResponse {
  senderToldAt: string;
}
/**
 * POST /api/v1/messages/:id/replies — a recipient who passed their factor sends a reply,
 * encrypted in their browser to the sender's public key; the server mails it to the sender.
 * 201 { replyId, sentAt }; 403 bad token; 410 revoked/expired; 413 too large; 429 too many.
 */
export interface ReplyRequest {
  replyToken: string;
  /** One binary OpenPGP message (base64), sealed to the sender's key only. */
  payload: string;
  /** The fingerprint of the key it was sealed to (upper-case hex), for the reply's envelope. */
  keyFingerprint: string;
}
export interface ReplyResponse {
  replyId: string;
  sentAt: string;
}
/**
 * PUT /api/v1/messages/:id/mail-message-id (Bearer, sender only) { mailMessageId } -> 204: the
 * Message-ID Thunderbird gave the sealed mail, so replies are threaded to it (In-Reply-To).
 */
export interface MailMessageIdRequest {
  /** With angle brackets, as in the header: `<…@…>`. */
  mailMessageId: string;
}
/** POST /api/v1/messages/:id/verify/resend { handle } -> VerifyStartResponse (429 when throttled). */
export interface VerifyResendRequest {
  handle: string;
}

// ---- development outbox (only with the development SMS/email provider) ------------------------
// GET /dev/outbox -> HTML list of sent SMS and emails (codes visible); GET /api/v1/dev/outbox ->
// JSON
export interface DevOutboxResponse {
  messages: { at: string; channel: 'sms' | 'email'; to: string; text: string }[];
}
