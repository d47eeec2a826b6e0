import { beforeAll, describe, expect, it } from 'vitest';
import * as openpgp from 'openpgp';
import {
  DEFAULT_OPEN_LIMITS,
  PRODUCTION_ARGON2_PARAMETERS,
  generateSenderKey,
  openWithPassword,
  openWithPrivateKey,
  sealPayload,
  type SenderKey,
} from '../../../src/crypto/index.ts';
import { LIGHT_CRYPTO_CONFIG, PACKET_TAG, walkPackets } from './testCrypto.ts';

const encoder = new TextEncoder();
let sender: SenderKey;
let otherKey: SenderKey;

beforeAll(async () => {
  sender = await generateSenderKey({ name: 'Alice Äpfel', address: 'alice@example.test' });
  otherKey = await generateSenderKey({ name: 'Mallory', address: 'mallory@example.test' });
});

describe('generateSenderKey', () => {
  it('makes a v6 Ed25519/X25519 key that advertises SEIPDv2', async () => {
    const date = new Date('2026-01-02T03:04:05Z');
    const key = await generateSenderKey({ name: 'Bob', address: 'bob@example.test', date });
    const publicKey = await openpgp.readKey({ armoredKey: key.armoredPublicKey });
    expect(publicKey.keyPacket.version).toBe(6);
    expect(publicKey.getAlgorithmInfo().algorithm).toBe('ed25519');
    expect(publicKey.getCreationTime().toISOString()).toBe(date.toISOString());
    expect(publicKey.getUserIDs()).toEqual(['Bob <bob@example.test>']);
    expect(key.fingerprint).toMatch(/^[0-9A-F]{64}$/);
    expect(key.fingerprint).toBe(publicKey.getFingerprint().toUpperCase());
    const encryptionKey = await publicKey.getEncryptionKey(
      undefined,
      new Date('2026-06-01T00:00:00Z'),
    );
    expect(encryptionKey.getAlgorithmInfo().algorithm).toBe('x25519');
    // Not in openpgp's typings, but public API: the self-signature carries the features subpacket.
    const withSelfSignature = publicKey as unknown as {
      getPrimarySelfSignature(date: Date): Promise<{ features?: number[] }>;
    };
    const selfSignature = await withSelfSignature.getPrimarySelfSignature(
      new Date('2026-06-01T00:00:00Z'),
    );
    const SEIPDV2_FEATURE = 0x08; // RFC 9580 §5.2.3.32
    expect((selfSignature.features?.[0] ?? 0) & SEIPDV2_FEATURE).toBe(SEIPDV2_FEATURE);
    expect(key.armoredPrivateKey).toContain('BEGIN PGP PRIVATE KEY BLOCK');
  });

  it('rejects unknown options', async () => {
    await expect(
      generateSenderKey({ name: 'A', address: 'a@example.test', passphrase: 'x' } as never),
    ).rejects.toThrow(/unknown option 'passphrase'/);
  });
});

