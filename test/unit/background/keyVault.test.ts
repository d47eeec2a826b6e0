import * as openpgp from 'openpgp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  changePassphrase,
  keyProtectionView,
  lockSenderKeys,
  removePassphrase,
  setPassphrase,
  unlockSenderKeys,
} from '../../../src/background/keyVault.ts';
import { saveRecipientSettings } from '../../../src/background/recipientStore.ts';
import { handleBeforeSend } from '../../../src/background/sealOnSend.ts';
import { setSecure } from '../../../src/background/secureMode.ts';
import { getSenderKey } from '../../../src/background/senderKey.ts';
import { openSecureMessage } from '../../../src/background/sentCopy.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

const PASSPHRASE = 'lantern quarry mosaic';
const ALICE = 'alice@example.test';
let nextTab = 10;

/** Sends a sealed message from `from` and files it as Sent message `sentId`. */
async function sendSealed(host: FakeThunderbirdHost, sentId: number, from?: string) {
  const tab = nextTab++;
  host.openCompose(tab, {
    to: ['bob@partner.example'],
    subject: `Report ${sentId}`,
    plainTextBody: `Only for Bob: REPORT-${sentId}.`,
    ...(from ? { from } : {}),
  });
  await saveRecipientSettings(host.local, 'bob@partner.example', {
    method: 'code',
    code: 'K7QM-X2PA-9FHT-3WBN-QX4D',
  });
  await setSecure(host, tab, true);
  expect((await handleBeforeSend(host, tab)).cancel).toBeUndefined();
  host.fileAsSent(tab, sentId);
}

/** Everything the add-on keeps on disk (`storage.local`), as one text. */
const onDisk = (host: FakeThunderbirdHost) => JSON.stringify([...host.local.data]);

/**
 * Fingerprints of the private keys on disk whose secret material is readable without a
 * passphrase (the key vault is stored as a private key too, but encrypted).
 */
async function clearPrivateKeysOnDisk(host: FakeThunderbirdHost): Promise<string[]> {
  const blocks =
    onDisk(host).match(
      /-----BEGIN PGP PRIVATE KEY BLOCK-----.*?-----END PGP PRIVATE KEY BLOCK-----/g,
    ) ?? [];
  const clear: string[] = [];
  for (const block of blocks) {
    const key = await openpgp.readPrivateKey({ armoredKey: JSON.parse(`"${block}"`) as string });
    const parts = key.getKeys().map((part) => part.keyPacket as openpgp.SecretKeyPacket);
    if (parts.some((packet) => packet.isDecrypted() !== false)) clear.push(key.getFingerprint());
  }
  return clear;
}
const inMemory = (host: FakeThunderbirdHost) => JSON.stringify([...host.session.data]);

afterEach(() => vi.useRealTimers());

