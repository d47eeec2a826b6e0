import { parseMailbox } from '../core/address.ts';
import { decideSend, type PlannedServerLock } from '../core/decideSend.ts';
import { visibleSubject } from '../core/policy.ts';
import type { OriginalMessage } from '../core/mime/buildMime.ts';
import type { Recipient } from '../core/recipients.ts';
import { sealMessage } from '../core/sealPipeline.ts';
import type { ServerFailure } from '../core/serverClient.ts';
import { planServerSeal } from '../core/serverSeal.ts';
import { buildNotificationText } from '../i18n/notification.ts';
import type { SendProblem } from '../messaging/protocol.ts';
import type { DirectoryEntry } from '../messaging/serverApi.ts';
import { resolveCompose, secureRequirement, type ResolvedCompose } from './composeState.ts';
import type { AttachmentSnapshot, ComposeChanges, ComposeSnapshot, Host } from './host.ts';
import { describeProblem, dismissProblem, reportProblem } from './problems.ts';
import { ensureSenderKey } from './senderKey.ts';
import { loadSettings, type PolicyContext } from './policySettings.ts';
import { isSecure, setSecure } from './secureMode.ts';
import { rememberSentMessage } from './sentMessages.ts';
import { cacheDirectoryEntry, noteServerFailure, type ServerConnection } from './serverSettings.ts';

export const READER_FILE_NAME = 'secure-message.html';

export interface BeforeSendResult {
  cancel?: boolean;
  details?: ComposeChanges;
}

/** What the compose window held before sealing, to put back if the send itself fails. */
interface Original {
  details: ComposeSnapshot;
  attachments: AttachmentSnapshot[];
  sealedAttachmentId: number;
}

const originals = new Map<number, Original>();

/**
 * `compose.onBeforeSend`: with secure mode on, seal and redirect, or cancel. Nothing in the
 * compose window changes until every lock is built (DESIGN §6); any error cancels the send,
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
  const settings = await loadSettings(host);
  if (!(await isSecure(host, tabId, settings))) {
    return await unlessSecureRequired(host, tabId, settings);
  }
  let changed: Original | null = null;
  /** A message the server registered: revoked again if the send is cancelled after all. */
  let registered: { server: ServerConnection; messageId: string } | null = null;
  try {
    const resolved = await resolveCompose(host, tabId, settings);
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

    const { details } = resolved;
    const server = resolved.server;
    const attachments = await host.listAttachments(tabId);
    // With a server, the server knows the message by this UUID (docs/envelope.md).
    const serverMessageId = crypto.randomUUID();
    const original: OriginalMessage = {
      messageId: `<${serverMessageId}@sealpost>`,
      date: new Date(),
      from: sender,
      to: headerEntries(details.to, resolved.recipients, 'to'),
      cc: headerEntries(details.cc, resolved.recipients, 'cc'),
      subject: details.subject,
      body: details.isPlainText
        ? { kind: 'plain', text: details.plainTextBody }
        : { kind: 'html', html: details.body, text: details.plainTextBody },
      attachments: await Promise.all(
        attachments.map(async (attachment) => ({
          name: attachment.name,
          contentType: attachment.file.type || 'application/octet-stream',
          // The File itself: the seal pipeline reads it a slice at a time, never whole.
          bytes: attachment.file,
        })),
      ),
    };
    const senderKey = await ensureSenderKey(host.local, sender);
    const serverPlan =
      server && decision.serverLocks.length > 0
        ? await planServerSeal({ messageId: serverMessageId, locks: decision.serverLocks })
        : null;
    const sealed = await sealMessage({
      original,
      locks: [
        ...decision.locks.map((lock) => ({
          method: lock.method,
          password: lock.password,
          language: lock.language,
          ...(lock.hint === undefined ? {} : { hint: lock.hint }),
        })),
        ...(serverPlan?.sealLocks ?? []),
      ],
      senderPublicKey: senderKey.armoredPublicKey,
      readerTemplate: await host.readerTemplate(),
      serverUrl: server?.url ?? null,
      languages: decision.languages,
      ...(server ? { envelopeMessageId: serverMessageId } : {}),
      ...(serverPlan ? { mailShare: serverPlan.mailShare } : {}),
    });

    // Register before anything in the compose window changes (DESIGN §6): a server that is
    // down or refuses cancels the send with the window untouched.
    let readerLink: string | null = null;
    if (server && serverPlan) {
      await shareWithColleagues(host, server, decision.serverLocks, resolved);
      const request = {
        messageId: serverMessageId,
        locks: serverPlan.registerLocks,
        senderName: sender.name,
        ...(effective.expiryDays.value === undefined
          ? {}
          : { expiresInDays: effective.expiryDays.value }),
      };
      let registration = await server.client.registerMessage({
        ...request,
        payload: await sealed.payloadBase64.text(),
      });
      // The hosted copy is a convenience: a message too large for the server's limit is
      // registered without it, and its link opens once the attachment is given to the reader.
      if (!registration.ok && registration.code === 'payload-too-large') {
        registration = await server.client.registerMessage(request);
      }
      if (!registration.ok) {
        await noteServerFailure(host, registration);
        return await cancel(host, tabId, serverProblem(host, registration));
      }
      registered = { server, messageId: serverMessageId };
      readerLink = `${registration.value.readerUrl}#${serverPlan.mailShare}`;
      await rememberSentMessage(host, {
        messageId: serverMessageId,
        serverUrl: server.url,
        subject: details.subject,
        sentAt: new Date().toISOString(),
        expiresAt: registration.value.expiresAt,
        recipients: decision.serverLocks.map((lock) => ({
          address: lock.address,
          method: lock.method,
          hidden: lock.field === 'bcc',
        })),
      });
    }
    const allLocks = [...decision.locks, ...decision.serverLocks];
    const notification = buildNotificationText({
      senderName: sender.name,
      senderAddress: sender.address,
      sections: decision.languages.map((language) => ({
        language,
        methods: [
          ...new Set(
            allLocks.filter((lock) => lock.language === language).map((lock) => lock.method),
          ),
        ],
      })),
      serverUrl: server?.url ?? null,
      readerLink,
    });
    const readerFile = new File([sealed.readerHtml], READER_FILE_NAME, { type: 'text/html' });

    // Every lock is built: only now does the compose window change.
    const sealedAttachmentId = await host.addAttachment(tabId, readerFile);
    changed = { details, attachments: [], sealedAttachmentId };
    for (const attachment of attachments) {
      await host.removeAttachment(tabId, attachment.id);
      changed.attachments.push(attachment);
    }
    originals.set(tabId, { details, attachments, sealedAttachmentId });
    registered = null;
    await dismissProblem(host, tabId);
    const headers = details.customHeaders.filter((header) => !/^x-sealpost/i.test(header.name));
    headers.push(
      { name: 'X-Sealpost', value: '1' },
      { name: 'X-Sealpost-Message-Id', value: sealed.envelope.messageId },
    );
    // With `subject: "neutral"` the visible subject says nothing; the real one is sealed inside.
    const subject = visibleSubject(details.subject, effective.subject.value, decision.languages);
    return {
      details: {
        ...(subject === details.subject ? {} : { subject }),
        ...(details.isPlainText
          ? { plainTextBody: notification }
          : { body: notificationHtml(notification), plainTextBody: notification }),
        customHeaders: headers,
      },
    };
  } catch (error) {
    if (changed) await restore(host, tabId, changed).catch(() => undefined);
    // Nothing half-registered stays usable: a registered message that is not sent is revoked.
    if (registered) {
      await registered.server.client.revokeMessage(registered.messageId).catch(() => undefined);
    }
    const detail = error instanceof Error ? error.message : String(error);
    return await cancel(host, tabId, describeProblem(host, 'internal', detail));
  }
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
    .map((recipient) =>
      recipient.name === ''
        ? recipient.address
        : `"${recipient.name.replace(/["\\]/g, '\\$&')}" <${recipient.address}>`,
    );
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
}