describe('sealPayload + open', () => {
  it('lets EVERY password and the sender key open the same payload (one session key)', async () => {
    const plaintext = encoder.encode('Vertraulich: 🎉 '.repeat(500));
    const passwords = ['K7QMX2PA9FHT3WBN5RDE', 'CORRECTHORSEBATTERYSTAPLE', 'ÜBERGRÖSSE42'];
    const payload = await sealPayload({
      plaintext,
      passwords,
      encryptionKeys: [sender.armoredPublicKey],
      config: LIGHT_CRYPTO_CONFIG,
    });
    const sessionKeys = new Set<string>();
    for (const password of passwords) {
      const result = await openWithPassword({ payload, password });
      expect(result).toEqual({ ok: true, plaintext });
      const [sessionKey] = await openpgp.decryptSessionKeys({
        message: await openpgp.readMessage({ binaryMessage: payload }),
        passwords: [password],
      });
      sessionKeys.add(Buffer.from(sessionKey!.data).toString('hex'));
    }
    const byKey = await openWithPrivateKey({
      payload,
      armoredPrivateKey: sender.armoredPrivateKey,
    });
    expect(byKey).toEqual({ ok: true, plaintext });
    const [keySessionKey] = await openpgp.decryptSessionKeys({
      message: await openpgp.readMessage({ binaryMessage: payload }),
      decryptionKeys: await openpgp.readPrivateKey({ armoredKey: sender.armoredPrivateKey }),
    });
    sessionKeys.add(Buffer.from(keySessionKey!.data).toString('hex'));
    expect(sessionKeys.size).toBe(1);
    expect([...sessionKeys][0]).toHaveLength(64); // AES-256
  });

  it('writes SKESK v6 (Argon2id) per password, PKESK v6 for the key, one SEIPDv2 AES-256/GCM', async () => {
    const payload = await sealPayload({
      plaintext: encoder.encode('x'),
      passwords: ['ONE', 'TWO'],
      encryptionKeys: [sender.armoredPublicKey],
      config: LIGHT_CRYPTO_CONFIG,
    });
    const message = await openpgp.readMessage({ binaryMessage: payload });
    const packets = Array.from(message.packets);
    const skesks = packets.filter(
      (packet) => packet instanceof openpgp.SymEncryptedSessionKeyPacket,
    );
    const pkesks = packets.filter(
      (packet) => packet instanceof openpgp.PublicKeyEncryptedSessionKeyPacket,
    );
    const data = packets.filter(
      (packet) => packet instanceof openpgp.SymEncryptedIntegrityProtectedDataPacket,
    );
    expect(skesks).toHaveLength(2);
    expect(pkesks).toHaveLength(1);
    expect(data).toHaveLength(1);
    for (const skesk of skesks) {
      expect((skesk as unknown as { version: number }).version).toBe(6);
      expect((skesk as unknown as { s2k: { type: string } }).s2k.type).toBe('argon2');
    }
    expect((pkesks[0] as unknown as { version: number }).version).toBe(6);
    const seipd = data[0] as unknown as {
      version: number;
      cipherAlgorithm: number;
      aeadAlgorithm: number;
    };
    expect(seipd.version).toBe(2);
    expect(seipd.cipherAlgorithm).toBe(openpgp.enums.symmetric.aes256);
    expect(seipd.aeadAlgorithm).toBe(openpgp.enums.aead.gcm);
    // Packet order on the wire: session-key packets, then the data.
    expect(
      walkPackets(payload)
        .map((packet) => packet.tag)
        .slice(0, 3)
        .sort(),
    ).toEqual([PACKET_TAG.PKESK, PACKET_TAG.SKESK, PACKET_TAG.SKESK].sort());
  });

  it('uses the production Argon2id parameters (t=3, p=4, m=2^16 KiB) when no config is given', async () => {
    expect(PRODUCTION_ARGON2_PARAMETERS).toEqual({ passes: 3, parallelism: 4, memoryExponent: 16 });
    const payload = await sealPayload({
      plaintext: encoder.encode('x'),
      passwords: ['PRODUCTION'],
      encryptionKeys: [],
    });
    const skesk = walkPackets(payload).find((packet) => packet.tag === PACKET_TAG.SKESK)!;
    // v6 SKESK body: version, count, cipher, AEAD, S2K length, S2K type 4, salt[16], t, p, m.
    const body = payload.subarray(skesk.bodyStart);
    expect(Array.from(body.subarray(0, 3))).toEqual([6, 0x23, openpgp.enums.symmetric.aes256]);
    expect(body[5]).toBe(4);
    expect(Array.from(body.subarray(22, 25))).toEqual([3, 4, 16]);
    expect(await openWithPassword({ payload, password: 'PRODUCTION' })).toMatchObject({ ok: true });
  });

  it('compresses: base64-heavy plaintext shrinks to about its binary size', async () => {
    const binary = crypto.getRandomValues(new Uint8Array(60_000));
    const base64Lines = Buffer.from(binary).toString('base64').replace(/.{76}/g, '$&\r\n');
    const plaintext = encoder.encode(base64Lines);
    const compressed = await sealPayload({
      plaintext,
      passwords: ['P'],
      encryptionKeys: [],
      config: LIGHT_CRYPTO_CONFIG,
    });
    const uncompressed = await sealPayload({
      plaintext,
      passwords: ['P'],
      encryptionKeys: [],
      config: { ...LIGHT_CRYPTO_CONFIG, compression: 'uncompressed' },
    });
    expect(uncompressed.length).toBeGreaterThan(plaintext.length);
    expect(compressed.length).toBeLessThan(binary.length * 1.06);
    expect(await openWithPassword({ payload: compressed, password: 'P' })).toEqual({
      ok: true,
      plaintext,
    });
  });

  it('refuses a wrong password and a foreign key with wrong-code', async () => {
    const payload = await sealPayload({
      plaintext: encoder.encode('secret'),
      passwords: ['RIGHT'],
      encryptionKeys: [sender.armoredPublicKey],
      config: LIGHT_CRYPTO_CONFIG,
    });
    expect(await openWithPassword({ payload, password: 'WRONG' })).toEqual({
      ok: false,
      reason: 'wrong-code',
    });
    expect(await openWithPassword({ payload, password: 'right' })).toEqual({
      ok: false,
      reason: 'wrong-code',
    });
    expect(
      await openWithPrivateKey({ payload, armoredPrivateKey: otherKey.armoredPrivateKey }),
    ).toEqual({
      ok: false,
      reason: 'wrong-code',
    });
  });

  it('gives wrong-code for a key-only payload opened with a password', async () => {
    const payload = await sealPayload({
      plaintext: encoder.encode('secret'),
      passwords: [],
      encryptionKeys: [sender.armoredPublicKey],
    });
    expect(await openWithPassword({ payload, password: 'ANY' })).toEqual({
      ok: false,
      reason: 'wrong-code',
    });
  });

  it('seals in the compatible form when a key cannot read SEIPDv2, and every lock still opens it', async () => {
    const legacy = await legacyKey('legacy@example.test');
    const payload = await sealPayload({
      plaintext: encoder.encode('for everyone'),
      passwords: ['P'],
      encryptionKeys: [sender.armoredPublicKey, legacy.publicKey],
      config: LIGHT_CRYPTO_CONFIG,
    });
    const packets = Array.from((await openpgp.readMessage({ binaryMessage: payload })).packets);
    const versions = packets.map((packet) => [
      packet.constructor.name,
      (packet as unknown as { version: number }).version,
    ]);
    expect(versions).toEqual([
      ['PublicKeyEncryptedSessionKeyPacket', 3],
      ['PublicKeyEncryptedSessionKeyPacket', 3],
      ['SymEncryptedSessionKeyPacket', 4],
      ['SymEncryptedIntegrityProtectedDataPacket', 1],
    ]);
    const skesk = packets[2] as unknown as { s2k: { type: string } };
    // A typed code keeps Argon2id in the compatible form too.
    expect(skesk.s2k.type).toBe('argon2');
    const [sessionKey] = await openpgp.decryptSessionKeys({
      message: await openpgp.readMessage({ binaryMessage: payload }),
      decryptionKeys: await openpgp.readPrivateKey({ armoredKey: legacy.privateKey }),
    });
    expect(sessionKey?.algorithm).toBe('aes256');
    const text = (result: Awaited<ReturnType<typeof openWithPassword>>) =>
      result.ok ? new TextDecoder().decode(result.plaintext) : result.reason;
    expect(text(await openWithPassword({ payload, password: 'P' }))).toBe('for everyone');
    expect(
      text(await openWithPrivateKey({ payload, armoredPrivateKey: sender.armoredPrivateKey })),
    ).toBe('for everyone');
    expect(text(await openWithPrivateKey({ payload, armoredPrivateKey: legacy.privateKey }))).toBe(
      'for everyone',
    );
  });

  it('keeps SEIPDv2 when every key can read it, a v4 key that says so included', async () => {
    const modern = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ email: 'modern-v4@example.test' }],
      config: { v6Keys: false, aeadProtect: true },
    });
    const payload = await sealPayload({
      plaintext: encoder.encode('x'),
      passwords: ['P'],
      encryptionKeys: [sender.armoredPublicKey, modern.publicKey],
      config: LIGHT_CRYPTO_CONFIG,
    });
    const packets = Array.from((await openpgp.readMessage({ binaryMessage: payload })).packets);
    const data = packets.at(-1) as unknown as { version: number };
    expect(data.version).toBe(2);
  });

  it('protects derived passwords in the compatible form with the iterated S2K GnuPG 2.2 reads', async () => {
    const legacy = await legacyKey('legacy@example.test');
    const payload = await sealPayload({
      plaintext: encoder.encode('x'),
      passwords: ['DERIVED-256-BIT-SECRET'],
      encryptionKeys: [sender.armoredPublicKey, legacy.publicKey],
      derivedPasswords: true,
      config: LIGHT_CRYPTO_CONFIG,
    });
    const packets = Array.from((await openpgp.readMessage({ binaryMessage: payload })).packets);
    const skesk = packets.find(
      (packet) => packet instanceof openpgp.SymEncryptedSessionKeyPacket,
    ) as unknown as { s2k: { type: string; c: number } };
    expect(skesk.s2k.type).toBe('iterated');
    expect(skesk.s2k.c).toBe(255);
    expect((await openWithPassword({ payload, password: 'DERIVED-256-BIT-SECRET' })).ok).toBe(true);
    // With SEIPDv2 (every key can read it) the flag changes nothing: Argon2id stays.
    const modern = await sealPayload({
      plaintext: encoder.encode('x'),
      passwords: ['DERIVED-256-BIT-SECRET'],
      encryptionKeys: [sender.armoredPublicKey],
      derivedPasswords: true,
      config: LIGHT_CRYPTO_CONFIG,
    });
    const modernSkesk = Array.from(
      (await openpgp.readMessage({ binaryMessage: modern })).packets,
    ).find((packet) => packet instanceof openpgp.SymEncryptedSessionKeyPacket) as unknown as {
      s2k: { type: string };
    };
    expect(modernSkesk.s2k.type).toBe('argon2');
  });

  it('writes anonymous key ids when asked, and each key still opens the payload', async () => {
    const legacy = await legacyKey('hidden@example.test');
    for (const keys of [
      [sender.armoredPublicKey, otherKey.armoredPublicKey],
      [sender.armoredPublicKey, legacy.publicKey],
    ]) {
      const payload = await sealPayload({
        plaintext: encoder.encode('anon'),
        passwords: [],
        encryptionKeys: keys,
        anonymousKeys: true,
        config: LIGHT_CRYPTO_CONFIG,
      });
      const pkesks = Array.from((await openpgp.readMessage({ binaryMessage: payload })).packets)
        .filter((packet) => packet instanceof openpgp.PublicKeyEncryptedSessionKeyPacket)
        .map(
          (packet) =>
            packet as unknown as {
              version: number;
              publicKeyID: openpgp.KeyID;
              publicKeyFingerprint?: Uint8Array;
            },
        );
      expect(pkesks).toHaveLength(2);
      for (const pkesk of pkesks) {
        if (pkesk.version === 3) expect(pkesk.publicKeyID.toHex()).toBe('0000000000000000');
        else expect(pkesk.publicKeyFingerprint ?? new Uint8Array()).toHaveLength(0);
      }
      // No byte of any key's id or fingerprint is in the payload.
      for (const armoredKey of keys) {
        const key = await openpgp.readKey({ armoredKey });
        for (const part of [key, ...key.subkeys]) {
          const id = Buffer.from(part.getKeyID().toHex(), 'hex');
          expect(Buffer.from(payload).includes(id)).toBe(false);
        }
      }
      expect(
        (await openWithPrivateKey({ payload, armoredPrivateKey: sender.armoredPrivateKey })).ok,
      ).toBe(true);
    }
  });

  it('rejects bad input and unknown options', async () => {
    const plaintext = encoder.encode('x');
    await expect(sealPayload({ plaintext, passwords: [], encryptionKeys: [] })).rejects.toThrow(
      /at least one/,
    );
    await expect(
      sealPayload({ plaintext, passwords: ['A', 'A'], encryptionKeys: [] }),
    ).rejects.toThrow(/duplicate/);
    await expect(sealPayload({ plaintext, passwords: [''], encryptionKeys: [] })).rejects.toThrow(
      /non-empty/,
    );
    await expect(
      sealPayload({ plaintext, passwords: ['A'], encryptionKeys: [], aeadProtect: false } as never),
    ).rejects.toThrow(/unknown option 'aeadProtect'/);
    await expect(
      sealPayload({
        plaintext,
        passwords: ['A'],
        encryptionKeys: [],
        config: { s2kType: 3 } as never,
      }),
    ).rejects.toThrow(/unknown option 's2kType'/);
    await expect(
      openWithPassword({ payload: new Uint8Array([1]), password: 'A', date: new Date() } as never),
    ).rejects.toThrow(/unknown option 'date'/);
    await expect(
      openWithPassword({
        payload: new Uint8Array([1]),
        password: 'A',
        config: { maxArgon2Memory: 1 } as never,
      }),
    ).rejects.toThrow(/unknown option 'maxArgon2Memory'/);
  });

  it('treats empty or non-OpenPGP input as damaged', async () => {
    expect(await openWithPassword({ payload: new Uint8Array(0), password: 'A' })).toEqual({
      ok: false,
      reason: 'damaged',
    });
    expect(
      await openWithPassword({
        payload: encoder.encode('<html>not a payload</html>'),
        password: 'A',
      }),
    ).toEqual({
      ok: false,
      reason: 'damaged',
    });
  });

  it('has demanding default caps', () => {
    expect(DEFAULT_OPEN_LIMITS).toEqual({
      maxArgon2MemoryExponent: 20,
      maxDecompressedMessageSize: 256 * 1024 * 1024,
      maxPasswordLocks: 64,
    });
  });
});

/** A v4 key as older tools make them: no SEIPDv2 in its features. */
async function legacyKey(address: string) {
  return openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ email: address }],
    config: { v6Keys: false, aeadProtect: false },
  });
}
