import type { SentMessageRecord, ServerAnswer } from '../messaging/protocol.ts';
import type { ServerClient, ServerResult } from '../core/serverClient.ts';
import type { MessageStatusResponse } from '../core/serverApi.ts';
import type { Host } from '../platform/host.ts';
import { failureAnswer, noteServerFailure, serverConnection } from './serverSettings.ts';

/**
 * Secure messages sent through a server, kept in `storage.local` under `sent:<message id>` so
 * the options page can show who opened them and revoke them. Only what the sender already
 * knows is kept: id, subject, date, recipients and their methods (no codes, no shares).
 */
const PREFIX = 'sent:';
/** The list stays readable: the oldest records beyond this many are dropped. */
export const MAX_SENT_RECORDS = 500;

export async function rememberSentMessage(host: Host, record: SentMessageRecord): Promise<void> {
  await host.local.set(PREFIX + record.messageId, record);
  const all = await listSentMessages(host);
  for (const old of all.slice(MAX_SENT_RECORDS)) await host.local.remove(PREFIX + old.messageId);
}

/** Newest first; malformed entries are skipped (stored data is input too). */
export async function listSentMessages(host: Host): Promise<SentMessageRecord[]> {
  const entries = await host.local.entries<SentMessageRecord>(PREFIX);
  return entries
    .map(([, record]) => record)
    .filter(
      (record) =>
        typeof record?.messageId === 'string' &&
        typeof record.sentAt === 'string' &&
        Array.isArray(record.recipients),
    )
    .sort((left, right) => right.sentAt.localeCompare(left.sentAt));
}

async function knownRecord(host: Host, messageId: string): Promise<SentMessageRecord | null> {
  return (await host.local.get<SentMessageRecord>(PREFIX + messageId)) ?? null;
}

/** The server ids of a send: its main mail and every Bcc recipient's own (docs/envelope.md §0). */
function sendIds(record: SentMessageRecord): string[] {
  const copies = Array.isArray(record.copies)
    ? record.copies.filter((id): id is string => typeof id === 'string')
    : [];
  return [record.messageId, ...copies];
}

/**
 * Read status from the server that registered the message, over every mail of the send: one
 * list of recipients, whichever mail each of them received.
 */
export async function messageStatus(
  host: Host,
  messageId: string,
): Promise<ServerAnswer<MessageStatusResponse>> {
  const record = await knownRecord(host, messageId);
  const connection = await serverConnection(host);
  if (!record || !connection || connection.url !== record.serverUrl) {
    return { ok: false, code: 'not-configured', message: host.message('serverNotConfigured') };
  }
  const statuses: MessageStatusResponse[] = [];
  for (const id of sendIds(record)) {
    const result = await connection.client.messageStatus(id);
    if (!result.ok) {
      await noteServerFailure(host, result);
      return failureAnswer(host, result);
    }
    // Which mail holds each lock, so the page can unlock the right one.
    statuses.push({
      ...result.value,
      recipients: result.value.recipients.map((recipient) => ({ ...recipient, mailId: id })),
    });
  }
  const [main, ...copies] = statuses;
  const merged: MessageStatusResponse = {
    ...main!,
    recipients: statuses.flatMap((status) => status.recipients),
    // The send counts as revoked only when none of its mails can be opened any more.
    revokedAt: copies.every((copy) => copy.revokedAt) ? main!.revokedAt : null,
  };
  if (merged.revokedAt && !record.revokedAt) {
    await host.local.set(PREFIX + messageId, { ...record, revokedAt: merged.revokedAt });
  }
  return { ok: true, value: merged };
}

/** Revokes a sent message, every Bcc recipient's copy included: after this the server releases nothing for it. */
export async function revokeMessage(
  host: Host,
  messageId: string,
): Promise<ServerAnswer<{ revokedAt: string }>> {
  const record = await knownRecord(host, messageId);
  const connection = await serverConnection(host);
  if (!record || !connection || connection.url !== record.serverUrl) {
    return { ok: false, code: 'not-configured', message: host.message('serverNotConfigured') };
  }
  let revokedAt = '';
  for (const id of sendIds(record)) {
    const result = await connection.client.revokeMessage(id);
    if (!result.ok) {
      await noteServerFailure(host, result);
      return failureAnswer(host, result);
    }
    if (id === messageId) revokedAt = result.value.revokedAt;
  }
  await host.local.set(PREFIX + messageId, { ...record, revokedAt });
  return { ok: true, value: { revokedAt } };
}

/**
 * Opens a locked-out recipient's lock at once: the sender knows it was them (the server mailed
 * the sender at the lock-out). `mailId` is the mail of the send that holds the lock.
 */
export async function unlockRecipient(
  host: Host,
  messageId: string,
  mailId: string,
  lockId: string,
): Promise<ServerAnswer<{ unlocked: true }>> {
  const answer = await onMailOfSend(host, messageId, mailId, (client) =>
    client.unlockRecipient(mailId, lockId),
  );
  return answer.ok ? { ok: true, value: { unlocked: true } } : answer;
}

/**
 * Gives an SMS recipient a new number on the server (theirs was wrong or lost): a code pending
 * at the old number dies and a lock-out ends. The remembered number for that address is not
 * changed here; the sender changes it on the recipients list if it is the new one for good.
 */
export async function changeRecipientPhone(
  host: Host,
  messageId: string,
  mailId: string,
  lockId: string,
  phone: string,
): Promise<ServerAnswer<{ sentTo: string }>> {
  const answer = await onMailOfSend(host, messageId, mailId, (client) =>
    client.changeRecipientPhone(mailId, lockId, phone),
  );
  return answer.ok ? { ok: true, value: { sentTo: answer.value.sentTo } } : answer;
}

/**
 * Runs a sender call on one mail of a known send, on the server that registered it; a mail id
 * that is not part of the send is refused before anything is asked.
 */
function onMailOfSend<T>(
  host: Host,
  messageId: string,
  mailId: string,
  call: (client: ServerClient) => Promise<ServerResult<T>>,
): Promise<ServerAnswer<T>> {
  return onServerOfSend(host, messageId, (record) => sendIds(record).includes(mailId), call);
}

/**
 * Runs a sender call about a known send on the server that registered it, if `concerns` says the
 * call is about that send (a mail of it, a recipient of it); otherwise nothing is asked.
 */
async function onServerOfSend<T>(
  host: Host,
  messageId: string,
  concerns: (record: SentMessageRecord) => boolean,
  call: (client: ServerClient) => Promise<ServerResult<T>>,
): Promise<ServerAnswer<T>> {
  const record = await knownRecord(host, messageId);
  const connection = await serverConnection(host);
  if (!record || !connection || connection.url !== record.serverUrl || !concerns(record)) {
    return { ok: false, code: 'not-configured', message: host.message('serverNotConfigured') };
  }
  const result = await call(connection.client);
  if (!result.ok) {
    await noteServerFailure(host, result);
    return failureAnswer(host, result);
  }
  return { ok: true, value: result.value };
}

/**
 * Makes every browser a recipient of this send asked to remember stop working (the sender
 * suspects someone else reads their mail): from then on that recipient needs a code again.
 */
export async function forgetRecipientDevices(
  host: Host,
  messageId: string,
  address: string,
): Promise<ServerAnswer<{ removed: number }>> {
  const answer = await onServerOfSend(
    host,
    messageId,
    (record) => record.recipients.some((recipient) => recipient.address === address),
    (client) => client.removeRecipientDevices(address),
  );
  return answer.ok ? { ok: true, value: { removed: answer.value.removed } } : answer;
}
