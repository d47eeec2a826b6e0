import { parseMailbox } from '../core/address.ts';
import { decideSend } from '../core/decideSend.ts';
import { planDeliveries } from '../core/deliveries.ts';
import type { Recipient } from '../core/recipients.ts';
import type { ServerFailure } from '../core/serverClient.ts';
import type { SendProblem } from '../messaging/protocol.ts';
import { resolveCompose, secureRequirement } from './composeState.ts';
import type {
  AttachmentSnapshot,
  BeforeSendResult,
  ComposeSnapshot,
  Host,
} from '../platform/host.ts';
import { describeProblem, dismissProblem, reportProblem } from './problems.ts';
import { ensureSenderKey } from './senderKey.ts';
import { loadSettings, type PolicyContext } from './policySettings.ts';
import {
  content,
  notificationHtml,
  register,
  seal,
  type MailContent,
  type SealedMail,
  type SendContext,
} from './sealMail.ts';
import {
  holdCopies,
  releaseCopies,
  sealedCopyRecord,
  sealedCopyUnchanged,
} from './sealedCopies.ts';
import { isSecure, setSecure } from './secureMode.ts';
import { rememberSentMessage } from './sentMessages.ts';
import { noteServerFailure, type ServerConnection } from './serverSettings.ts';

export { READER_FILE_NAME } from './sealMail.ts';

/** What the compose window held before sealing, to put back if the send itself fails. */
interface Original {
  details: ComposeSnapshot;
  attachments: AttachmentSnapshot[];
  sealedAttachmentId: number;
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
  let changed: Original | null = null;
  /** Mails the server registered: revoked again if the send is cancelled after all. */
  const registered: string[] = [];
  let server: ServerConnection | null = null;
  try {
    const resolved = await resolveCompose(host, tabId, settings);
    server = resolved.server;
    const { effective } = resolved.policy;
    if (resolved.unresolved.length > 0) {
      return await cancel(host, tabId, describeProblem(host, 'no-method', resolved.unresolved[0]));
    }
    const decision = decideSend({
      secure: true,
      sender: resolved.sender,
      recipients: resolved.recipients,
      settingsByAddress: resolved.settingsByAddress,
      serverConfigured: resolved.server !== null,
      serverNotSignedIn: resolved.serverNotSignedIn,
      defaultLanguage: resolved.defaultLanguage,
      ...(effective.allowedMethods.value ? { allowedMethods: effective.allowedMethods.value } : {}),
      ...(effective.minimumCodeStrength.value === undefined
        ? {}
        : { minimumGuessesLog10: effective.minimumCodeStrength.value }),
    });
    if (decision.action === 'pass') return {};
    if (decision.action === 'cancel') {
      return await cancel(host, tabId, describeProblem(host, decision.reason, decision.recipient));
    }
    const sender = resolved.sender;
    if (!sender) return await cancel(host, tabId, describeProblem(host, 'no-identity'));

    // Plan: one mail for To/Cc, one per Bcc recipient (docs/envelope.md §0).
    const plan = planDeliveries({
      recipients: resolved.recipients,
      locks: decision.locks,
      serverLocks: decision.serverLocks,
      defaultLanguage: resolved.defaultLanguage,
    });
    const { details } = resolved;
    const attachments = await host.listAttachments(tabId);
    const context: SendContext = {
      host,
      resolved,
      sender,
      attachments,
      senderKey: await ensureSenderKey(host.local, sender),
      readerTemplate: await host.readerTemplate(),
      to: headerEntries(details.to, resolved.recipients, 'to'),
      cc: headerEntries(details.cc, resolved.recipients, 'cc'),
      date: new Date(),
    };
    // Seal and register every mail before anything is sent or changed (docs/architecture.md,
    // "Sending with secure mode on"): a server
    // that is down or refuses cancels the whole send with the window untouched.
    const mails: { mail: SealedMail; content: MailContent; expiresAt: string | null }[] = [];
    for (const delivery of [plan.main, ...plan.copies]) {
      const mail = await seal(context, delivery);
      const registration = await register(context, mail);
      if (!registration.ok) {
        await noteServerFailure(host, registration);
        await revokeAll(server, registered);
        return await cancel(host, tabId, serverProblem(host, registration));
      }
      if (mail.serverPlan) registered.push(mail.id);
      mails.push({
        mail,
        content: content(context, mail, registration.readerLink),
        expiresAt: registration.expiresAt,
      });
    }
    if (server && registered.length > 0) {
      const [messageId, ...copies] = registered;
      await rememberSentMessage(host, {
        messageId: messageId!,
        ...(copies.length > 0 ? { copies } : {}),
        serverUrl: server.url,
        subject: details.subject,
        sentAt: new Date().toISOString(),
        expiresAt: mails.find((sealed) => sealed.expiresAt)?.expiresAt ?? '',
        recipients: decision.serverLocks.map((lock) => ({
          address: lock.address,
          method: lock.method,
          hidden: lock.field === 'bcc',
        })),
      });
    }
    const [main, ...copies] = mails;

    // Every mail is sealed and registered: only now does the compose window change.
    const sealedAttachmentId = await host.addAttachment(tabId, main!.content.readerFile);
    changed = { details, attachments: [], sealedAttachmentId };
    for (const attachment of attachments) {
      await host.removeAttachment(tabId, attachment.id);
      changed.attachments.push(attachment);
    }
    originals.set(tabId, { details, attachments, sealedAttachmentId });
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
      registeredIds: [...registered],
      server,
    });
    registered.length = 0;
    await dismissProblem(host, tabId);
    const { subject, notification, customHeaders } = main!.content;
    const hidden = plan.main.hiddenRecipient;
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
  } catch (error) {
    if (changed) await restore(host, tabId, changed).catch(() => undefined);
    // Nothing half-registered stays usable: a registered message that is not sent is revoked.
    await revokeAll(server, registered);
    const detail = error instanceof Error ? error.message : String(error);
    return await cancel(host, tabId, describeProblem(host, 'internal', detail));
  }
}

async function revokeAll(server: ServerConnection | null, ids: readonly string[]): Promise<void> {
  for (const id of ids) await server?.client.revokeMessage(id).catch(() => undefined);
}

/** A recipient as a compose field or a header names them. */
function mailboxEntry(recipient: Recipient): string {
  return recipient.name === ''
    ? recipient.address
    : `"${recipient.name.replace(/["\\]/g, '\\$&')}" <${recipient.address}>`;
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
 * `compose.onAfterSend`: when the send itself failed (SMTP down, …) the window still shows the
 * sealed version; put the sender's original content back so nothing is lost.
 */
export async function handleAfterSend(host: Host, tabId: number, failed: boolean): Promise<void> {
  const original = originals.get(tabId);
  originals.delete(tabId);
  if (failed && original) await restore(host, tabId, original);
  // The main mail went out: now each Bcc recipient's own (or, if it failed, none of them).
  await releaseCopies(host, tabId, failed);
}

async function restore(host: Host, tabId: number, original: Original): Promise<void> {
  await host.removeAttachment(tabId, original.sealedAttachmentId).catch(() => undefined);
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

/** A failed registration as the panel explains it: unreachable, or refused with the reason. */
function serverProblem(host: Host, failure: ServerFailure): SendProblem {
  const unreachable = failure.code === 'unavailable' || failure.code === 'internal';
  return describeProblem(
    host,
    unreachable ? 'server-unreachable' : 'server-refused',
    failure.message,
  );
}

async function cancel(host: Host, tabId: number, problem: SendProblem): Promise<BeforeSendResult> {
  await reportProblem(host, tabId, problem);
  return { cancel: true };
}
