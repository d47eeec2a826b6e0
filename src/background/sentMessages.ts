import type { SentMessageRecord, ServerAnswer } from '../messaging/protocol.ts';
import type { MessageStatusResponse } from '../messaging/serverApi.ts';
import type { Host } from './host.ts';
import { noteServerFailure, serverConnection } from './serverSettings.ts';

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

/** Read status from the server that registered the message. */
export async function messageStatus(
  host: Host,
  messageId: string,
): Promise<ServerAnswer<MessageStatusResponse>> {
  const record = await knownRecord(host, messageId);
  const connection = await serverConnection(host);
  if (!record || !connection || connection.url !== record.serverUrl) {
    return { ok: false, code: 'not-configured', message: host.message('serverNotConfigured') };
  }
  const result = await connection.client.messageStatus(messageId);
  if (!result.ok) {
    await noteServerFailure(host, result);
    return { ok: false, code: result.code, message: result.message };
  }
  if (result.value.revokedAt && !record.revokedAt) {
    await host.local.set(PREFIX + messageId, { ...record, revokedAt: result.value.revokedAt });
  }
  return result;
}

/** Revokes a sent message: after this the server releases nothing for it. */
export async function revokeMessage(
  host: Host,
  messageId: string,
): Promise<ServerAnswer<{ revokedAt: string }>> {
  const record = await knownRecord(host, messageId);
  const connection = await serverConnection(host);
  if (!record || !connection || connection.url !== record.serverUrl) {
    return { ok: false, code: 'not-configured', message: host.message('serverNotConfigured') };
  }
  const result = await connection.client.revokeMessage(messageId);
  if (!result.ok) {
    await noteServerFailure(host, result);
    return { ok: false, code: result.code, message: result.message };
  }
  await host.local.set(PREFIX + messageId, { ...record, revokedAt: result.value.revokedAt });
  return { ok: true, value: { revokedAt: result.value.revokedAt } };
}
