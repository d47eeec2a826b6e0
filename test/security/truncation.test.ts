import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  openWithPassword,
  openWithPrivateKey,
  sealPayload,
  generateSenderKey,
  type SenderKey,
} from '../../src/crypto/index.ts';
import { LIGHT_CRYPTO_CONFIG, PACKET_TAG, walkPackets } from '../unit/crypto/testCrypto.ts';

/** A payload cut short (a mail client or a download stopping early) must never open. */
describe('attack: truncation', () => {
  let sender: SenderKey;
  let payload: Uint8Array;
  beforeAll(async () => {
    sender = await generateSenderKey({ name: 'A', address: 'a@example.test' });
    payload = await sealPayload({
      plaintext: new Uint8Array(randomBytes(200_000)),
      passwords: ['CODE'],
      encryptionKeys: [sender.armoredPublicKey],
      config: LIGHT_CRYPTO_CONFIG,
    });
  });

  it('reports damaged for cuts anywhere, with the right password', async () => {
    const dataStart = walkPackets(payload).find(
      (packet) => packet.tag === PACKET_TAG.SEIPD,
    )!.headerStart;
    const cuts = [
      1,
      10,
      dataStart - 1,
      dataStart,
      dataStart + 5,
      dataStart + 100,
      Math.floor(payload.length / 2),
      payload.length - 17,
      payload.length - 1,
    ];
    for (const cut of cuts) {
      const result = await openWithPassword({ payload: payload.slice(0, cut), password: 'CODE' });
      expect(result, `cut at ${cut} of ${payload.length}`).toEqual({
        ok: false,
        reason: 'damaged',
      });
    }
  });

  it('reports damaged when opening a truncated payload with the sender key', async () => {
    const result = await openWithPrivateKey({
      payload: payload.slice(0, payload.length - 1),
      armoredPrivateKey: sender.armoredPrivateKey,
    });
    expect(result).toEqual({ ok: false, reason: 'damaged' });
  });

  it('still opens the untouched payload (control)', async () => {
    expect(await openWithPassword({ payload, password: 'CODE' })).toMatchObject({ ok: true });
  });
});