async function restore(host: Host, tabId: number, original: Original): Promise<void> {
  await host.removeAttachment(tabId, original.sealedAttachmentId).catch(() => undefined);
  for (const attachment of original.attachments) await host.addAttachment(tabId, attachment.file);
  await host.setComposeDetails(tabId, {
    subject: original.details.subject,
    ...(original.details.isPlainText
      ? { plainTextBody: original.details.plainTextBody }
      : { body: original.details.body }),
    customHeaders: original.details.customHeaders,
  });
}

/**
 * Organisation-wide codes and known numbers go to the directory, so a colleague's panel offers
 * them too. The panel writes codes as they are typed; this catches what it could not (closed
 * too early, server briefly away). Best effort: the lock itself is registered either way.
 */
async function shareWithColleagues(
  host: Host,
  server: ServerConnection,
  locks: readonly PlannedServerLock[],
  resolved: ResolvedCompose,
): Promise<void> {
  for (const lock of locks) {
    const entry: DirectoryEntry | undefined = resolved.directoryByAddress.get(lock.address);
    let update: { method: 'org-code'; orgCode: string } | { method: 'sms'; phone: string } | null =
      null;
    if (lock.method === 'org-code' && lock.accessCode && entry?.orgCode !== lock.accessCode) {
      update = { method: 'org-code', orgCode: lock.accessCode };
    } else if (lock.method === 'sms' && lock.phone && entry?.phone !== lock.phone) {
      update = { method: 'sms', phone: lock.phone };
    }
    if (!update) continue;
    const result = await server.client.updateDirectory(lock.address, update);
    if (result.ok && result.value) await cacheDirectoryEntry(host, result.value);
  }
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

function notificationHtml(text: string): string {
  const escaped = text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
  return `<!DOCTYPE html><html><body><div style="white-space: pre-wrap">${escaped}</div></body></html>`;
}
