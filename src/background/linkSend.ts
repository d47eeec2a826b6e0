/**
 * A mail sent **by link** (docs/envelope.md §9): registered with the server without its payload,
 * then the payload sealed and uploaded in one stream (resumable, with the progress window and
 * Cancel), and only then the mail written: the notification with the hosted link and, per
 * policy, the envelope-only `secure-message.html` naming the payload's size and SHA-256.
 */
import type { Delivery } from '../core/deliveries.ts';
import { READER_FILE_NAME } from '../core/envelope.ts';
import { attachesEnvelope, linkReason, type LinkReason } from '../core/linkDelivery.ts';
import { estimatedSealedMailBytes } from '../core/mailSize.ts';
import { MANAGED_DEFAULTS } from '../core/managedPolicy.ts';
import { linkedEnvelope, type SealedStream } from '../core/sealPipeline.ts';
import { linkedEnvelopeHtml } from '../i18n/linkedEnvelopePage.ts';
import type { SendProblem } from '../messaging/protocol.ts';
import { describeProblem } from './problems.ts';
import type { SealedMail, SendContext } from './sealMail.ts';
import { reportUploaded, startSendProgress } from './sendProgress.ts';
import { noteServerFailure } from './serverSettings.ts';
import {
  failureText,
  registrationRequest,
  serverProblem,
  shareWithColleagues,
} from './serverRegistration.ts';

/** Why this mail of the send goes by link, or null when it carries its payload. */
export function linkReasonFor(context: SendContext, delivery: Delivery): LinkReason | null {
  const { server, policy } = context.resolved;
  if (!server) return null;
  const effective = policy.effective;
  return linkReason({
    hasServerLocks: delivery.serverLocks.length > 0,
    estimatedMailBytes: estimatedSealedMailBytes(contentBytes(context), 0),
    linkDeliveryAboveMB:
      effective.linkDeliveryAboveMB.value ?? MANAGED_DEFAULTS.linkDeliveryAboveMB,
    recipients: [
      ...delivery.locks.map((lock) => lock.address),
      ...delivery.serverLocks.map((lock) => lock.address),
    ],
    linkOnlyDomains: effective.linkOnlyDomains.value ?? [],
    chosen: context.linkChosen,
  });
}

/** The attachments' and the body's bytes: what the mail-size estimate starts from. */
function contentBytes(context: SendContext): number {
  const { details } = context.resolved;
  const attachments = context.attachments.reduce((sum, each) => sum + each.file.size, 0);
  return attachments + details.body.length + details.plainTextBody.length;
}

/**
 * About how large an uploaded payload is: not compressed (docs/envelope.md §9), so the MIME's
 * base64 of the attachments (4/3, a CRLF every 76 characters) plus the body and headers. For the
 * progress window and the server's early quota check; the upload is held to the real size.
 */
function payloadEstimate(context: SendContext): number {
  return Math.ceil(((contentBytes(context) * 4) / 3) * (78 / 76)) + 16 * 1024;
}

/** The uploads of one send: where progress goes, the Cancel signal, what is uploaded so far. */
export interface SendUploads {
  tabId: number;
  signal: AbortSignal;
  uploaded: number;
}

/** Opens the progress window for the mails of this send that go by link. */
export async function startUploads(
  context: SendContext,
  byLink: readonly boolean[],
): Promise<SendUploads> {
  const mails = byLink.filter(Boolean).length;
  const signal = await startSendProgress(
    context.host,
    context.tabId,
    mails * payloadEstimate(context),
  );
  return { tabId: context.tabId, signal, uploaded: 0 };
}

type LinkSent =
  | { ok: true; readerLink: string; expiresAt: string; readerFile: File | null }
  | { ok: false; problem: SendProblem };

/**
 * Registers the mail for upload, uploads its payload as it is sealed, and makes its attachment.
 * The id goes into `registered` as soon as the server knows it, so a failure after that revokes
 * it (and the server deletes what was uploaded).
 */
export async function sendByLink(
  context: SendContext,
  mail: SealedMail,
  sealed: SealedStream,
  uploads: SendUploads,
  registered: string[],
): Promise<LinkSent> {
  const { host, resolved } = context;
  const server = resolved.server;
  const plan = mail.serverPlan;
  if (!server || !plan) throw new Error('sendByLink: a mail by link needs server locks');
  await shareWithColleagues(context, server, mail.delivery.serverLocks);
  const registration = await server.client.registerMessage({
    ...registrationRequest(context, mail.id, plan),
    upload: { expectedBytes: payloadEstimate(context) },
  });
  if (!registration.ok) {
    await noteServerFailure(host, registration);
    return { ok: false, problem: serverProblem(host, registration) };
  }
  registered.push(mail.id);
  const { uploadUrl, payloadUrl, readerUrl, expiresAt } = registration.value;
  // The envelope only accepts a payload on its own server (docs/envelope.md §9).
  if (!uploadUrl || !payloadUrl?.startsWith(`${server.url.replace(/\/+$/, '')}/`)) {
    return {
      ok: false,
      problem: describeProblem(host, 'server-refused', host.message('serverTakesNoUploads')),
    };
  }
  const base = uploads.uploaded;
  const upload = await server.client.uploadPayload({
    uploadUrl,
    messageId: mail.id,
    payload: sealed.payload,
    signal: uploads.signal,
    onProgress: (bytes) => reportUploaded(uploads.tabId, base, bytes),
  });
  if (!upload.ok) {
    if (upload.reason === 'cancelled') {
      return { ok: false, problem: describeProblem(host, 'upload-cancelled') };
    }
    return {
      ok: false,
      problem: describeProblem(host, 'upload-failed', failureText(host, upload)),
    };
  }
  uploads.uploaded += upload.bytes;
  const readerLink = `${readerUrl}#${plan.mailShare}`;
  const envelope = linkedEnvelope(sealed.envelope, {
    url: payloadUrl,
    bytes: upload.bytes,
    sha256: upload.sha256,
  });
  const attach = attachesEnvelope(
    resolved.policy.effective.linkDeliveryAttachment.value ??
      MANAGED_DEFAULTS.linkDeliveryAttachment,
    mail.delivery.locks.some((lock) => lock.method === 'account'),
  );
  const readerFile = attach
    ? new File([linkedEnvelopeHtml(envelope, readerLink)], READER_FILE_NAME, {
        type: 'text/html',
      })
    : null;
  return { ok: true, readerLink, expiresAt, readerFile };
}
