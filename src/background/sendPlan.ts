/**
 * The first step of a send with secure mode on: read the compose window once, resolve every
 * recipient's method under the policy, decide (`core/decideSend.ts`) and plan the mails
 * (`core/deliveries.ts`: one for To/Cc, one per Bcc recipient). Nothing is sealed, registered or
 * changed here; the answer is pass, cancel with the problem, or the plan with what sealing needs.
 */
import { parseMailbox } from '../core/address.ts';
import { decideSend, type PlannedLock, type PlannedServerLock } from '../core/decideSend.ts';
import { planDeliveries, type DeliveryPlan } from '../core/deliveries.ts';
import type { Recipient } from '../core/recipients.ts';
import type { SendProblem } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import { resolveCompose } from './composeState.ts';
import { getRecipientSettings, saveRecipientSettings } from './recipientStore.ts';
import type { PolicyContext } from './policySettings.ts';
import { describeProblem } from './problems.ts';
import type { SendContext } from './sealMail.ts';
import { linkChosen } from './linkChoice.ts';
import { subjectFor } from './subjectChoice.ts';
import { ensureSenderKey } from './senderKey.ts';

export interface SendPlan {
  context: SendContext;
  deliveries: DeliveryPlan;
  /** Every server lock of the send, for the sender's record of it. */
  serverLocks: PlannedServerLock[];
}

export type PlannedSend =
  { kind: 'pass' } | { kind: 'cancel'; problem: SendProblem } | { kind: 'seal'; plan: SendPlan };

export async function planSend(
  host: Host,
  tabId: number,
  settings: PolicyContext,
): Promise<PlannedSend> {
  const resolved = await resolveCompose(host, tabId, settings);
  const { effective } = resolved.policy;
  if (resolved.unresolved.length > 0) {
    return { kind: 'cancel', problem: describeProblem(host, 'no-method', resolved.unresolved[0]) };
  }
  const decision = decideSend({
    secure: true,
    sender: resolved.sender,
    recipients: resolved.recipients,
    settingsByAddress: resolved.settingsByAddress,
    serverConfigured: resolved.server !== null,
    serverNotSignedIn: resolved.serverNotSignedIn,
    defaultLanguage: resolved.defaultLanguage,
    keysByAddress: resolved.keysByAddress,
    ...(effective.allowedMethods.value ? { allowedMethods: effective.allowedMethods.value } : {}),
    ...(effective.minimumCodeStrength.value === undefined
      ? {}
      : { minimumGuessesLog10: effective.minimumCodeStrength.value }),
  });
  if (decision.action === 'pass') return { kind: 'pass' };
  if (decision.action === 'cancel') {
    return {
      kind: 'cancel',
      problem: describeProblem(host, decision.reason, decision.recipient),
    };
  }
  const sender = resolved.sender;
  if (!sender) return { kind: 'cancel', problem: describeProblem(host, 'no-identity') };
  await pinAccountKeys(host, decision.locks);
  const { details } = resolved;
  const context: SendContext = {
    host,
    resolved,
    sender,
    attachments: await host.listAttachments(tabId),
    senderKey: await ensureSenderKey(host.local, sender),
    readerTemplate: await host.readerTemplate(),
    to: headerEntries(details.to, resolved.recipients, 'to'),
    cc: headerEntries(details.cc, resolved.recipients, 'cc'),
    date: new Date(),
    tabId,
    linkChosen: await linkChosen(host, tabId),
    neutralSubject: (await subjectFor(host, tabId, resolved.policy)).neutral,
  };
  const deliveries = planDeliveries({
    recipients: resolved.recipients,
    locks: decision.locks,
    serverLocks: decision.serverLocks,
    defaultLanguage: resolved.defaultLanguage,
  });
  return { kind: 'seal', plan: { context, deliveries, serverLocks: decision.serverLocks } };
}

/** A recipient as a compose field or a header names them. */
export function mailboxEntry(recipient: Recipient): string {
  return recipient.name === ''
    ? recipient.address
    : `"${recipient.name.replace(/["\\]/g, '\\$&')}" <${recipient.address}>`;
}

/**
 * The To or Cc entries for the sealed original's headers. A mailing list arrives as
 * `Name <Name>`, which is no address: it is replaced by the members it was expanded to.
 */
function headerEntries(entries: string[], recipients: Recipient[], field: 'to' | 'cc'): string[] {
  const members = recipients
    .filter((recipient) => recipient.field === field && recipient.list !== undefined)
    .map(mailboxEntry);
  return [...entries.filter((entry) => parseMailbox(entry) !== null), ...members];
}

/**
 * The first send to a key pins it: the next send to that address with any other key waits for
 * the sender's confirmation (docs/keys.md, "No silent key substitution").
 */
async function pinAccountKeys(host: Host, locks: readonly PlannedLock[]): Promise<void> {
  for (const lock of locks) {
    if (lock.method !== 'account') continue;
    const stored = await getRecipientSettings(host.local, lock.address);
    if (stored?.keyFingerprint === lock.fingerprint) continue;
    await saveRecipientSettings(host.local, lock.address, { keyFingerprint: lock.fingerprint });
  }
}
