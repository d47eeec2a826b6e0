/**
 * A recipient with a plain v4 key made by GnuPG opens a Sealpost payload with Debian's `gpg`
 * (2.2: no SEIPDv2, no Argon2), next to the sender's v6 key and password locks
 * (docs/envelope.md §4, "The compatible form").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSenderKey, sealPayload, type SenderKey } from '../../../src/crypto/index.ts';
import { GnupgHome } from '../../helpers/gnupg.ts';
import { LIGHT_CRYPTO_CONFIG } from './testCrypto.ts';

let gnupg: GnupgHome;
let gpgKey: string;
let sender: SenderKey;
const plaintext = new TextEncoder().encode('Subject: Figures\r\n\r\nFor the GnuPG user.\r\n');

beforeAll(async () => {
  gnupg = new GnupgHome();
  gpgKey = gnupg.generateKey('gpg-user@partner.example');
  sender = await generateSenderKey({ name: 'Alice', address: 'alice@example.test' });
});

afterAll(() => gnupg?.remove());

describe('gpg 2.2 decrypts a payload sealed to its v4 key', () => {
  it('with server-protected (derived) passwords beside it: without a complaint', async () => {
    const payload = await sealPayload({
      plaintext,
      passwords: ['ZGVyaXZlZC0yNTYtYml0LXNlY3JldC1zZWFscG9zdA=='],
      encryptionKeys: [sender.armoredPublicKey, gpgKey],
      derivedPasswords: true,
      config: LIGHT_CRYPTO_CONFIG,
    });
    const decrypted = gnupg.decrypt(payload);
    expect(decrypted.plaintext.toString('utf8')).toBe(new TextDecoder().decode(plaintext));
    expect(decrypted.status).toBe(0);
  });

  it('with a typed access code beside it: the plaintext, and gpg says it skipped the Argon2 lock', async () => {
    const payload = await sealPayload({
      plaintext,
      passwords: ['K7QMX2PA9FHT3WBN5RDE'],
      encryptionKeys: [sender.armoredPublicKey, gpgKey],
      config: LIGHT_CRYPTO_CONFIG,
    });
    const decrypted = gnupg.decrypt(payload);
    expect(decrypted.plaintext.toString('utf8')).toBe(new TextDecoder().decode(plaintext));
    // gpg 2.2 does not know S2K 4 (Argon2): it says so and exits 2 after writing the plaintext.
    expect(decrypted.log).toContain('unknown S2K mode 4');
  });

  it('as an anonymous recipient (a Bcc copy): gpg tries its keys and opens it', async () => {
    const payload = await sealPayload({
      plaintext,
      passwords: [],
      encryptionKeys: [sender.armoredPublicKey, gpgKey],
      anonymousKeys: true,
      config: LIGHT_CRYPTO_CONFIG,
    });
    const decrypted = gnupg.decrypt(payload);
    expect(decrypted.plaintext.toString('utf8')).toBe(new TextDecoder().decode(plaintext));
    expect(decrypted.log).toContain('anonymous recipient');
    expect(decrypted.status).toBe(0);
  });
});
