import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import {
  createKeyVault,
  relockKeyVault,
  unlockKeyVault,
  type KeyVault,
} from '../../../src/crypto/index.ts';
import { LIGHT_CRYPTO_CONFIG } from './testCrypto.ts';

const PASSPHRASE = 'harbour otter violet lamp';

/** Every (sub)key packet of an armored private key: none may hold usable secret material. */
async function secretPackets(armoredKey: string) {
  const key = await openpgp.readPrivateKey({ armoredKey });
  return key.getKeys().map((part) => part.keyPacket as openpgp.SecretKeyPacket);
}

describe('the key vault (passphrase-protected key)', () => {
  let vault: KeyVault;

  it('stores the private key encrypted with the passphrase (Argon2id, AEAD)', async () => {
    vault = await createKeyVault({ passphrase: PASSPHRASE, config: LIGHT_CRYPTO_CONFIG });
    const packets = await secretPackets(vault.armoredLockedKey);
    expect(packets).toHaveLength(2);
    for (const packet of packets) {
      expect(packet.isDecrypted()).toBe(false);
      // s2kUsage 253: AEAD-protected secret key material (RFC 9580 §5.5.3).
      expect((packet as unknown as { s2kUsage: number }).s2kUsage).toBe(253);
      expect((packet as unknown as { s2k: { type: string } }).s2k.type).toBe('argon2');
    }
    const publicKey = await openpgp.readKey({ armoredKey: vault.armoredPublicKey });
    expect(publicKey.isPrivate()).toBe(false);
    expect(vault.fingerprint).toBe(publicKey.getFingerprint().toUpperCase());
  });

  it('refuses a wrong or empty passphrase as a value, and opens with the right one', async () => {
    const { armoredLockedKey } = vault;
    expect(await unlockKeyVault({ armoredLockedKey, passphrase: 'harbour otter violet' })).toEqual({
      ok: false,
      reason: 'wrong-passphrase',
    });
    expect(await unlockKeyVault({ armoredLockedKey, passphrase: '' })).toEqual({
      ok: false,
      reason: 'wrong-passphrase',
    });
    const unlocked = await unlockKeyVault({ armoredLockedKey, passphrase: PASSPHRASE });
    expect(unlocked.ok).toBe(true);
    if (!unlocked.ok) return;
    const key = await openpgp.readPrivateKey({ armoredKey: unlocked.armoredKey });
    expect(key.isDecrypted()).toBe(true);
    expect(key.getFingerprint().toUpperCase()).toBe(vault.fingerprint);
  });

  it('changes the passphrase of the same key: the old one no longer opens it', async () => {
    const wrong = await relockKeyVault({
      armoredLockedKey: vault.armoredLockedKey,
      passphrase: 'not it at all',
      newPassphrase: 'kettle meadow copper',
      config: LIGHT_CRYPTO_CONFIG,
    });
    expect(wrong).toEqual({ ok: false, reason: 'wrong-passphrase' });
    const relocked = await relockKeyVault({
      armoredLockedKey: vault.armoredLockedKey,
      passphrase: PASSPHRASE,
      newPassphrase: 'kettle meadow copper',
      config: LIGHT_CRYPTO_CONFIG,
    });
    expect(relocked.ok).toBe(true);
    if (!relocked.ok) return;
    const armoredLockedKey = relocked.armoredLockedKey;
    expect((await secretPackets(armoredLockedKey)).every((p) => !p.isDecrypted())).toBe(true);
    expect(await unlockKeyVault({ armoredLockedKey, passphrase: PASSPHRASE })).toEqual({
      ok: false,
      reason: 'wrong-passphrase',
    });
    const unlocked = await unlockKeyVault({
      armoredLockedKey,
      passphrase: 'kettle meadow copper',
    });
    expect(unlocked.ok).toBe(true);
    const key = unlocked.ok ? await openpgp.readKey({ armoredKey: unlocked.armoredKey }) : null;
    expect(key?.getFingerprint().toUpperCase()).toBe(vault.fingerprint);
  });

  it('refuses an empty new passphrase and unknown options', async () => {
    await expect(createKeyVault({ passphrase: '' })).rejects.toThrow(/non-empty/);
    await expect(createKeyVault({ passphrase: PASSPHRASE, userIDs: [] } as never)).rejects.toThrow(
      /unknown option 'userIDs'/,
    );
    await expect(
      unlockKeyVault({
        armoredLockedKey: vault.armoredLockedKey,
        passphrase: 'x',
        config: {},
      } as never),
    ).rejects.toThrow(/unknown option 'config'/);
  });
});
