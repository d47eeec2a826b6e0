import { describe, expect, it } from 'vitest';
import { exportSenderKeys, restoreSenderKeys } from '../../../src/background/keyBackup.ts';
import {
  senderPrivateKey,
  setPassphrase,
  unlockSenderKeys,
} from '../../../src/background/keyVault.ts';
import { handleRequest } from '../../../src/background/requests.ts';
import { ensureSenderKey, getSenderKey } from '../../../src/background/senderKey.ts';
import { openWithPrivateKey, sealPayload } from '../../../src/crypto/index.ts';
import type { RequestName, Requests } from '../../../src/messaging/protocol.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';
import { LIGHT_CRYPTO_CONFIG } from '../crypto/testCrypto.ts';

const BACKUP_PASSPHRASE = 'granite puffin orchard sleeve';
const VAULT_PASSPHRASE = 'lantern quarry mosaic';
const ALICE = { name: 'Alice', address: 'alice@example.test' };
const CAROL = { name: 'Carol', address: 'carol@example.test' };
const light = { config: LIGHT_CRYPTO_CONFIG };

/** What a sent message's sender lock is: a payload sealed to the sender's public key. */
async function sealToSender(host: FakeThunderbirdHost, address: string, text: string) {
  const stored = await getSenderKey(host.local, address);
  if (!stored) throw new Error(`no sender key for ${address}`);
  return sealPayload({
    plaintext: new TextEncoder().encode(text),
    passwords: [],
    encryptionKeys: [stored.armoredPublicKey],
    config: LIGHT_CRYPTO_CONFIG,
  });
}

/** Opens `payload` with the sender key this host now keeps for `address`. */
async function openAsSender(host: FakeThunderbirdHost, address: string, payload: Uint8Array) {
  const lookup = await senderPrivateKey(host, address);
  if (lookup.state !== 'ready') return lookup.state;
  const opened = await openWithPrivateKey({ payload, armoredPrivateKey: lookup.armoredPrivateKey });
  return opened.ok ? new TextDecoder().decode(opened.plaintext) : opened.reason;
}

async function request<K extends RequestName>(
  host: FakeThunderbirdHost,
  name: K,
  payload: Requests[K]['req'],
): Promise<Requests[K]['res']> {
  const answer = await handleRequest(host, { sealpost: 1, name, payload });
  if (!answer.ok) throw new Error(answer.error);
  return answer.value as Requests[K]['res'];
}

