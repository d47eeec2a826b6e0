import { describe, expect, it } from 'vitest';
import { openWithPassword, sealPayload } from '../../src/crypto/index.ts';
import { LIGHT_CRYPTO_CONFIG, PACKET_TAG, walkPackets } from '../unit/crypto/testCrypto.ts';

/**
 * A crafted envelope whose password lock asks Argon2 for huge memory must be refused before any
 * allocation (otherwise opening it crashes the tab or the machine).
 */
describe('attack: argon2 memory bomb', () => {
  async function payloadAskingForMemoryExponent(memoryExponent: number): Promise<Uint8Array> {
    const payload = await sealPayload({
      plaintext: new TextEncoder().encode('x'),
      passwords: ['CODE'],
      encryptionKeys: [],
      config: LIGHT_CRYPTO_CONFIG,
    });
    const lock = walkPackets(payload).find((packet) => packet.tag === PACKET_TAG.SKESK)!;
    // v6 SKESK body: version, count, cipher, AEAD, S2K length, type 4, salt[16], t, p, m.
    const memoryAt = lock.bodyStart + 24;
    expect(payload[memoryAt]).toBe(LIGHT_CRYPTO_CONFIG.argon2!.memoryExponent);
    const bomb = payload.slice();
    bomb[memoryAt] = memoryExponent;
    return bomb;
  }

  for (const memoryExponent of [21, 30]) {
    it(`refuses m = 2^${memoryExponent} KiB as unsupported, quickly and without allocating it`, async () => {
      const bomb = await payloadAskingForMemoryExponent(memoryExponent);
      const before = process.memoryUsage().rss;
      const started = performance.now();
      expect(await openWithPassword({ payload: bomb, password: 'CODE' })).toEqual({
        ok: false,
        reason: 'unsupported',
      });
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
    });
  }

  it('applies a tighter cap given in config (production m=2^16 refused under a 2^12 cap)', async () => {
    const payload = await sealPayload({
      plaintext: new TextEncoder().encode('x'),
      passwords: ['CODE'],
      encryptionKeys: [],
    });
    expect(
      await openWithPassword({
        payload,
        password: 'CODE',
        config: { maxArgon2MemoryExponent: 12 },
      }),
    ).toEqual({ ok: false, reason: 'unsupported' });
  });
});
