import type { Mailbox } from '../core/address.ts';
import { wrapPrivateKey } from '../core/senderKeyVault.ts';
import { generateSenderKey } from '../crypto/index.ts';
import type { KeyValueStore } from '../platform/host.ts';

/**
 * The sender's own key, generated on first use and kept by the add-on, so every sealed message
 * also carries a lock the sender can open to reread their sent copy (docs/envelope.md §2, §4).
 * Sealing needs only the public key. The private key is stored in exactly one of two forms: in
 * clear, or — once the sender set a passphrase — encrypted to the key vault (`keyVault.ts`).
 */
export interface StoredSenderKey {
  /** In clear: anyone who can read the Thunderbird profile can use it. */
  armoredPrivateKey?: string;
  /** Encrypted to the key vault's public key (base64 of one OpenPGP message). */
  wrappedPrivateKey?: string;
  armoredPublicKey: string;
  fingerprint: string;
  createdAt: string;
}

/** The key vault as stored: its private part is encrypted with the sender's passphrase. */
export interface StoredKeyVault {
  armoredLockedKey: string;
  armoredPublicKey: string;
  fingerprint: string;
  createdAt: string;
}

export const SENDER_KEY_PREFIX = 'senderKey:';
export const KEY_VAULT = 'senderKeyVault';

const key = (address: string) => `${SENDER_KEY_PREFIX}${address}`;

export async function ensureSenderKey(
  store: KeyValueStore,
  sender: Mailbox,
): Promise<StoredSenderKey> {
  const existing = await store.get<StoredSenderKey>(key(sender.address));
  if (existing && typeof existing.armoredPublicKey === 'string') return existing;
  const { armoredPrivateKey, ...generated } = await generateSenderKey({
    name: sender.name,
    address: sender.address,
  });
  // Read only now, right before storing: a passphrase set while the key was being generated
  // must still cover it. Wrapping needs only the vault's public key, so a new identity's first
  // send works while the vault is locked, and its private key never reaches the disk in clear.
  const vault = await getKeyVault(store);
  const privatePart = vault
    ? { wrappedPrivateKey: await wrapPrivateKey(armoredPrivateKey, vault.armoredPublicKey) }
    : { armoredPrivateKey };
  const stored: StoredSenderKey = {
    ...generated,
    ...privatePart,
    createdAt: new Date().toISOString(),
  };
  await store.set(key(sender.address), stored);
  return stored;
}

export async function getSenderKey(
  store: KeyValueStore,
  address: string,
): Promise<StoredSenderKey | null> {
  return (await store.get<StoredSenderKey>(key(address))) ?? null;
}

/** Every stored sender key, by storage key. */
export async function listSenderKeys(store: KeyValueStore): Promise<[string, StoredSenderKey][]> {
  return store.entries<StoredSenderKey>(SENDER_KEY_PREFIX);
}

export async function getKeyVault(store: KeyValueStore): Promise<StoredKeyVault | null> {
  const vault = await store.get<StoredKeyVault>(KEY_VAULT);
  return vault && typeof vault.armoredLockedKey === 'string' ? vault : null;
}
