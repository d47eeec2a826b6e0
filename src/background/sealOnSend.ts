import { decideSend } from '../core/decideSend.ts';
import { languageFromLocale } from '../core/languages.ts';
import type { OriginalMessage } from '../core/mime/buildMime.ts';
import { sealMessage } from '../core/sealPipeline.ts';
import { buildNotificationText } from '../i18n/notification.ts';
import type { SendProblem } from '../messaging/protocol.ts';
import { resolveCompose } from './composeState.ts';
import type { AttachmentSnapshot, ComposeChanges, ComposeSnapshot, Host } from './host.ts';
import { describeProblem, dismissProblem, reportProblem } from './problems.ts';
import { ensureSenderKey } from './senderKey.ts';
import { isSecure } from './secureMode.ts';

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
  if (!(await isSecure(host, tabId))) return {};
  let changed: Original | null = null;
  try {
    const resolved = await resolveCompose(host, tabId);
    const uiLanguage = languageFromLocale(host.uiLocale());
    if (resolved.unresolved.length > 0) {
      return await cancel(host, tabId, describeProblem(host, 'no-method', resolved.unresolved[0]));
    }
    const decision = decideSend({
      secure: true,
      sender: resolved.sender,
      recipients: resolved.recipients,
      settingsByAddress: resolved.settingsByAddress,
      serverConfigured: false,
      defaultLanguage: uiLanguage,
    });
    if (decision.action === 'pass') return {};
    if (decision.action === 'cancel') {
      return await cancel(host, tabId, describeProblem(host, decision.reason, decision.recipient));
    }
    const sender = resolved.sender;
    if (!sender) return await cancel(host, tabId, describeProblem(host, 'no-identity'));

    const { details } = resolved;
    const attachments = await host.listAttachments(tabId);
    const original: OriginalMessage = {
      messageId: `<${crypto.randomUUID()}@sealpost>`,
      date: new Date(),
      from: sender,
      to: details.to,
      cc: details.cc,
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
    const sealed = await sealMessage({
      original,
      locks: decision.locks.map((lock) => ({
        method: lock.method,
        password: lock.password,
        language: lock.language,
        ...(lock.hint === undefined ? {} : { hint: lock.hint }),
      })),
      senderPublicKey: senderKey.armoredPublicKey,
      readerTemplate: await host.readerTemplate(),
      serverUrl: null,
      languages: decision.languages,
    });
    const notification = buildNotificationText({
      senderName: sender.name,
      senderAddress: sender.address,
      sections: decision.languages.map((language) => ({
        language,
        methods: [
          ...new Set(
            decision.locks.filter((lock) => lock.language === language).map((lock) => lock.method),
          ),
        ],
      })),
      serverUrl: null,
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
    await dismissProblem(host, tabId);
    const headers = details.customHeaders.filter((header) => !/^x-sealpost/i.test(header.name));
    headers.push(
      { name: 'X-Sealpost', value: '1' },
      { name: 'X-Sealpost-Message-Id', value: sealed.envelope.messageId },
    );
    return {
      details: details.isPlainText
        ? { plainTextBody: notification, customHeaders: headers }
        : {
            body: notificationHtml(notification),
            plainTextBody: notification,
            customHeaders: headers,
          },
    };
  } catch (error) {
    if (changed) await restore(host, tabId, changed).catch(() => undefined);
    const detail = error instanceof Error ? error.message : String(error);
    return await cancel(host, tabId, describeProblem(host, 'internal', detail));
  }
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

function notificationHtml(text: string): string {
  const escaped = text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
  return `<!DOCTYPE html><html><body><div style="white-space: pre-wrap">${escaped}</div></body></html>`;
}
