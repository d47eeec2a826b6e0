import { describe, expect, it } from 'vitest';
import { DEFAULT_OPEN_LIMITS, openWithPassword, sealPayload } from '../../src/crypto/index.ts';
import { LIGHT_CRYPTO_CONFIG } from '../unit/crypto/testCrypto.ts';

/** A small compressed payload that expands enormously must stop at the cap: too-large. */
describe('attack: decompression bomb', () => {
  it('stops expanding at maxDecompressedMessageSize and reports too-large', async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const bomb = await sealPayload({
      plaintext: zeros,
      passwords: ['CODE'],
      encryptionKeys: [],
      config: LIGHT_CRYPTO_CONFIG,
    });
    expect(bomb.length).toBeLessThan(64 * 1024); // 8 MiB of zeros deflate to a few KiB
    expect(
      await openWithPassword({
        payload: bomb,
        password: 'CODE',
        config: { maxDecompressedMessageSize: 1024 * 1024 },
      }),
    ).toEqual({ ok: false, reason: 'too-large' });
    // Under the default cap (256 MiB) the same honest payload opens.
    const opened = await openWithPassword({ payload: bomb, password: 'CODE' });
    expect(opened.ok && opened.plaintext.length).toBe(zeros.length);
    expect(DEFAULT_OPEN_LIMITS.maxDecompressedMessageSize).toBe(256 * 1024 * 1024);
  });
});
