/**
 * The signed-in sender's own public key is published on the organisation's server, so
 * colleagues (directory lookups) and other organisations (WKD) can seal to it with the `account`
 * method (docs/keys.md). Published at sign-in and again whenever the key for the address is not
 * the one last published (a new key, a restored backup, another server).
 */
import type { Host } from '../platform/host.ts';
import { ensureSenderKey } from './senderKey.ts';
import { noteServerFailure, serverConnection } from './serverSettings.ts';

const PUBLISHED_KEY = 'key-published';

interface PublishedRecord {
  serverUrl: string;
  address: string;
  fingerprint: string;
}

export type PublishOutcome = 'published' | 'unchanged' | 'not-signed-in' | 'failed';

export async function publishSenderKey(host: Host): Promise<PublishOutcome> {
  const connection = await serverConnection(host);
  if (!connection) return 'not-signed-in';
  const key = await ensureSenderKey(host.local, { name: '', address: connection.address });
  const published = await host.local.get<PublishedRecord>(PUBLISHED_KEY);
  if (
    published?.serverUrl === connection.url &&
    published.address === connection.address &&
    published.fingerprint === key.fingerprint
  ) {
    return 'unchanged';
  }
  const result = await connection.client.registerKey(key.armoredPublicKey);
  if (!result.ok) {
    // Not fatal: sealing does not need it; the next wake or sign-in tries again.
    await noteServerFailure(host, result);
    console.warn('Sealpost: the sender key could not be published', result.code);
    return 'failed';
  }
  const record: PublishedRecord = {
    serverUrl: connection.url,
    address: connection.address,
    fingerprint: key.fingerprint,
  };
  await host.local.set(PUBLISHED_KEY, record);
  return 'published';
}
