import type { Mailbox } from '../core/address.ts';
import { generateSenderKey } from '../crypto/index.ts';
import type { KeyValueStore } from './host.ts';

/**
 * The sender's own key, generated on first use and kept by the add-on, so every sealed message
 * also carries a lock the sender can open to reread their sent copy (docs/envelope.md §3a).
 */
export interface StoredSenderKey {
  armoredPrivateKey: string;
  armoredPublicKey: string;
  fingerprint: string;
  createdAt: string;
}

const key = (address: string) => `senderKey:${address}`;

export async function ensureSenderKey(
  store: KeyValueStore,
  sender: Mailbox,
): Promise<StoredSenderKey> {
  const existing = await store.get<StoredSenderKey>(key(sender.address));
  if (existing && typeof existing.armoredPublicKey === 'string') return existing;
  const generated = await generateSenderKey({ name: sender.name, address: sender.address });
  const stored: StoredSenderKey = { ...generated, createdAt: new Date().toISOString() };
  await store.set(key(sender.address), stored);
  return stored;
}

export async function getSenderKey(
  store: KeyValueStore,
  address: string,
): Promise<StoredSenderKey | null> {
  return (await store.get<StoredSenderKey>(key(address))) ?? null;
}
