import { describe, expect, it } from 'vitest';
import { DEFAULT_OPEN_LIMITS, openWithPassword, sealPayload } from '../../src/crypto/index.ts';
import { LIGHT_CRYPTO_CONFIG } from '../unit/crypto/testCrypto.ts';

/**
 * A payload with thousands of password locks would make the reader run Argon2 thousands of
 * times. Above maxPasswordLocks it is refused before any derivation.
 */
describe('attack: password lock flood', () => {
  it('refuses more password locks than the cap as unsupported', async () => {
    const passwords = Array.from(
      { length: DEFAULT_OPEN_LIMITS.maxPasswordLocks + 1 },
      (_, index) => `CODE${index}`,
    );
    const flood = await sealPayload({
      plaintext: new TextEncoder().encode('x'),
      passwords,
      encryptionKeys: [],
      config: LIGHT_CRYPTO_CONFIG,
    });
    expect(await openWithPassword({ payload: flood, password: 'CODE0' })).toEqual({
      ok: false,
      reason: 'unsupported',
    });
    expect(
      await openWithPassword({
        payload: flood,
        password: 'CODE0',
        config: { maxPasswordLocks: 100 },
      }),
    ).toMatchObject({
      ok: true,
    });
  });
});
