import { describe, expect, it } from 'vitest';
import { openWithPassword, sealPayload } from '../../src/crypto/index.ts';
import { LIGHT_CRYPTO_CONFIG, PACKET_TAG, walkPackets } from '../unit/crypto/testCrypto.ts';

/** Packet versions from the future (or forged) are reported as unsupported, not as a crash. */
describe('attack: unknown packet versions', () => {
  async function sealed(): Promise<Uint8Array> {
    return sealPayload({
      plaintext: new TextEncoder().encode('x'.repeat(1000)),
      passwords: ['CODE'],
      encryptionKeys: [],
      config: LIGHT_CRYPTO_CONFIG,
    });
  }

  it('reports unsupported for an unknown SEIPD version', async () => {
    const payload = await sealed();
    const data = walkPackets(payload).find((packet) => packet.tag === PACKET_TAG.SEIPD)!;
    payload[data.bodyStart] = 3;
    expect(await openWithPassword({ payload, password: 'CODE' })).toEqual({
      ok: false,
      reason: 'unsupported',
    });
  });

  it('reports unsupported for an unknown SKESK version', async () => {
    const payload = await sealed();
    const lock = walkPackets(payload).find((packet) => packet.tag === PACKET_TAG.SKESK)!;
    payload[lock.bodyStart] = 7;
    expect(await openWithPassword({ payload, password: 'CODE' })).toEqual({
      ok: false,
      reason: 'unsupported',
    });
  });

  it('reports unsupported for an unknown AEAD algorithm', async () => {
    const payload = await sealed();
    const data = walkPackets(payload).find((packet) => packet.tag === PACKET_TAG.SEIPD)!;
    payload[data.bodyStart + 2] = 99;
    const result = await openWithPassword({ payload, password: 'CODE' });
    expect(result.ok).toBe(false);
    expect(['unsupported', 'damaged']).toContain(!result.ok && result.reason);
  });
});
