/**
 * Whether a sealed mail goes **by link** (docs/envelope.md §9): its payload uploaded to the
 * organisation's server and the mail small, instead of the payload inside the attached reader.
 * Pure: the background and the panel ask the same question with the same answer.
 */
import { domainOf, normaliseAddress } from './address.ts';
import { MEGABYTE } from './mailSize.ts';

/** Why a mail goes by link: too large for mail, a gateway that strips HTML, the sender's choice. */
export type LinkReason = 'size' | 'domain' | 'chosen';

export interface LinkDecisionInput {
  /** The mail has locks the server guards: only such a mail is registered and can be uploaded. */
  hasServerLocks: boolean;
  /** The sealed mail's size if it carried the payload (`estimatedSealedMailBytes`). */
  estimatedMailBytes: number;
  /** Policy `linkDeliveryAboveMB` (0: every message). */
  linkDeliveryAboveMB: number;
  /** The addresses this mail goes to. */
  recipients: readonly string[];
  /** Policy `linkOnlyDomains`. */
  linkOnlyDomains: readonly string[];
  /** The sender ticked "Send by link" in the panel. */
  chosen: boolean;
}

/** The reason this mail goes by link, or null when it carries its payload. */
export function linkReason(input: LinkDecisionInput): LinkReason | null {
  if (!input.hasServerLocks) return null;
  if (linkOnlyRecipient(input.recipients, input.linkOnlyDomains) !== null) return 'domain';
  if (input.estimatedMailBytes > input.linkDeliveryAboveMB * MEGABYTE) return 'size';
  return input.chosen ? 'chosen' : null;
}

/** The first recipient at a `linkOnlyDomains` domain (exact domain, any case), or null. */
export function linkOnlyRecipient(
  recipients: readonly string[],
  linkOnlyDomains: readonly string[],
): string | null {
  const domains = new Set(linkOnlyDomains.map((domain) => domain.toLowerCase()));
  return recipients.find((address) => domains.has(domainOf(normaliseAddress(address)))) ?? null;
}

/**
 * Whether a mail sent by link attaches the envelope-only `secure-message.html`: as the policy
 * says, and always when a recipient opens it with their own key (the hosted reader cannot; they
 * need the envelope to find and check the payload).
 */
export function attachesEnvelope(policyAttachment: boolean, hasAccountLocks: boolean): boolean {
  return policyAttachment || hasAccountLocks;
}
