import type { SenderKeyLookup } from '../core/openSealedCopy.ts';
import {
  checkNewPassphrase,
  passphraseWaitMs,
  unwrapPrivateKey,
  wrapPrivateKey,
  type FailedAttempts,
} from '../core/senderKeyVault.ts';
import { createKeyVault, relockKeyVault, unlockKeyVault } from '../crypto/index.ts';
import type { KeyProtectionView, PassphraseAnswer } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import {
  KEY_VAULT,
  getKeyVault,
  getSenderKey,
  listSenderKeys,
  type StoredKeyVault,
  type StoredSenderKey,
} from './senderKey.ts';

/**
 * The passphrase that protects the sender's private keys (docs/architecture.md, "The sender's
 * key and its passphrase"). Setting one stores a key vault whose private part is encrypted with
 * the passphrase, and every sender key's private part encrypted to the vault.
 *
 * Unlocking keeps the decrypted vault key, not the passphrase, in `storage.session` (memory
 * only, gone when Thunderbird quits). The vault key opens nothing but Sealpost's own sent copies,
 * while a passphrase is often used elsewhere too; and the passphrase is needed only to change or
 * remove protection, which ask for it again anyway.
 */

const UNLOCKED = 'senderKeyVault:unlocked';
const FAILED = 'senderKeyVault:failed';

export async function keyProtectionView(host: Host): Promise<KeyProtectionView> {
  const vault = await getKeyVault(host.local);
  if (!vault) return { protected: false, unlocked: false };
  return { protected: true, unlocked: (await unlockedVaultKey(host)) !== null };
}

/** Protects every stored sender key, and every one made from now on, with `passphrase`. */
export async function setPassphrase(host: Host, passphrase: string): Promise<PassphraseAnswer> {
  if (checkNewPassphrase(passphrase) !== null) return { ok: false, reason: 'too-short' };
  if (await getKeyVault(host.local)) return { ok: false, reason: 'already-protected' };
  const vault = await createKeyVault({ passphrase });
  const stored: StoredKeyVault = { ...vault, createdAt: new Date().toISOString() };
  // The vault first: a key generated from now on is wrapped at once (`ensureSenderKey`).
  await host.local.set(KEY_VAULT, stored);
  for (const [storageKey, senderKey] of await listSenderKeys(host.local)) {
    if (senderKey.armoredPrivateKey === undefined) continue;
    const { armoredPrivateKey, ...rest } = senderKey;
    const wrapped: StoredSenderKey = {
      ...rest,
      wrappedPrivateKey: await wrapPrivateKey(armoredPrivateKey, vault.armoredPublicKey),
    };
    await host.local.set(storageKey, wrapped);
  }
  // Locked from the start: the next sent copy asks for the passphrase once, which also shows
  // the sender that the one they just typed is the one they will need.
  await host.session.remove(UNLOCKED);
  return { ok: true, view: await keyProtectionView(host) };
}

export async function changePassphrase(
  host: Host,
  passphrase: string,
  newPassphrase: string,
): Promise<PassphraseAnswer> {
  if (checkNewPassphrase(newPassphrase) !== null) return { ok: false, reason: 'too-short' };
  return withPassphrase(host, passphrase, async (vault) => {
    const relocked = await relockKeyVault({
      armoredLockedKey: vault.armoredLockedKey,
      passphrase,
      newPassphrase,
    });
    if (!relocked.ok) return false;
    // The same vault key under a new passphrase: the wrapped sender keys stay as they are.
    await host.local.set(KEY_VAULT, { ...vault, armoredLockedKey: relocked.armoredLockedKey });
    return true;
  });
}

/** Stores every sender key's private part in clear again and drops the vault. */
export async function removePassphrase(host: Host, passphrase: string): Promise<PassphraseAnswer> {
  return withPassphrase(host, passphrase, async (vault) => {
    const unlocked = await unlockKeyVault({ armoredLockedKey: vault.armoredLockedKey, passphrase });
    if (!unlocked.ok) return false;
    // The vault record goes first so a key generated meanwhile is stored in clear, not wrapped
    // to a vault that no longer exists.
    await host.local.remove(KEY_VAULT);
    await host.session.remove(UNLOCKED);
    for (const [storageKey, senderKey] of await listSenderKeys(host.local)) {
      if (senderKey.wrappedPrivateKey === undefined) continue;
      const armoredPrivateKey = await unwrapPrivateKey(
        senderKey.wrappedPrivateKey,
        unlocked.armoredKey,
      );
      // Not this vault's: leave it as it is rather than lose it.
      if (armoredPrivateKey === null) continue;
      const clear: StoredSenderKey = { ...senderKey, armoredPrivateKey };
      delete clear.wrappedPrivateKey;
      await host.local.set(storageKey, clear);
    }
    return true;
  });
}

/** Keeps the decrypted vault key for the rest of this Thunderbird session. */
export async function unlockSenderKeys(host: Host, passphrase: string): Promise<PassphraseAnswer> {
  return withPassphrase(host, passphrase, async (vault) => {
    const unlocked = await unlockKeyVault({ armoredLockedKey: vault.armoredLockedKey, passphrase });
    if (!unlocked.ok) return false;
    await host.session.set(UNLOCKED, unlocked.armoredKey);
    return true;
  });
}

export async function lockSenderKeys(host: Host): Promise<KeyProtectionView> {
  await host.session.remove(UNLOCKED);
  return keyProtectionView(host);
}

/** The sender's private key for `address`, as far as this session can use it. */
export async function senderPrivateKey(host: Host, address: string): Promise<SenderKeyLookup> {
  const senderKey = await getSenderKey(host.local, address);
  if (!senderKey) return { state: 'missing' };
  if (senderKey.armoredPrivateKey !== undefined) {
    return { state: 'ready', armoredPrivateKey: senderKey.armoredPrivateKey };
  }
  if (senderKey.wrappedPrivateKey === undefined) return { state: 'missing' };
  const vaultKey = await unlockedVaultKey(host);
  if (vaultKey === null) return { state: 'locked' };
  const armoredPrivateKey = await unwrapPrivateKey(senderKey.wrappedPrivateKey, vaultKey);
  return armoredPrivateKey === null ? { state: 'missing' } : { state: 'ready', armoredPrivateKey };
}

/** Setting and removing the passphrase clear it, so it always belongs to the stored vault. */
async function unlockedVaultKey(host: Host): Promise<string | null> {
  return (await host.session.get<string>(UNLOCKED)) ?? null;
}

/**
 * Runs `check` (which returns whether the passphrase was right) unless wrong passphrases made
 * the sender wait; counts the wrong ones in `storage.session`, so quitting Thunderbird resets it.
 */
async function withPassphrase(
  host: Host,
  passphrase: string,
  check: (vault: StoredKeyVault) => Promise<boolean>,
): Promise<PassphraseAnswer> {
  const vault = await getKeyVault(host.local);
  if (!vault) return { ok: false, reason: 'not-protected' };
  const failed = (await host.session.get<FailedAttempts>(FAILED)) ?? null;
  const waitMs = passphraseWaitMs(failed, Date.now());
  if (waitMs > 0) return { ok: false, reason: 'wait', retryAfterSeconds: Math.ceil(waitMs / 1000) };
  if (typeof passphrase !== 'string' || passphrase === '' || !(await check(vault))) {
    await host.session.set(FAILED, { count: (failed?.count ?? 0) + 1, lastAt: Date.now() });
    return { ok: false, reason: 'wrong-passphrase' };
  }
  await host.session.remove(FAILED);
  return { ok: true, view: await keyProtectionView(host) };
}
