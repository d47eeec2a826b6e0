import * as openpgp from 'openpgp';
import { rejectUnknownOptions } from './options.ts';
import { sealingOpenpgpConfig } from './config.ts';

export interface SenderKeyOptions {
  name: string;
  address: string;
  /** Creation time of the key (tests pin it). */
  date?: Date;
}

export interface SenderKey {
  armoredPrivateKey: string;
  armoredPublicKey: string;
  /** Upper-case hex v6 fingerprint (64 characters). */
  fingerprint: string;
}

/**
 * Generates the sender's own key: v6, Ed25519 primary + X25519 subkey (RFC 9580), preferring
 * SEIPDv2 with AES-256/GCM so a payload that mixes it with password locks stays one SEIPDv2
 * message. The private key is unencrypted: the add-on keeps it in its own storage.
 */
export async function generateSenderKey(options: SenderKeyOptions): Promise<SenderKey> {
  rejectUnknownOptions('generateSenderKey', options, ['name', 'address', 'date']);
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'curve25519',
    userIDs: [{ name: options.name, email: options.address }],
    date: options.date ?? new Date(),
    format: 'armored',
    config: sealingOpenpgpConfig(),
  });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return {
    armoredPrivateKey: privateKey,
    armoredPublicKey: publicKey,
    fingerprint: key.getFingerprint().toUpperCase(),
  };
}
