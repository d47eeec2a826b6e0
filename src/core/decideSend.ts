import { assessAccessCode, passwordForCode } from './accessCode.ts';
import { maskAddress, type Mailbox } from './address.ts';
import type { NotificationLanguage } from './languages.ts';
import { needsServer } from './methods.ts';
import type { Recipient, RecipientField } from './recipients.ts';
import type { RecipientSettings } from './recipientSettings.ts';

/** Why a send was cancelled; the shell turns it into a sentence in the UI language. */
export type SendProblemReason =
  'no-identity' | 'no-recipients' | 'no-method' | 'empty-code' | 'weak-code' | 'method-unavailable';

/** One lock to build: who it is for and the secret that opens it. */
export interface PlannedLock {
  address: string;
  field: RecipientField;
  method: 'code';
  password: string;
  language: NotificationLanguage;
  /** Masked address for the envelope; absent for Bcc so hidden recipients stay hidden. */
  hint?: string;
}

export type SendDecision =
  | { action: 'pass' }
  | { action: 'cancel'; reason: SendProblemReason; recipient?: string }
  | { action: 'seal'; locks: PlannedLock[]; languages: NotificationLanguage[] };

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
}

/**
 * The send decision (house style rule 1: the shell gathers, the core decides). Secure mode off
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
    if (needsServer(settings.method) && !input.serverConfigured)
      return cancel('method-unavailable');
    // Keys (`account`) arrive with the directory issue; until then nothing can seal to one.
    if (settings.method !== 'code') return cancel('method-unavailable');
    const code = settings.code ?? '';
    if (code.trim() === '') return cancel('empty-code');
    if (!assessAccessCode(code, input.minimumGuessesLog10).strongEnough) return cancel('weak-code');
    const lock: PlannedLock = {
      address: recipient.address,
      field: recipient.field,
      method: 'code',
      password: passwordForCode(code),
      language: settings.language ?? input.defaultLanguage,
    };
    if (recipient.field !== 'bcc') lock.hint = maskAddress(recipient.address);
    locks.push(lock);
  }
  const languages = [...new Set(locks.map((lock) => lock.language))];
  if (languages.length === 0) languages.push(input.defaultLanguage);
  return { action: 'seal', locks, languages };
}