describe('a passphrase protects the sender key', () => {
  it('locks the stored key, refuses a wrong passphrase, and the right one opens the Sent copy', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host, 501);
    expect(await clearPrivateKeysOnDisk(host)).toHaveLength(1);
    expect(await keyProtectionView(host)).toEqual({ protected: false, unlocked: false });

    expect(await setPassphrase(host, 'short')).toEqual({ ok: false, reason: 'too-short' });
    expect(await setPassphrase(host, PASSPHRASE)).toEqual({
      ok: true,
      view: { protected: true, unlocked: false },
    });
    // On disk: no private key in clear, and nothing that is the passphrase.
    expect(await clearPrivateKeysOnDisk(host)).toEqual([]);
    expect(onDisk(host)).not.toContain(PASSPHRASE);
    const stored = await getSenderKey(host.local, ALICE);
    expect(stored?.armoredPrivateKey).toBeUndefined();
    expect(stored?.wrappedPrivateKey).toEqual(expect.any(String));
    expect(stored?.armoredPublicKey).toContain('PUBLIC KEY BLOCK');
    expect(await setPassphrase(host, 'another passphrase')).toEqual({
      ok: false,
      reason: 'already-protected',
    });

    expect(await openSecureMessage(host, 501)).toEqual({ ok: false, reason: 'locked' });
    expect(await unlockSenderKeys(host, 'lantern quarry')).toEqual({
      ok: false,
      reason: 'wrong-passphrase',
    });
    expect(await openSecureMessage(host, 501)).toEqual({ ok: false, reason: 'locked' });
    expect(await unlockSenderKeys(host, PASSPHRASE)).toEqual({
      ok: true,
      view: { protected: true, unlocked: true },
    });
    const copy = await openSecureMessage(host, 501);
    expect(copy.ok && copy.envelope.sender.address).toBe(ALICE);
    // The session keeps the unlocked vault key, never the passphrase.
    expect(inMemory(host)).not.toContain(PASSPHRASE);

    expect(await lockSenderKeys(host)).toEqual({ protected: true, unlocked: false });
    expect(await openSecureMessage(host, 501)).toEqual({ ok: false, reason: 'locked' });
  });

  it('still seals while locked, with the public key only, also for a new identity', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host, 601);
    await setPassphrase(host, PASSPHRASE);
    // Locked: sending needs no passphrase, and a first send from another address makes a key
    // whose private part reaches the disk only wrapped.
    await sendSealed(host, 602);
    await sendSealed(host, 603, 'Carol <carol@example.test>');
    expect(await clearPrivateKeysOnDisk(host)).toEqual([]);
    const carol = await getSenderKey(host.local, 'carol@example.test');
    expect(carol?.wrappedPrivateKey).toEqual(expect.any(String));

    expect(await openSecureMessage(host, 603)).toEqual({ ok: false, reason: 'locked' });
    await unlockSenderKeys(host, PASSPHRASE);
    for (const sentId of [601, 602, 603]) {
      const copy = await openSecureMessage(host, sentId);
      expect(copy.ok, `sent message ${sentId}`).toBe(true);
    }
  });

  it('changes the passphrase with the current one; the old one stops working', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host, 701);
    await setPassphrase(host, PASSPHRASE);
    expect(await changePassphrase(host, 'wrong guess here', 'copper kettle meadow')).toEqual({
      ok: false,
      reason: 'wrong-passphrase',
    });
    expect(await changePassphrase(host, PASSPHRASE, 'tiny')).toEqual({
      ok: false,
      reason: 'too-short',
    });
    expect((await changePassphrase(host, PASSPHRASE, 'copper kettle meadow')).ok).toBe(true);
    expect(await clearPrivateKeysOnDisk(host)).toEqual([]);
    expect(await unlockSenderKeys(host, PASSPHRASE)).toEqual({
      ok: false,
      reason: 'wrong-passphrase',
    });
    expect((await unlockSenderKeys(host, 'copper kettle meadow')).ok).toBe(true);
    expect((await openSecureMessage(host, 701)).ok).toBe(true);
  });

  it('removes the passphrase with the current one: keys in clear again, no session needed', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host, 801);
    expect(await removePassphrase(host, PASSPHRASE)).toEqual({
      ok: false,
      reason: 'not-protected',
    });
    await setPassphrase(host, PASSPHRASE);
    await sendSealed(host, 802, 'Carol <carol@example.test>');
    expect(await removePassphrase(host, 'not the passphrase')).toEqual({
      ok: false,
      reason: 'wrong-passphrase',
    });
    expect(await removePassphrase(host, PASSPHRASE)).toEqual({
      ok: true,
      view: { protected: false, unlocked: false },
    });
    expect((await getSenderKey(host.local, ALICE))?.armoredPrivateKey).toContain('PRIVATE KEY');
    expect((await getSenderKey(host.local, 'carol@example.test'))?.wrappedPrivateKey).toBe(
      undefined,
    );
    expect((await openSecureMessage(host, 801)).ok).toBe(true);
    expect((await openSecureMessage(host, 802)).ok).toBe(true);
  });

  it('makes the sender wait after repeated wrong passphrases, without checking meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
    const host = new FakeThunderbirdHost();
    await setPassphrase(host, PASSPHRASE);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await unlockSenderKeys(host, `guess ${attempt}`)).ok).toBe(false);
    }
    // Even the right passphrase is not checked while the sender must wait.
    expect(await unlockSenderKeys(host, PASSPHRASE)).toEqual({
      ok: false,
      reason: 'wait',
      retryAfterSeconds: 5,
    });
    expect(await removePassphrase(host, PASSPHRASE)).toMatchObject({ reason: 'wait' });
    vi.setSystemTime(new Date('2026-12-01T10:00:05Z'));
    expect(await unlockSenderKeys(host, PASSPHRASE)).toMatchObject({ ok: true });
    // A right passphrase starts the count again.
    expect(await unlockSenderKeys(host, 'guess again')).toMatchObject({
      reason: 'wrong-passphrase',
    });
  });
});
