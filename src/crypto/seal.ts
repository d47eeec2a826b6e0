import * as openpgp from 'openpgp';
import { rejectUnknownOptions } from './options.ts';
import { sealingOpenpgpConfig, type SealCryptoConfig } from './config.ts';

export interface SealPayloadOptions {
  plaintext: Uint8Array;
  /** One password per code lock; each gets its own SKESK v6 with Argon2id S2K and its own salt. */
  passwords: string[];
  /** Armored v6 public keys (the sender's own, later recipients' account keys). */
  encryptionKeys: string[];
  /** Time written into the literal data packet and used to check the keys. */
  date?: Date;
  /** Lighter Argon2 in tests only; production callers leave it out. */
  config?: SealCryptoConfig;
}

/**
 * Encrypts `plaintext` once, under one random AES-256 session key, as a binary RFC 9580
 * message: one SKESK v6 (Argon2id) per password, one PKESK v6 per key, then one SEIPDv2
 * (AES-256-GCM) packet holding the compressed literal data.
 *
 * Throws when a key cannot take part in SEIPDv2 (a v4 key without the SEIPDv2 feature):
 * openpgp.js would otherwise silently downgrade the whole message, password locks included,
 * to SEIPDv1 (the mixing problem in THUNDERBIRD-TESTING.md). Such recipients need a separate
 * payload, which this function does not produce.
 */
export async function sealPayload(options: SealPayloadOptions): Promise<Uint8Array> {
  rejectUnknownOptions('sealPayload', options, [
    'plaintext',
    'passwords',
    'encryptionKeys',
    'date',
    'config',
  ]);
  const { plaintext, passwords, encryptionKeys: armoredKeys } = options;
  if (!(plaintext instanceof Uint8Array))
    throw new TypeError('sealPayload: plaintext must be bytes');
  if (passwords.length === 0 && armoredKeys.length === 0) {
    throw new Error('sealPayload: at least one password or key is needed');
  }
  if (passwords.some((password) => typeof password !== 'string' || password.length === 0)) {
    throw new Error('sealPayload: passwords must be non-empty strings');
  }
  if (new Set(passwords).size !== passwords.length) {
    // openpgp.js would write two SKESKs for one password; the caller is expected to dedupe.
    throw new Error('sealPayload: duplicate password');
  }
  const config = sealingOpenpgpConfig(options.config);
  const date = options.date ?? new Date();
  const encryptionKeys = await Promise.all(
    armoredKeys.map((armoredKey) => openpgp.readKey({ armoredKey, config })),
  );
  const sessionKey = await openpgp.generateSessionKey({ encryptionKeys, date, config });
  if (sessionKey.aeadAlgorithm === undefined || sessionKey.algorithm !== 'aes256') {
    throw new Error(
      'sealPayload: every key must support SEIPDv2 with AES-256 (v6 key); ' +
        `got ${sessionKey.algorithm}/${sessionKey.aeadAlgorithm ?? 'no AEAD'}`,
    );
  }
  const message = await openpgp.createMessage({ binary: plaintext, date, format: 'binary' });
  return openpgp.encrypt({
    message,
    passwords,
    encryptionKeys,
    sessionKey,
    date,
    format: 'binary',
    config,
  });
}