describe('sender key backup (background)', () => {
  it('restores on a new profile the keys that open the old profile’s sent copies', async () => {
    const old = new FakeThunderbirdHost();
    await ensureSenderKey(old.local, ALICE);
    await ensureSenderKey(old.local, CAROL);
    const aliceCopy = await sealToSender(old, ALICE.address, 'Alice sent this');
    const carolCopy = await sealToSender(old, CAROL.address, 'Carol sent this');

    expect(await exportSenderKeys(old, 'too short', light)).toEqual({
      ok: false,
      reason: 'too-short',
    });
    const backup = await exportSenderKeys(old, BACKUP_PASSPHRASE, light);
    expect(backup.ok && backup.addresses).toEqual([ALICE.address, CAROL.address]);
    if (!backup.ok) return;

    const fresh = new FakeThunderbirdHost();
    expect(await openAsSender(fresh, ALICE.address, aliceCopy)).toBe('missing');
    expect(
      await request(fresh, 'restoreSenderKeys', {
        armored: backup.armored,
        passphrase: 'granite puffin',
      }),
    ).toEqual({ ok: false, reason: 'wrong-passphrase' });
    expect(
      await request(fresh, 'restoreSenderKeys', {
        armored: backup.armored,
        passphrase: BACKUP_PASSPHRASE,
      }),
    ).toEqual({ ok: true, addresses: [ALICE.address, CAROL.address] });
    expect(await openAsSender(fresh, ALICE.address, aliceCopy)).toBe('Alice sent this');
    expect(await openAsSender(fresh, CAROL.address, carolCopy)).toBe('Carol sent this');
    // The restored key is the sender key from now on: new messages seal to the same key.
    expect((await getSenderKey(fresh.local, ALICE.address))?.fingerprint).toBe(
      (await getSenderKey(old.local, ALICE.address))?.fingerprint,
    );
  });

  it('asks to unlock a protected key before exporting, and keeps a restored key wrapped', async () => {
    const old = new FakeThunderbirdHost();
    await ensureSenderKey(old.local, ALICE);
    const copy = await sealToSender(old, ALICE.address, 'protected copy');
    await setPassphrase(old, VAULT_PASSPHRASE);
    expect(await exportSenderKeys(old, BACKUP_PASSPHRASE, light)).toEqual({
      ok: false,
      reason: 'locked',
    });
    await unlockSenderKeys(old, VAULT_PASSPHRASE);
    const backup = await exportSenderKeys(old, BACKUP_PASSPHRASE, light);
    if (!backup.ok) throw new Error(backup.reason);

    // The new profile has a vault passphrase of its own, locked: restoring needs no unlocking.
    const fresh = new FakeThunderbirdHost();
    await setPassphrase(fresh, 'another vault passphrase');
    expect(await restoreSenderKeys(fresh, backup.armored, BACKUP_PASSPHRASE)).toEqual({
      ok: true,
      addresses: [ALICE.address],
    });
    const stored = await getSenderKey(fresh.local, ALICE.address);
    expect(stored?.armoredPrivateKey).toBeUndefined();
    expect(stored?.wrappedPrivateKey).toEqual(expect.any(String));
    expect(await openAsSender(fresh, ALICE.address, copy)).toBe('locked');
    await unlockSenderKeys(fresh, 'another vault passphrase');
    expect(await openAsSender(fresh, ALICE.address, copy)).toBe('protected copy');
  });

  it('replaces a different key of the same address only when asked to', async () => {
    const old = new FakeThunderbirdHost();
    await ensureSenderKey(old.local, ALICE);
    const oldCopy = await sealToSender(old, ALICE.address, 'from the old key');
    const backup = await exportSenderKeys(old, BACKUP_PASSPHRASE, light);
    if (!backup.ok) throw new Error(backup.reason);

    // Thunderbird was set up again and sent once before the backup was restored.
    const fresh = new FakeThunderbirdHost();
    await ensureSenderKey(fresh.local, ALICE);
    const newCopy = await sealToSender(fresh, ALICE.address, 'from the new key');
    expect(await restoreSenderKeys(fresh, backup.armored, BACKUP_PASSPHRASE)).toEqual({
      ok: false,
      reason: 'replace-needed',
      addresses: [ALICE.address],
    });
    expect(await openAsSender(fresh, ALICE.address, newCopy)).toBe('from the new key');

    expect(await restoreSenderKeys(fresh, backup.armored, BACKUP_PASSPHRASE, true)).toEqual({
      ok: true,
      addresses: [ALICE.address],
    });
    expect(await openAsSender(fresh, ALICE.address, oldCopy)).toBe('from the old key');
    expect(await openAsSender(fresh, ALICE.address, newCopy)).toBe('wrong-code');

    // The same key again is no replacement: nothing to confirm.
    expect(await restoreSenderKeys(fresh, backup.armored, BACKUP_PASSPHRASE)).toEqual({
      ok: true,
      addresses: [ALICE.address],
    });
  });

  it('has nothing to export before the first sealed message made a key', async () => {
    expect(await exportSenderKeys(new FakeThunderbirdHost(), BACKUP_PASSPHRASE, light)).toEqual({
      ok: false,
      reason: 'no-keys',
    });
  });

  it('refuses a public key as a backup', async () => {
    const host = new FakeThunderbirdHost();
    const stored = await ensureSenderKey(host.local, ALICE);
    expect(
      await request(host, 'restoreSenderKeys', {
        armored: stored.armoredPublicKey,
        passphrase: BACKUP_PASSPHRASE,
      }),
    ).toEqual({ ok: false, reason: 'not-private' });
  });
});
