/**
 * `compose.onBeforeSend` and `onAfterSend` with secure mode on: the orchestrator of a send
 * (plan → seal and register → apply) and putting the window back when the send itself fails.
 * The steps live in ./sendPlan.ts, ./sendRegistration.ts and ./sealMail.ts.
 */
import type { SendProblem } from '../messaging/protocol.ts';
import type {
  AttachmentSnapshot,
  BeforeSendResult,
  ComposeSnapshot,
  Host,
} from '../platform/host.ts';
import { secureRequirement } from './composeState.ts';
import { loadSettings, type PolicyContext } from './policySettings.ts';
import { describeProblem, dismissProblem, reportProblem } from './problems.ts';
import { notificationHtml } from './sealMail.ts';
import {
  holdCopies,
  releaseCopies,
  sealedCopyRecord,
  sealedCopyUnchanged,
} from './sealedCopies.ts';
import { isSecure, setSecure } from './secureMode.ts';
import { endSendCover, leaveSendCover, showSendPhase, startSendCover } from './sendCover.ts';
import { mailboxEntry, planSend, type SendPlan } from './sendPlan.ts';
import { revokeAll, sealAndRegister, type RegisteredMail } from './sendRegistration.ts';
import type { ServerConnection } from './serverSettings.ts';

export { READER_FILE_NAME } from './sealMail.ts';

/** What the compose window held before sealing, to put back if the send itself fails. */
interface Original {
  details: ComposeSnapshot;
  attachments: AttachmentSnapshot[];
  /** Null when the mail, sent by link, attaches nothing. */
  sealedAttachmentId: number | null;
  /** The main mail as the server knows it, so replies can be threaded to it once sent. */
  registered?: { server: ServerConnection; messageId: string };
}

const originals = new Map<number, Original>();

/**
 * `compose.onBeforeSend`: with secure mode on, seal and redirect, or cancel. Nothing in the
 * compose window changes until every lock is built (docs/architecture.md, "Sending with secure mode
 * on"); any error cancels the send,
 * puts the window back as it was and opens the panel on the problem.
 */
export async function handleBeforeSend(host: Host, tabId: number): Promise<BeforeSendResult> {
  try {
    return await beforeSend(host, tabId);
  } catch {
    // Not even the mode or where to report could be read (storage failing): whether this
    // message may leave unsealed is unknown, so it does not leave.
    await endSendCover(host, tabId);
    return { cancel: true };
  }
}

async function beforeSend(host: Host, tabId: number): Promise<BeforeSendResult> {
  const copy = await sealedCopyRecord(host, tabId);
  if (copy) {
    // A Bcc recipient's own mail, sealed already: it goes as it is, unless it was changed.
    if (await sealedCopyUnchanged(host, tabId, copy)) return {};
    return await cancel(host, tabId, describeProblem(host, 'copy-changed', copy.address));
  }
  const settings = await loadSettings(host);
  if (!(await isSecure(host, tabId, settings))) {
    return await unlessSecureRequired(host, tabId, settings);
  }
  startSendCover(host, tabId);
  const result = await secureSend(host, tabId, settings);
  // Only a sealed mail leaves under the sheet; anything else gives the window back as it was.
  if (result.cancel || !result.details) await endSendCover(host, tabId);
  return result;
}

async function secureSend(
  host: Host,
  tabId: number,
  settings: PolicyContext,
): Promise<BeforeSendResult> {
  // What to undo if anything below throws: the window's changes, and registered mails not yet
  // handed to the Bcc sender.
  const progress: Progress = { changed: null, registered: [], server: null };
  try {
    // Plan, seal, register, apply: nothing in the window changes before every mail is
    // registered (docs/architecture.md, "Sending with secure mode on").
    const planned = await planSend(host, tabId, settings);
    if (planned.kind === 'pass') return {};
    if (planned.kind === 'cancel') return await cancel(host, tabId, planned.problem);
    const { plan } = planned;
    progress.server = plan.context.resolved.server;
    const { main, copies } = plan.deliveries;
    const sealed = await sealAndRegister(plan.context, [main, ...copies], plan.serverLocks);
    if (!sealed.ok) return await cancel(host, tabId, sealed.problem);
    progress.registered = sealed.registered;
    return await apply(host, tabId, plan, sealed.mails, progress);
  } catch (error) {
    if (progress.changed) await restore(host, tabId, progress.changed).catch(() => undefined);
    await revokeAll(progress.server, progress.registered);
    const detail = error instanceof Error ? error.message : String(error);
    return await cancel(host, tabId, describeProblem(host, 'internal', detail));
  }
}

interface Progress {
  changed: Original | null;
  registered: readonly string[];
  server: ServerConnection | null;
}

/**
 * Every mail is sealed and registered: only now does the compose window change (the reader
 * file in, the original attachments out, then body, subject and Bcc through the answer), and
 * the Bcc recipients' mails are held until this one is sent.
 */
