import { domainOf, normaliseAddress, type Mailbox } from './address.ts';

export type RecipientField = 'to' | 'cc' | 'bcc';

/** A recipient after parsing and list expansion, before any setting is looked up. */
export interface Recipient extends Mailbox {
  field: RecipientField;
  /** Name of the mailing list this member came from. */
  list?: string;
  /** Same organisation as the sender: shown as internal. */
  internal: boolean;
  /** The sender themself: covered by the sender's own lock. */
  isSender: boolean;
}

export interface RecipientInput extends Mailbox {
  field: RecipientField;
  list?: string;
}

/**
 * Classifies and de-duplicates recipients. An address listed twice keeps its most visible field
 * (To over Cc over Bcc), so a Bcc duplicate of a To address is not treated as hidden.
 */
export function classifyRecipients(
  inputs: readonly RecipientInput[],
  sender: Mailbox,
  internalDomains: readonly string[] = [],
): Recipient[] {
  const senderAddress = normaliseAddress(sender.address);
  const domains = new Set([
    domainOf(senderAddress),
    ...internalDomains.map((d) => d.toLowerCase()),
  ]);
  const rank: Record<RecipientField, number> = { to: 0, cc: 1, bcc: 2 };
  const byAddress = new Map<string, Recipient>();
  for (const input of inputs) {
    const address = normaliseAddress(input.address);
    const existing = byAddress.get(address);
    if (existing && rank[existing.field] <= rank[input.field]) continue;
    const recipient: Recipient = {
      name: input.name,
      address,
      field: input.field,
      internal: domains.has(domainOf(address)),
      isSender: address === senderAddress,
    };
    if (input.list !== undefined) recipient.list = input.list;
    byAddress.set(address, recipient);
  }
  return [...byAddress.values()];
}
