/**
 * One sealed mail of a send (docs/envelope.md §0): the To/Cc recipients' mail or a Bcc recipient's
 * own.
 * Each is sealed on its own (`seal`), registered with the server when it has server locks
 * (./sendRegistration.ts), and then written as what the mail shows (`content`): the
 * notification in its recipients' languages, the subject, the `X-Sealpost` headers and
 * `secure-message.html`.
 */
import type { Mailbox } from '../core/address.ts';
import type { Delivery } from '../core/deliveries.ts';
import { READER_FILE_NAME } from '../core/envelope.ts';
import type { OriginalMessage } from '../core/mime/buildMime.ts';
import { visibleSubject } from '../core/policy.ts';
import {
  sealMessage,
  sealToStream,
  type AnySealLock,
  type SealInput,
  type SealOutput,
  type SealedStream,
} from '../core/sealPipeline.ts';
import { planServerSeal, type ServerSealPlan } from '../core/serverSeal.ts';
import { buildNotificationText, neutralSubject } from '../i18n/notification.ts';
import type { ResolvedCompose } from './composeState.ts';
import type { AttachmentSnapshot, Host } from '../platform/host.ts';
import type { StoredSenderKey } from './senderKey.ts';
import { organisationNameInForce } from './serverSettings.ts';

export { READER_FILE_NAME };

/** What every mail of one send shares: read once from the compose window. */
export interface SendContext {
  host: Host;
  resolved: ResolvedCompose;
  sender: Mailbox;
  attachments: AttachmentSnapshot[];
  senderKey: StoredSenderKey;
  readerTemplate: string;
  /** The sealed original's To and Cc headers (lists replaced by their members; never Bcc). */
  to: string[];
  cc: string[];
  date: Date;
  /** The compose tab sending (its progress window, its "Send by link" choice). */
  tabId: number;
  /** The sender ticked "Send by link" in the panel. */
  linkChosen: boolean;
  /**
   * The mail shows the neutral subject: the organisation's setting or the sender's tick for this
   * message (`subjectChoice`, src/core/policy.ts).
   */
  neutralSubject: boolean;
}

export interface SealedMail {
  delivery: Delivery;
  /** A fresh UUID: the server's id of this mail, and in its original's Message-ID. */
  id: string;
  /**
   * How the payload travels: inside the attached reader (sealed whole), or by link (a stream,
   * sealed as it is uploaded; docs/envelope.md §9).
   */
  carried: { kind: 'inline'; sealed: SealOutput } | { kind: 'link'; sealed: SealedStream };
  /** Shares and lock ids, when this mail has server locks. */
  serverPlan: ServerSealPlan | null;
}

/** What a mail shows once sealed and registered. */
export interface MailContent {
  subject: string;
  notification: string;
  customHeaders: { name: string; value: string }[];
  /** `secure-message.html`; null for a mail sent by link without attachment (policy). */
  readerFile: File | null;
}

/**
 * Seals one mail: the original (the same To/Cc headers for everyone, never a Bcc header) in
 * one payload with only this mail's locks and the sender's key. By link, nothing is encrypted
 * yet: the stream is sealed as the upload reads it. Throws on any problem.
 */
export async function seal(
  context: SendContext,
  delivery: Delivery,
  byLink = false,
): Promise<SealedMail> {
  const { resolved } = context;
  const { details, server } = resolved;
  const id = crypto.randomUUID();
  const original: OriginalMessage = {
    messageId: `<${id}@sealpost>`,
    date: context.date,
    from: context.sender,
    to: context.to,
    cc: context.cc,
    subject: details.subject,
    body: details.isPlainText
      ? { kind: 'plain', text: details.plainTextBody }
      : { kind: 'html', html: details.body, text: details.plainTextBody },
    attachments: context.attachments.map((attachment) => ({
      name: attachment.name,
      contentType: attachment.file.type || 'application/octet-stream',
      // The File itself: the seal pipeline reads it a slice at a time, never whole.
      bytes: attachment.file,
    })),
  };
  const serverPlan =
    server && delivery.serverLocks.length > 0
      ? await planServerSeal({ messageId: id, locks: delivery.serverLocks })
      : null;
  const input: SealInput = {
    original,
    locks: [
      ...delivery.locks.map((lock): AnySealLock => {
        const hint = lock.hint === undefined ? {} : { hint: lock.hint };
        return lock.method === 'account'
          ? {
              method: 'account',
              publicKey: lock.publicKey,
              fingerprint: lock.fingerprint,
              hidden: lock.field === 'bcc',
              language: lock.language,
              ...hint,
            }
          : { method: 'code', password: lock.password, language: lock.language, ...hint };
      }),
      ...(serverPlan?.sealLocks ?? []),
    ],
    senderPublicKey: context.senderKey.armoredPublicKey,
    readerTemplate: context.readerTemplate,
    serverUrl: server?.url ?? null,
    languages: delivery.languages,
    // With a server, the server knows the message by this UUID (docs/envelope.md).
    ...(server ? { envelopeMessageId: id } : {}),
    ...(serverPlan ? { mailShare: serverPlan.mailShare } : {}),
  };
  const carried: SealedMail['carried'] = byLink
    ? { kind: 'link', sealed: await sealToStream({ ...input, compress: false }) }
    : { kind: 'inline', sealed: await sealMessage(input) };
  return { delivery, id, carried, serverPlan };
}

/**
 * The notification, subject, headers and attachment of one sealed, registered mail:
 * `readerFile` is the reader with the payload, the envelope-only page of a mail sent by link, or
 * null when that mail carries nothing.
 */
export function content(
  context: SendContext,
  mail: SealedMail,
  readerLink: string | null,
  readerFile: File | null,
): MailContent {
  const { delivery } = mail;
  const { details, server, policy } = context.resolved;
  const locks = [...delivery.locks, ...delivery.serverLocks];
  const notification = buildNotificationText({
    senderName: context.sender.name,
    senderAddress: context.sender.address,
    // The policy names the organisation; else the server the sender signed in to does (the
    // same rule as the options page and the panel).
    organisationName: organisationNameInForce(policy, server),
    sections: delivery.languages.map((language) => ({
      language,
      methods: [
        ...new Set(locks.filter((lock) => lock.language === language).map((lock) => lock.method)),
      ],
    })),
    serverUrl: server?.url ?? null,
    readerLink,
    byLink: mail.carried.kind === 'link',
  });
  const customHeaders = details.customHeaders.filter((header) => !/^x-sealpost/i.test(header.name));
  customHeaders.push(
    { name: 'X-Sealpost', value: '1' },
    { name: 'X-Sealpost-Message-Id', value: mail.carried.sealed.envelope.messageId },
  );
  return {
    // A neutral visible subject says nothing; the real one is sealed inside either way.
    subject: visibleSubject(
      details.subject,
      context.neutralSubject ? 'neutral' : 'keep',
      delivery.languages,
      neutralSubject,
    ),
    notification,
    customHeaders,
    readerFile,
  };
}

/** The notification as the HTML body of a sender who writes HTML. */
export function notificationHtml(text: string): string {
  const escaped = text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
  return `<!DOCTYPE html><html><body><div style="white-space: pre-wrap">${escaped}</div></body></html>`;
}
