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
import { languageFromLocale } from '../core/languages.ts';
import type { PlannedServerLock } from '../core/decideSend.ts';
import type { Delivery } from '../core/deliveries.ts';
import type { DirectoryEntry } from '../core/serverApi.ts';
import type { ServerFailure } from '../core/serverClient.ts';
import type { SendProblem } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import { describeProblem } from './problems.ts';
import { content, seal, type MailContent, type SealedMail, type SendContext } from './sealMail.ts';
import { rememberSentMessage } from './sentMessages.ts';
import { cacheDirectoryEntry, noteServerFailure, type ServerConnection } from './serverSettings.ts';

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
  try {
    for (const delivery of deliveries) {
      const mail = await seal(context, delivery);
      // Measured before anything is registered or sent: a mail providers refuse must not leave.
      const mailBytes = sealedMailBytes(mail.sealed.readerHtml.size);
      const maxMailSizeMB = resolved.policy.effective.maxMailSizeMB.value ?? DEFAULT_MAX_MAIL_MB;
      if (exceedsMailLimit(mailBytes, maxMailSizeMB)) {
        await revokeAll(server, registered);
        return {
          ok: false,
          problem: describeProblem(host, 'mail-too-large', [
            megabytesText(mailBytes),
            `${maxMailSizeMB} MB`,
          ]),
        };
      }
      const registration = await register(context, mail);
      if (!registration.ok) {
        await noteServerFailure(host, registration);
        await revokeAll(server, registered);
        return { ok: false, problem: serverProblem(host, registration) };
      }
      if (mail.serverPlan) registered.push(mail.id);
      expiresAt ??= registration.expiresAt;
      mails.push({ mail, content: content(context, mail, registration.readerLink) });
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
  }
  return { ok: true, mails, registered };
}

/** The limit when the settings have none (they always have: it has a default). */
const DEFAULT_MAX_MAIL_MB = MANAGED_DEFAULTS.maxMailSizeMB;

/** Revokes registered mails that will not be sent (best effort: the send is cancelled anyway). */
export async function revokeAll(
  server: ServerConnection | null,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) await server?.client.revokeMessage(id).catch(() => undefined);
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

type Registration =
  { ok: true; readerLink: string | null; expiresAt: string | null } | ServerFailure;

/**
 * Registers a mail's server locks (and its hosted copy) with the server. A mail without server
 * locks needs no registration and has no hosted link.
 */
async function register(context: SendContext, mail: SealedMail): Promise<Registration> {
  const { server, policy } = context.resolved;
  if (!server || !mail.serverPlan) return { ok: true, readerLink: null, expiresAt: null };
  await shareWithColleagues(context, server, mail.delivery.serverLocks);
  const expiryDays = policy.effective.expiryDays.value;
  const request = {
    messageId: mail.id,
    locks: mail.serverPlan.registerLocks,
    senderName: context.sender.name,
    // A reply's notification to the sender is written in the language they use Sealpost in.
    senderLanguage: languageFromLocale(context.host.uiLocale()),
    ...(expiryDays === undefined ? {} : { expiresInDays: expiryDays }),
  };
  let registration = await server.client.registerMessage({
    ...request,
    payload: await mail.sealed.payloadBase64.text(),
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

/**
 * Organisation-wide codes and known numbers go to the directory, so a colleague's panel offers
 * them too. The panel writes codes as they are typed; this catches what it could not (closed
 * too early, server briefly away). Best effort: the lock itself is registered either way.
 */
async function shareWithColleagues(
  context: SendContext,
  server: ServerConnection,
  locks: readonly PlannedServerLock[],
): Promise<void> {
  for (const lock of locks) {
    const entry: DirectoryEntry | undefined = context.resolved.directoryByAddress.get(lock.address);
    let update: { method: 'org-code'; orgCode: string } | { method: 'sms'; phone: string } | null =
      null;
    if (lock.method === 'org-code' && lock.accessCode && entry?.orgCode !== lock.accessCode) {
      update = { method: 'org-code', orgCode: lock.accessCode };
    } else if (lock.method === 'sms' && lock.phone && entry?.phone !== lock.phone) {
      update = { method: 'sms', phone: lock.phone };
    }
    if (!update) continue;
    const result = await server.client.updateDirectory(lock.address, update);
    if (result.ok && result.value) await cacheDirectoryEntry(context.host, result.value);
  }
}
