import { assessAccessCode, normaliseAccessCode, passwordForCode } from './accessCode.ts';
import { maskAddress, type Mailbox } from './address.ts';
import type { NotificationLanguage } from './languages.ts';
import { needsServer, type VerificationMethod } from './methods.ts';
import { isE164, MINIMUM_SERVER_CODE_LENGTH } from './recipientDirectory.ts';
import type { ServerLockMethod } from './serverApi.ts';
import type { Recipient, RecipientField } from './recipients.ts';
import type { RecipientSettings } from './recipientSettings.ts';

/** Why a send was cancelled; the shell turns it into a sentence in the UI language. */
export type SendProblemReason =
  | 'no-identity'
  | 'no-recipients'
  | 'no-method'
  | 'empty-code'
  | 'weak-code'
  | 'method-unavailable'
  | 'method-not-allowed'
  | 'not-signed-in'
  | 'no-phone'
  | 'no-key'
  | 'key-changed';

/** One lock to build without a server: who it is for and the secret that opens it. */
export interface PlannedCodeLock {
  address: string;
  field: RecipientField;
  method: 'code';
  password: string;
  language: NotificationLanguage;
  /** Masked address for the envelope; absent for Bcc so hidden recipients stay hidden. */
  hint?: string;
}

/** An account lock: sealed to the recipient's own public key, with or without a server. */
export interface PlannedKeyLock {
  address: string;
  field: RecipientField;
  method: 'account';
  publicKey: string;
  fingerprint: string;
  language: NotificationLanguage;
  hint?: string;
}

/** A lock the add-on seals itself (the server guards none of these). */
export type PlannedLock = PlannedCodeLock | PlannedKeyLock;

/** A usable public key known for an address (docs/keys.md). */
export interface KnownKey {
  fingerprint: string;
  publicKey: string;
}

/**
 * A server-protected lock (two-of-two, docs/envelope.md §3a): the shell adds the lock id and
 * shares,
 * registers it with the server and derives the password. With a server configured every lock
 * except the sender's key is one of these, `code` included.
 */
export interface PlannedServerLock {
  address: string;
  field: RecipientField;
  method: ServerLockMethod;
  serverProtected: true;
  language: NotificationLanguage;
  hint?: string;
  /** E.164, method `sms`. */
  phone?: string;
  /** The access code as the sender set it, methods `code` and `org-code`. */
  accessCode?: string;
}

export type SendDecision =
  | { action: 'pass' }
  | { action: 'cancel'; reason: SendProblemReason; recipient?: string }
  | {
      action: 'seal';
      /** Code locks: only without a server. */
      locks: PlannedLock[];
      /** With a server every recipient's lock is server-protected. */
      serverLocks: PlannedServerLock[];
      languages: NotificationLanguage[];
    };

export interface SendInput {
  secure: boolean;
  sender: Mailbox | null;
  recipients: readonly Recipient[];
  settingsByAddress: ReadonlyMap<string, RecipientSettings>;
  serverConfigured: boolean;
  /** Language for recipients the sender never chose one for (the UI language). */
  defaultLanguage: NotificationLanguage;
  /** Policy minimum for access codes (log10 of guesses); core default when absent. */
  minimumGuessesLog10?: number;
  /** Methods the organisation allows (policy `allowedMethods`); all when absent. */
  allowedMethods?: readonly VerificationMethod[];
  /** A server is set but the sender has not signed in: server methods say so, not "no server". */
  serverNotSignedIn?: boolean;
  /** Usable public keys by address (method `account`). */
  keysByAddress?: ReadonlyMap<string, KnownKey>;
}

/**
 * The send decision (pure: the background gathers the input, this decides). Secure mode off
 * passes the message unchanged; on, every external recipient needs a usable method, and the
 * first one that lacks it cancels the send, naming that recipient. Internal recipients may have
 * one; a method that is set must be usable.
 */
