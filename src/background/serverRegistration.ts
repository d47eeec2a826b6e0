/**
 * What every registration of a sealed mail with the server shares, by attachment or by link:
 * the request, the colleagues' directory, how a refusal reads, and revoking what will not be
 * sent.
 */
import { languageFromLocale } from '../core/languages.ts';
import type { PlannedServerLock } from '../core/decideSend.ts';
import type { DirectoryEntry, RegisterMessageRequest } from '../core/serverApi.ts';
import type { ServerFailure } from '../core/serverClient.ts';
import { serverFailureText } from '../core/serverFailureText.ts';
import type { ServerSealPlan } from '../core/serverSeal.ts';
import type { SendProblem } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import { describeProblem } from './problems.ts';
import type { SendContext } from './sealMail.ts';
import { cacheDirectoryEntry, type ServerConnection } from './serverSettings.ts';

/** Revokes registered mails that will not be sent (best effort: the send is cancelled anyway). */
export async function revokeAll(
  server: ServerConnection | null,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) await server?.client.revokeMessage(id).catch(() => undefined);
}

/** A failed registration as the panel explains it: unreachable, or refused with the reason. */
export function serverProblem(host: Host, failure: ServerFailure): SendProblem {
  const unreachable = failure.code === 'unavailable' || failure.code === 'internal';
  return describeProblem(
    host,
    unreachable ? 'server-unreachable' : 'server-refused',
    failureText(host, failure),
  );
}

/** A failed server call as the sender reads it, in the UI language (never the server's schema text). */
export function failureText(host: Host, failure: ServerFailure): string {
  return serverFailureText(failure, (key, substitutions = []) =>
    host.message(key, [...substitutions]),
  );
}

/** What every registration of a mail says: its id, locks, sender and expiry. */
export function registrationRequest(
  context: SendContext,
  messageId: string,
  serverPlan: ServerSealPlan,
): RegisterMessageRequest {
  const expiryDays = context.resolved.policy.effective.expiryDays.value;
  return {
    messageId,
    locks: serverPlan.registerLocks,
    senderName: context.sender.name,
    // A reply's notification to the sender is written in the language they use Sealpost in.
    senderLanguage: languageFromLocale(context.host.uiLocale()),
    ...(expiryDays === undefined ? {} : { expiresInDays: expiryDays }),
  };
}

/**
 * Organisation-wide codes and known numbers go to the directory, so a colleague's panel offers
 * them too. The panel writes codes as they are typed; this catches what it could not (closed
 * too early, server briefly away). Best effort: the lock itself is registered either way.
 */
export async function shareWithColleagues(
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
