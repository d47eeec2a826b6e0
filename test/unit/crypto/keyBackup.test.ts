import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  exportPrivateKeys,
  generateSenderKey,
  MAX_KEY_BACKUP_BYTES,
  openWithPrivateKey,
  restorePrivateKeys,
  sealPayload,
  type SenderKey,
} from '../../../src/crypto/index.ts';
import { LIGHT_CRYPTO_CONFIG } from './testCrypto.ts';

const BACKUP_PASSPHRASE = 'granite puffin orchard sleeve';

let alice: SenderKey;
let carol: SenderKey;

beforeAll(async () => {
  alice = await generateSenderKey({ name: 'Alice', address: 'alice@example.test' });
  carol = await generateSenderKey({ name: 'Carol', address: 'Carol@Example.test' });
});

/** Every secret (sub)key packet of every key in the armored text. */
async function secretPackets(armored: string) {
  const blocks = armored.match(/-----BEGIN[\s\S]*?-----END PGP PRIVATE KEY BLOCK-----/g) ?? [];
  const packets: openpgp.SecretKeyPacket[] = [];
  for (const armoredKey of blocks) {
    const key = await openpgp.readPrivateKey({ armoredKey });
    packets.push(...key.getKeys().map((part) => part.keyPacket as openpgp.SecretKeyPacket));
  }
  return packets;
}

describe('sender key backup (crypto)', () => {
  it('writes one armored block per key, each encrypted with Argon2id and AEAD', async () => {
    const armored = await exportPrivateKeys({
      armoredPrivateKeys: [alice.armoredPrivateKey, carol.armoredPrivateKey],
      passphrase: BACKUP_PASSPHRASE,
      config: LIGHT_CRYPTO_CONFIG,
    });
    expect(armored.match(/-----BEGIN PGP PRIVATE KEY BLOCK-----/g)).toHaveLength(2);
    const packets = await secretPackets(armored);
    expect(packets).toHaveLength(4);
    for (const packet of packets) {
      expect(packet.isDecrypted()).toBe(false);
      // s2kUsage 253: AEAD-protected secret key material (RFC 9580 §5.5.3).
      expect((packet as unknown as { s2kUsage: number }).s2kUsage).toBe(253);
      expect((packet as unknown as { s2k: { type: string } }).s2k.type).toBe('argon2');
    }
  });

  it('restores the keys, and the restored key opens what was sealed to the exported one', async () => {
    const armored = await exportPrivateKeys({
      armoredPrivateKeys: [alice.armoredPrivateKey, carol.armoredPrivateKey],
      passphrase: BACKUP_PASSPHRASE,
      config: LIGHT_CRYPTO_CONFIG,
    });
    const restored = await restorePrivateKeys({ armored, passphrase: BACKUP_PASSPHRASE });
    expect(restored.ok).toBe(true);
    if (!restored.ok) return;
    expect(restored.keys.map((key) => [key.fingerprint, key.addresses])).toEqual([
      [alice.fingerprint, ['alice@example.test']],
      [carol.fingerprint, ['carol@example.test']],
    ]);
    const restoredAlice = restored.keys[0]!;
    expect(restoredAlice.armoredPublicKey).toContain('PUBLIC KEY BLOCK');
    expect(
      (await openpgp.readPrivateKey({ armoredKey: restoredAlice.armoredPrivateKey })).isDecrypted(),
    ).toBe(true);

    const payload = await sealPayload({
      plaintext: new TextEncoder().encode('sent copy'),
      passwords: [],
      encryptionKeys: [alice.armoredPublicKey],
      config: LIGHT_CRYPTO_CONFIG,
    });
    const opened = await openWithPrivateKey({
      payload,
      armoredPrivateKey: restoredAlice.armoredPrivateKey,
    });
    expect(opened.ok && new TextDecoder().decode(opened.plaintext)).toBe('sent copy');
  });

  it('refuses a wrong or empty passphrase as a value', async () => {
    const armored = await exportPrivateKeys({
      armoredPrivateKeys: [alice.armoredPrivateKey],
      passphrase: BACKUP_PASSPHRASE,
      config: LIGHT_CRYPTO_CONFIG,
    });
    for (const passphrase of ['granite puffin orchard', '']) {
      expect(await restorePrivateKeys({ armored, passphrase })).toEqual({
        ok: false,
        reason: 'wrong-passphrase',
      });
    }
  });

  it('refuses a public key, text without a key, and an oversized file', async () => {
    expect(
      await restorePrivateKeys({ armored: alice.armoredPublicKey, passphrase: BACKUP_PASSPHRASE }),
    ).toEqual({ ok: false, reason: 'not-private' });
    expect(
      await restorePrivateKeys({ armored: 'my key is here', passphrase: BACKUP_PASSPHRASE }),
    ).toEqual({ ok: false, reason: 'unreadable' });
    const damaged = alice.armoredPrivateKey.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    expect(await restorePrivateKeys({ armored: damaged, passphrase: BACKUP_PASSPHRASE })).toEqual({
      ok: false,
      reason: 'unreadable',
    });
    expect(
      await restorePrivateKeys({
        armored: 'x'.repeat(MAX_KEY_BACKUP_BYTES + 1),
        passphrase: BACKUP_PASSPHRASE,
      }),
    ).toEqual({ ok: false, reason: 'too-large' });
  });

  it('refuses a private key without an address in its user IDs', async () => {
    const { privateKey } = await openpgp.generateKey({
      type: 'curve25519',
      userIDs: [{ name: 'Nobody' }],
      format: 'armored',
    });
    expect(
      await restorePrivateKeys({ armored: privateKey, passphrase: BACKUP_PASSPHRASE }),
    ).toEqual({ ok: false, reason: 'no-address' });
  });

  it('protects a v4 key the way GnuPG 2.2 reads it, and restores it', async () => {
    const { privateKey } = await openpgp.generateKey({
      type: 'ecc',
      userIDs: [{ email: 'dave@example.test' }],
      format: 'armored',
    });
    const armored = await exportPrivateKeys({
      armoredPrivateKeys: [privateKey],
      passphrase: BACKUP_PASSPHRASE,
      config: LIGHT_CRYPTO_CONFIG,
    });
    for (const packet of await secretPackets(armored)) {
      expect((packet as unknown as { s2kUsage: number }).s2kUsage).toBe(254);
      expect((packet as unknown as { s2k: { type: string } }).s2k.type).toBe('iterated');
    }
    const restored = await restorePrivateKeys({ armored, passphrase: BACKUP_PASSPHRASE });
    expect(restored.ok && restored.keys[0]?.addresses).toEqual(['dave@example.test']);
  });

  it('rejects unknown options and an empty passphrase when exporting', async () => {
    await expect(
      exportPrivateKeys({
        armoredPrivateKeys: [alice.armoredPrivateKey],
        passphrase: '',
      }),
    ).rejects.toThrow(TypeError);
    await expect(
      restorePrivateKeys({ armored: '', passphrase: 'x', extra: 1 } as never),
    ).rejects.toThrow(/unknown option 'extra'/);
  });
});