export function decideSend(input: SendInput): SendDecision {
  if (!input.secure) return { action: 'pass' };
  if (!input.sender) return { action: 'cancel', reason: 'no-identity' };
  const others = input.recipients.filter((recipient) => !recipient.isSender);
  if (input.recipients.length === 0) return { action: 'cancel', reason: 'no-recipients' };

  const locks: PlannedLock[] = [];
  const serverLocks: PlannedServerLock[] = [];
  for (const recipient of others) {
    const settings = input.settingsByAddress.get(recipient.address);
    // Colleagues need no verification (guide: the method is for external recipients). Until
    // their account keys come from the directory, one without a chosen factor gets no lock of
    // their own: nothing leaks, and the panel tells the sender they cannot open it.
    if (recipient.internal && !settings?.method) continue;
    const cancel = (reason: SendProblemReason): SendDecision => ({
      action: 'cancel',
      reason,
      recipient: recipient.address,
    });
    if (!settings?.method) return cancel('no-method');
    if (input.allowedMethods && !input.allowedMethods.includes(settings.method))
      return cancel('method-not-allowed');
    if (needsServer(settings.method) && !input.serverConfigured)
      return cancel(input.serverNotSignedIn ? 'not-signed-in' : 'method-unavailable');
    if (settings.method === 'account') {
      const key = input.keysByAddress?.get(recipient.address);
      if (!key) return cancel('no-key');
      // No silent key substitution: a key other than the one used last time waits for the
      // sender's confirmation (or another method).
      if (settings.keyFingerprint !== undefined && settings.keyFingerprint !== key.fingerprint)
        return cancel('key-changed');
      locks.push({
        address: recipient.address,
        field: recipient.field,
        method: 'account',
        publicKey: key.publicKey,
        fingerprint: key.fingerprint,
        language: settings.language ?? input.defaultLanguage,
        ...(recipient.field === 'bcc' ? {} : { hint: maskAddress(recipient.address) }),
      });
      continue;
    }
    if (input.serverConfigured) {
      const planned = planServerLock(recipient, settings, input.defaultLanguage);
      if ('reason' in planned) return cancel(planned.reason);
      serverLocks.push(planned);
      continue;
    }
    if (settings.method !== 'code') return cancel('method-unavailable');
    const code = settings.code ?? '';
    if (code.trim() === '') return cancel('empty-code');
    if (!assessAccessCode(code, input.minimumGuessesLog10).strongEnough) return cancel('weak-code');
    const lock: PlannedCodeLock = {
      address: recipient.address,
      field: recipient.field,
      method: 'code',
      password: passwordForCode(code),
      language: settings.language ?? input.defaultLanguage,
    };
    if (recipient.field !== 'bcc') lock.hint = maskAddress(recipient.address);
    locks.push(lock);
  }
  const languages = [...new Set([...locks, ...serverLocks].map((lock) => lock.language))];
  if (languages.length === 0) languages.push(input.defaultLanguage);
  return { action: 'seal', locks, serverLocks, languages };
}

/**
 * The lock for one recipient when a server protects it. Short access codes are fine here (the
 * server allows only a few wrong tries), but not trivially short ones.
 */
function planServerLock(
  recipient: Recipient,
  settings: RecipientSettings,
  defaultLanguage: NotificationLanguage,
): PlannedServerLock | { reason: SendProblemReason } {
  const base = {
    address: recipient.address,
    field: recipient.field,
    serverProtected: true as const,
    language: settings.language ?? defaultLanguage,
    ...(recipient.field === 'bcc' ? {} : { hint: maskAddress(recipient.address) }),
  };
  switch (settings.method) {
    case 'code':
    case 'org-code': {
      const code = settings.code ?? '';
      if (code.trim() === '') return { reason: 'empty-code' };
      if (normaliseAccessCode(code).length < MINIMUM_SERVER_CODE_LENGTH)
        return { reason: 'weak-code' };
      return { ...base, method: settings.method, accessCode: code };
    }
    case 'sms':
      if (!isE164(settings.phone)) return { reason: 'no-phone' };
      return { ...base, method: 'sms', phone: settings.phone };
    case 'email':
      return { ...base, method: 'email' };
    default:
      // `account` is sealed by the add-on, never by the server (handled above).
      return { reason: 'method-unavailable' };
  }
}
