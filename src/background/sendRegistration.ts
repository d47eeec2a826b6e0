/**
 * The server's part of a send, after the plan (./sendPlan.ts) and before the compose window
 * changes: seal each mail (./sealMail.ts), register the ones with server locks (with the hosted
 * copy, or without it when the server finds it too large), share organisation codes and known
 * numbers with colleagues, and remember the send for the options page. If any mail is refused
 * or anything throws, every mail registered so far is revoked: nothing half-registered stays
 * usable.
 */
import { exceedsMailLimit, megabytesText, sealedMailBytes } from '../core/mailSize.ts';
import { MANAGED_DEFAULTS } from '../core/managedPolicy.ts';
import type { PlannedServerLock } from '../core/decideSend.ts';
import type { Delivery } from '../core/deliveries.ts';
import type { SealOutput } from '../core/sealPipeline.ts';
import { READER_FILE_NAME } from '../core/envelope.ts';
import type { ServerFailure } from '../core/serverClient.ts';
import type { SendProblem } from '../messaging/protocol.ts';
import { linkReasonFor, sendByLink, startUploads } from './linkSend.ts';
import { describeProblem } from './problems.ts';
import { content, seal, type MailContent, type SealedMail, type SendContext } from './sealMail.ts';
import { showSendPhase } from './sendCover.ts';
import { endSendProgress } from './sendProgress.ts';
import { rememberSentMessage } from './sentMessages.ts';
import { noteServerFailure } from './serverSettings.ts';
import {
  registrationRequest,
  revokeAll,
  serverProblem,
  shareWithColleagues,
} from './serverRegistration.ts';

export { revokeAll };

/** One mail of the send, sealed, registered and written. */
export interface RegisteredMail {
  mail: SealedMail;
  content: MailContent;
}

export type SealedSend =
  { ok: true; mails: RegisteredMail[]; registered: string[] } | { ok: false; problem: SendProblem };

/**
 * Seals and registers every delivery, in order (the To/Cc mail first). On a refusal the
 * registered ones are revoked and the problem returned; on an exception they are revoked and the
 * exception goes on.
 */
export async function sealAndRegister(
  context: SendContext,
  deliveries: readonly Delivery[],
  serverLocks: readonly PlannedServerLock[],
): Promise<SealedSend> {
  const { host, resolved } = context;
  const server = resolved.server;
  const registered: string[] = [];
  const mails: RegisteredMail[] = [];
  let expiresAt: string | null = null;
  const byLink = deliveries.map((delivery) => linkReasonFor(context, delivery) !== null);
  const uploads = byLink.some(Boolean) ? await startUploads(context, byLink) : null;
  try {
    for (const [index, delivery] of deliveries.entries()) {
      // A mail by link is sealed as it is uploaded: one step for both.
      await showSendPhase(host, context.tabId, byLink[index] ? 'uploading' : 'sealing', {
        mail: index + 1,
        mails: deliveries.length,
      });
      const mail = await seal(context, delivery, byLink[index]);
      const sent =
        mail.carried.kind === 'link'
          ? await sendByLink(context, mail, mail.carried.sealed, uploads!, registered)
          : await sendInline(context, mail, mail.carried.sealed, registered);
      if (!sent.ok) {
        await revokeAll(server, registered);
        return sent;
      }
      expiresAt ??= sent.expiresAt;
      mails.push({ mail, content: content(context, mail, sent.readerLink, sent.readerFile) });
    }
    if (server && registered.length > 0) {
      const [messageId, ...copies] = registered;
      await rememberSentMessage(host, {
        messageId: messageId!,
        ...(copies.length > 0 ? { copies } : {}),
        serverUrl: server.url,
        subject: resolved.details.subject,
        sentAt: new Date().toISOString(),
        expiresAt: expiresAt ?? '',
        recipients: serverLocks.map((lock) => ({
          address: lock.address,
          method: lock.method,
          hidden: lock.field === 'bcc',
        })),
      });
    }
  } catch (error) {
    await revokeAll(server, registered);
    throw error;
  } finally {
    if (uploads) await endSendProgress(host, uploads.tabId);
  }
  return { ok: true, mails, registered };
}

/** One mail sealed and registered: its link, when it expires and what it attaches. */
type MailSent =
  | { ok: true; readerLink: string | null; expiresAt: string | null; readerFile: File | null }
  | { ok: false; problem: SendProblem };

/**
 * The payload inside the attached reader. Measured before anything is registered or sent: a
 * mail providers refuse must not leave.
 */
async function sendInline(
  context: SendContext,
  mail: SealedMail,
  sealed: SealOutput,
  registered: string[],
): Promise<MailSent> {
  const { host, resolved } = context;
  const mailBytes = sealedMailBytes(sealed.readerHtml.size);
  const maxMailSizeMB = resolved.policy.effective.maxMailSizeMB.value ?? DEFAULT_MAX_MAIL_MB;
  if (exceedsMailLimit(mailBytes, maxMailSizeMB)) {
    return {
      ok: false,
      problem: describeProblem(host, 'mail-too-large', [
        megabytesText(mailBytes),
        `${maxMailSizeMB} MB`,
      ]),
    };
  }
  if (resolved.server && mail.serverPlan) {
    await showSendPhase(host, context.tabId, 'registering');
  }
  const registration = await register(context, mail, sealed);
  if (!registration.ok) {
    await noteServerFailure(host, registration);
    return { ok: false, problem: serverProblem(host, registration) };
  }
  if (mail.serverPlan) registered.push(mail.id);
  const readerFile = new File([sealed.readerHtml], READER_FILE_NAME, { type: 'text/html' });
  return { ...registration, readerFile };
}
/** The limit when the settings have none (they always have: it has a default). */
const DEFAULT_MAX_MAIL_MB = MANAGED_DEFAULTS.maxMailSizeMB;

type Registration =
  { ok: true; readerLink: string | null; expiresAt: string | null } | ServerFailure;

/**
 * Registers a mail's server locks (and its hosted copy) with the server. A mail without server
 * locks needs no registration and has no hosted link.
 */
async function register(
  context: SendContext,
  mail: SealedMail,
  sealed: SealOutput,
): Promise<Registration> {
  const { server } = context.resolved;
  if (!server || !mail.serverPlan) return { ok: true, readerLink: null, expiresAt: null };
  await shareWithColleagues(context, server, mail.delivery.serverLocks);
  const request = registrationRequest(context, mail.id, mail.serverPlan);
  let registration = await server.client.registerMessage({
    ...request,
    payload: await sealed.payloadBase64.text(),
  });
  // The hosted copy is a convenience: a message too large for the server's limit is
  // registered without it, and its link opens once the attachment is given to the reader.
  if (!registration.ok && registration.code === 'payload-too-large') {
    registration = await server.client.registerMessage(request);
  }
  if (!registration.ok) return registration;
  return {
    ok: true,
    readerLink: `${registration.value.readerUrl}#${mail.serverPlan.mailShare}`,
    expiresAt: registration.value.expiresAt,
  };
}
