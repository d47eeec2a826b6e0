/**
 * Who gets which sealed mail (docs/envelope.md §0). One mail goes to the To/Cc recipients and one
 * separate
 * mail to each Bcc recipient, so nothing the visible recipients receive betrays a hidden one: no
 * lock, hint, key id, language, notification section or count. Each mail is sealed on its own
 * (own session key, own envelope, own server registration) with only its recipients' locks and
 * the sender's key.
 */
import type { PlannedLock, PlannedServerLock } from './decideSend.ts';
import type { NotificationLanguage } from './languages.ts';
import type { Recipient } from './recipients.ts';

/** One sealed mail and what goes into it. */
export interface Delivery {
  /**
   * The Bcc recipient this mail is for, alone; null for the mail to the To/Cc recipients.
   * Their address goes only into this mail's SMTP envelope (its Bcc field).
   */
  hiddenRecipient: Recipient | null;
  /** Code locks (no server) of this mail's recipients only. */
  locks: PlannedLock[];
  /** Server-protected locks of this mail's recipients only. */
  serverLocks: PlannedServerLock[];
  /**
   * The notification languages of this mail's recipients, distinct, in recipient order (so a
   * mail to one person reads in their language first); never a language chosen for someone
   * who does not receive this mail.
   */
  languages: NotificationLanguage[];
}

export interface DeliveryPlan {
  /**
   * The mail the compose window itself sends: to the To/Cc recipients, or, when there are none,
   * to the first Bcc recipient alone.
   */
  main: Delivery;
  /** One separate mail per (other) Bcc recipient, sent by the add-on through Thunderbird. */
  copies: Delivery[];
}

export interface DeliveryInput {
  recipients: readonly Recipient[];
  locks: readonly PlannedLock[];
  serverLocks: readonly PlannedServerLock[];
  /** Language of a mail none of whose recipients has a lock (internal colleagues, the sender). */
  defaultLanguage: NotificationLanguage;
}

/**
 * Splits a sealed send into its mails. Pure: the same recipients and locks always give the same
 * plan. A lock goes into exactly one mail: the one of the recipient it was planned for.
 */
export function planDeliveries(input: DeliveryInput): DeliveryPlan {
  const visible = input.recipients.filter((recipient) => recipient.field !== 'bcc');
  const hidden = input.recipients.filter((recipient) => recipient.field === 'bcc');
  const mailFor = (recipients: readonly Recipient[], hiddenRecipient: Recipient | null) => {
    const addresses = new Set(recipients.map((recipient) => recipient.address));
    return delivery(
      input,
      hiddenRecipient,
      input.locks.filter((lock) => addresses.has(lock.address)),
      input.serverLocks.filter((lock) => addresses.has(lock.address)),
    );
  };
  const bccMails = hidden.map((recipient) => mailFor([recipient], recipient));
  if (visible.length === 0 && bccMails.length > 0) {
    const [first, ...rest] = bccMails;
    return { main: first!, copies: rest };
  }
  return { main: mailFor(visible, null), copies: bccMails };
}

function delivery(
  input: DeliveryInput,
  hiddenRecipient: Recipient | null,
  locks: PlannedLock[],
  serverLocks: PlannedServerLock[],
): Delivery {
  // decideSend plans locks in recipient order (and a send has either code locks or server
  // locks, never both), so the first language is the first recipient's: the reader's default.
  const languages = [...new Set([...locks, ...serverLocks].map((lock) => lock.language))];
  if (languages.length === 0) languages.push(input.defaultLanguage);
  return { hiddenRecipient, locks, serverLocks, languages };
}