async function apply(
  host: Host,
  tabId: number,
  plan: SendPlan,
  mails: readonly RegisteredMail[],
  progress: Progress,
): Promise<BeforeSendResult> {
  const { details } = plan.context.resolved;
  // Before anything in the window changes: the editor is covered when the body becomes the
  // recipients' notification, however quick the send was.
  await showSendPhase(host, tabId, 'sending', { now: true });
  const [main, ...copies] = mails;
  const readerFile = main!.content.readerFile;
  const sealedAttachmentId = readerFile ? await host.addAttachment(tabId, readerFile) : null;
  const changed: Original = { details, attachments: [], sealedAttachmentId };
  progress.changed = changed;
  for (const attachment of plan.context.attachments) {
    await host.removeAttachment(tabId, attachment.id);
    changed.attachments.push(attachment);
  }
  const server = plan.context.resolved.server;
  originals.set(tabId, {
    details,
    attachments: plan.context.attachments,
    sealedAttachmentId,
    ...(server && main!.mail.serverPlan
      ? { registered: { server, messageId: main!.mail.id } }
      : {}),
  });
  holdCopies(host, tabId, {
    copies: copies.map(({ mail, content: copyContent }) => ({
      address: mail.delivery.hiddenRecipient!.address,
      mail: {
        identityId: details.identityId,
        bcc: [mailboxEntry(mail.delivery.hiddenRecipient!)],
        subject: copyContent.subject,
        isPlainText: details.isPlainText,
        plainTextBody: copyContent.notification,
        ...(details.isPlainText ? {} : { body: notificationHtml(copyContent.notification) }),
        customHeaders: copyContent.customHeaders,
        attachment: copyContent.readerFile,
      },
    })),
    registeredIds: [...progress.registered],
    server: progress.server,
  });
  // Held now: what happens to them is decided after this mail's send.
  progress.registered = [];
  await dismissProblem(host, tabId);
  const { subject, notification, customHeaders } = main!.content;
  const hidden = plan.deliveries.main.hiddenRecipient;
  return {
    details: {
      ...(subject === details.subject ? {} : { subject }),
      // The compose window's own mail reaches no Bcc recipient but, when it has no To/Cc, one.
      bcc: hidden ? [mailboxEntry(hidden)] : [],
      ...(details.isPlainText
        ? { plainTextBody: notification }
        : { body: notificationHtml(notification), plainTextBody: notification }),
      customHeaders,
    },
  };
}

/**
 * Secure mode is off. Unless the organisation's policy requires it for these recipients, the
 * message goes as it is. If it does, the send is blocked: secure mode is switched on and the
 * panel says why, so the sender checks each recipient's method and sends again.
 */
async function unlessSecureRequired(
  host: Host,
  tabId: number,
  settings: PolicyContext,
): Promise<BeforeSendResult> {
  try {
    const required = await secureRequirement(host, tabId, settings);
    if (!required) return {};
    await setSecure(host, tabId, true);
    return await cancel(
      host,
      tabId,
      required.all || required.recipients.length === 0
        ? describeProblem(host, 'secure-required')
        : describeProblem(host, 'secure-required', required.recipients[0]),
    );
  } catch (error) {
    // The policy could require secure mode and the message could not be checked: fail closed.
    const detail = error instanceof Error ? error.message : String(error);
    return await cancel(host, tabId, describeProblem(host, 'internal', detail));
  }
}

/**
 * `compose.onAfterSend`: when the send itself failed (SMTP down, …) the window still shows the
 * sealed version; put the sender's original content back so nothing is lost.
 */
export async function handleAfterSend(
  host: Host,
  tabId: number,
  failed: boolean,
  /** The Message-ID Thunderbird gave the mail it sent. */
  headerMessageId?: string,
): Promise<void> {
  const original = originals.get(tabId);
  originals.delete(tabId);
  if (failed && original) await restore(host, tabId, original);
  if (failed) await endSendCover(host, tabId);
  else leaveSendCover(tabId);
  if (!failed && original?.registered && headerMessageId) {
    // Best effort: a reply then threads to this mail in the sender's Thunderbird.
    const { server, messageId } = original.registered;
    const mailMessageId = headerMessageId.startsWith('<')
      ? headerMessageId
      : `<${headerMessageId}>`;
    await server.client.setMailMessageId(messageId, mailMessageId).catch(() => undefined);
  }
  // The main mail went out: now each Bcc recipient's own (or, if it failed, none of them).
  await releaseCopies(host, tabId, failed);
}

async function restore(host: Host, tabId: number, original: Original): Promise<void> {
  if (original.sealedAttachmentId !== null) {
    await host.removeAttachment(tabId, original.sealedAttachmentId).catch(() => undefined);
  }
  for (const attachment of original.attachments) await host.addAttachment(tabId, attachment.file);
  await host.setComposeDetails(tabId, {
    subject: original.details.subject,
    bcc: original.details.bcc,
    ...(original.details.isPlainText
      ? { plainTextBody: original.details.plainTextBody }
      : { body: original.details.body }),
    customHeaders: original.details.customHeaders,
  });
}

async function cancel(host: Host, tabId: number, problem: SendProblem): Promise<BeforeSendResult> {
  await reportProblem(host, tabId, problem);
  return { cancel: true };
}
