/**
 * Backing up and restoring the sender's own keys (options page, "Your Sealpost key"). Every
 * sealed message's sender lock opens only with the key of the address it was sent from, so a lost
 * profile without a backup loses the sender's own copies of everything sent.
 */
import { wrapPrivateKey } from '../core/senderKeyVault.ts';
import { exportPrivateKeys, restorePrivateKeys, type SealCryptoConfig } from '../crypto/index.ts';
import {
  MIN_BACKUP_PASSPHRASE_LENGTH,
  type ExportSenderKeysAnswer,
  type RestoreSenderKeysAnswer,
} from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import { senderPrivateKey } from './keyVault.ts';
import {
  SENDER_KEY_PREFIX,
  getKeyVault,
  getSenderKey,
  listSenderKeys,
  type StoredSenderKey,
} from './senderKey.ts';

/** Lighter Argon2 in tests only; production code passes nothing. */
export interface KeyBackupOptions {
  config?: SealCryptoConfig;
}

/**
 * Every sender key's private key, encrypted with `passphrase`, as one armored file. A vault
 * passphrase must have unlocked the keys this session: the backup passphrase is new, so it proves
 * nothing about who is asking.
 */
export async function exportSenderKeys(
  host: Host,
  passphrase: string,
  options: KeyBackupOptions = {},
): Promise<ExportSenderKeysAnswer> {
  if (typeof passphrase !== 'string' || [...passphrase].length < MIN_BACKUP_PASSPHRASE_LENGTH) {
    return { ok: false, reason: 'too-short' };
  }
  const addresses: string[] = [];
  const armoredPrivateKeys: string[] = [];
  for (const [storageKey] of await listSenderKeys(host.local)) {
    const address = storageKey.slice(SENDER_KEY_PREFIX.length);
    const lookup = await senderPrivateKey(host, address);
    if (lookup.state === 'locked') return { ok: false, reason: 'locked' };
    // `missing`: wrapped to a vault that no longer opens it; nothing to back up.
    if (lookup.state !== 'ready') continue;
    addresses.push(address);
    armoredPrivateKeys.push(lookup.armoredPrivateKey);
  }
  if (armoredPrivateKeys.length === 0) return { ok: false, reason: 'no-keys' };
  const armored = await exportPrivateKeys({
    armoredPrivateKeys,
    passphrase,
    ...(options.config ? { config: options.config } : {}),
  });
  return { ok: true, armored, addresses };
}

/**
 * Stores a backup's keys as the sender keys of their addresses, the way a generated key is
 * stored: wrapped to the key vault when a passphrase protects the keys (no unlocking needed), in
 * clear otherwise. A different key already kept for an address is replaced only with `replace`,
 * because the copies sealed to it would no longer open.
 */
export async function restoreSenderKeys(
  host: Host,
  armored: string,
  passphrase: string,
  replace = false,
): Promise<RestoreSenderKeysAnswer> {
  const restored = await restorePrivateKeys({ armored, passphrase });
  if (!restored.ok) return restored;

  const conflicts: string[] = [];
  for (const key of restored.keys) {
    for (const address of key.addresses) {
      const existing = await getSenderKey(host.local, address);
      if (existing && existing.fingerprint !== key.fingerprint) conflicts.push(address);
    }
  }
  if (conflicts.length > 0 && !replace) {
    return { ok: false, reason: 'replace-needed', addresses: conflicts.sort() };
  }

  const vault = await getKeyVault(host.local);
  const createdAt = new Date().toISOString();
  const addresses: string[] = [];
  for (const key of restored.keys) {
    const privatePart = vault
      ? { wrappedPrivateKey: await wrapPrivateKey(key.armoredPrivateKey, vault.armoredPublicKey) }
      : { armoredPrivateKey: key.armoredPrivateKey };
    const stored: StoredSenderKey = {
      armoredPublicKey: key.armoredPublicKey,
      fingerprint: key.fingerprint,
      ...privatePart,
      createdAt,
    };
    for (const address of key.addresses) {
      await host.local.set(`${SENDER_KEY_PREFIX}${address}`, stored);
      addresses.push(address);
    }
  }
  return { ok: true, addresses: addresses.sort() };
}
