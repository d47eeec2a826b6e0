import { beforeAll, describe, expect, it } from 'vitest';
import { openWithPassword, sealPayload } from '../../src/crypto/index.ts';
import { LIGHT_CRYPTO_CONFIG, PACKET_TAG, walkPackets } from '../unit/crypto/testCrypto.ts';

/** AEAD (SEIPDv2) must reject any altered byte of the encrypted data: damaged, never plaintext. */
describe('attack: tampering', () => {
  let payload: Uint8Array;
  let dataBodyStart: number;
  beforeAll(async () => {
    payload = await sealPayload({
      plaintext: new TextEncoder().encode('Pay 100 EUR to DE00 1234. '.repeat(2000)),
      passwords: ['CODE'],
      encryptionKeys: [],
      config: LIGHT_CRYPTO_CONFIG,
    });
    dataBodyStart = walkPackets(payload).find(
      (packet) => packet.tag === PACKET_TAG.SEIPD,
    )!.bodyStart;
  });

  function flipped(at: number): Uint8Array {
    const copy = payload.slice();
    copy[at] = copy[at]! ^ 0x01;
    return copy;
  }

  it('reports damaged for a flipped bit in the ciphertext, its salt or its final tag', async () => {
    // SEIPDv2 body: version, cipher, AEAD, chunk size, salt[32], chunks with tags, final tag.
    const positions = [
      dataBodyStart + 4,
      dataBodyStart + 40,
      dataBodyStart + 200,
      payload.length - 20,
      payload.length - 1,
    ];
    for (const at of positions) {
      expect(
        await openWithPassword({ payload: flipped(at), password: 'CODE' }),
        `byte ${at}`,
      ).toEqual({
        ok: false,
        reason: 'damaged',
      });
    }
  });

  it('reports damaged when the data packet is swapped for another message’s', async () => {
    const other = await sealPayload({
      plaintext: new TextEncoder().encode('Pay 9999 EUR to attacker'),
      passwords: ['OTHER'],
      encryptionKeys: [],
      config: LIGHT_CRYPTO_CONFIG,
    });
    const otherData = other.subarray(
      walkPackets(other).find((packet) => packet.tag === PACKET_TAG.SEIPD)!.headerStart,
    );
    const ownLocks = payload.subarray(
      0,
      walkPackets(payload).find((packet) => packet.tag === PACKET_TAG.SEIPD)!.headerStart,
    );
    const spliced = new Uint8Array([...ownLocks, ...otherData]);
    expect(await openWithPassword({ payload: spliced, password: 'CODE' })).toEqual({
      ok: false,
      reason: 'damaged',
    });
  });

  it('refuses an altered password lock (its AEAD fails like a wrong code)', async () => {
    const lock = walkPackets(payload).find((packet) => packet.tag === PACKET_TAG.SKESK)!;
    const result = await openWithPassword({
      payload: flipped(lock.bodyStart + lock.bodyLength - 3),
      password: 'CODE',
    });
    expect(result.ok).toBe(false);
  });
});
