import { describe, expect, it } from 'vitest';
import {
  FREE_ATTEMPTS,
  MIN_PASSPHRASE_LENGTH,
  checkNewPassphrase,
  passphraseWaitMs,
  unwrapPrivateKey,
  wrapPrivateKey,
} from '../../../src/core/senderKeyVault.ts';
import { createKeyVault, generateSenderKey, unlockKeyVault } from '../../../src/crypto/index.ts';
import { LIGHT_CRYPTO_CONFIG } from '../crypto/testCrypto.ts';

describe('a new passphrase', () => {
  it('needs at least the minimum length in characters, not bytes or spaces alone', () => {
    expect(MIN_PASSPHRASE_LENGTH).toBe(8);
    expect(checkNewPassphrase('seven c')).toBe('too-short');
    expect(checkNewPassphrase('eight ch')).toBeNull();
    expect(checkNewPassphrase(' '.repeat(20))).toBe('too-short');
    // Seven characters, more than eight UTF-16 units: still too short.
    expect(checkNewPassphrase('🦦🦦🦦🦦🦦🦦🦦')).toBe('too-short');
    expect(checkNewPassphrase('🦦🦦🦦🦦🦦🦦🦦🦦')).toBeNull();
  });

  it('must be typed the same twice', () => {
    expect(checkNewPassphrase('harbour otter', 'harbour otter ')).toBe('mismatch');
    expect(checkNewPassphrase('harbour otter', 'harbour otter')).toBeNull();
  });
});

describe('waiting after wrong passphrases', () => {
  const now = 1_000_000;

  it('costs nothing for the first few mistakes', () => {
    expect(passphraseWaitMs(null, now)).toBe(0);
    expect(FREE_ATTEMPTS).toBe(3);
    expect(passphraseWaitMs({ count: FREE_ATTEMPTS - 1, lastAt: now }, now)).toBe(0);
  });

  it('then doubles from 5 seconds, counted from the last wrong one, up to 5 minutes', () => {
    expect(passphraseWaitMs({ count: 3, lastAt: now }, now)).toBe(5_000);
    expect(passphraseWaitMs({ count: 4, lastAt: now }, now)).toBe(10_000);
    expect(passphraseWaitMs({ count: 4, lastAt: now }, now + 4_000)).toBe(6_000);
    expect(passphraseWaitMs({ count: 4, lastAt: now }, now + 60_000)).toBe(0);
    expect(passphraseWaitMs({ count: 30, lastAt: now }, now)).toBe(300_000);
  });
});

describe('a sender key wrapped to the vault', () => {
  it('opens only with the unlocked vault key', async () => {
    const senderKey = await generateSenderKey({ name: 'Alice', address: 'alice@example.test' });
    const vault = await createKeyVault({ passphrase: 'pass phrase', config: LIGHT_CRYPTO_CONFIG });
    const other = await createKeyVault({ passphrase: 'pass phrase', config: LIGHT_CRYPTO_CONFIG });

    const wrapped = await wrapPrivateKey(senderKey.armoredPrivateKey, vault.armoredPublicKey);
    expect(atob(wrapped)).not.toContain('PRIVATE KEY');

    const vaultKey = await unlockKeyVault({
      armoredLockedKey: vault.armoredLockedKey,
      passphrase: 'pass phrase',
    });
    const otherKey = await unlockKeyVault({
      armoredLockedKey: other.armoredLockedKey,
      passphrase: 'pass phrase',
    });
    if (!vaultKey.ok || !otherKey.ok) throw new Error('vaults did not unlock');
    expect(await unwrapPrivateKey(wrapped, vaultKey.armoredKey)).toBe(senderKey.armoredPrivateKey);
    expect(await unwrapPrivateKey(wrapped, otherKey.armoredKey)).toBeNull();
    expect(await unwrapPrivateKey('not base64!', vaultKey.armoredKey)).toBeNull();
  });
});
