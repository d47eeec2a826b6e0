import { describe, expect, it } from 'vitest';
import { setPassphrase } from '../../../src/background/keyVault.ts';
import { handleRequest } from '../../../src/background/requests.ts';
import { ensureSenderKey, getSenderKey } from '../../../src/background/senderKey.ts';
import type { RequestName, Requests } from '../../../src/messaging/protocol.ts';
import { backupFileName, KeyBackupStore } from '../../../src/options/keyBackupStore.svelte.ts';
import { KeyProtectionStore } from '../../../src/options/keyProtectionStore.svelte.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

const ALICE = { name: 'Alice', address: 'alice@example.test' };
const VAULT_PASSPHRASE = 'lantern quarry mosaic';
const BACKUP_PASSPHRASE = 'granite puffin orchard sleeve';

/** The backup part of the key section against the real background over the fake host. */
function setup(host = new FakeThunderbirdHost()) {
  const requests: RequestName[] = [];
  const downloads: { fileName: string; text: string }[] = [];
  const ports = {
    async request<K extends RequestName>(name: K, payload: Requests[K]['req']) {
      requests.push(name);
      const answer = await handleRequest(host, { sealpost: 1, name, payload });
      if (!answer.ok) throw new Error(answer.error);
      return answer.value as Requests[K]['res'];
    },
    translate: (key: string, substitutions: readonly string[] = []) =>
      [key, ...substitutions].join(':'),
  };
  const protection = new KeyProtectionStore(ports);
  const backup = new KeyBackupStore(
    { ...ports, download: (fileName, text) => downloads.push({ fileName, text }) },
    protection,
  );
  return { host, protection, backup, requests, downloads };
}

describe('KeyBackupStore (options page)', () => {
  it('checks the backup passphrase in the page, unlocks first, and downloads the backup', async () => {
    const { host, protection, backup, requests, downloads } = setup();
    await ensureSenderKey(host.local, ALICE);
    await setPassphrase(host, VAULT_PASSPHRASE);
    await protection.load();
    expect(backup.needsUnlock).toBe(true);

    backup.open('export');
    backup.passphrase = backup.confirmation = 'eleven char';
    await backup.exportBackup();
    expect(backup.error).toBe('passphraseTooShort:12');
    backup.passphrase = BACKUP_PASSPHRASE;
    backup.confirmation = 'granite puffin orchard';
    await backup.exportBackup();
    expect(backup.error).toBe('passphraseMismatch');
    expect(requests).toEqual(['getKeyProtection']);

    backup.passphrase = backup.confirmation = BACKUP_PASSPHRASE;
    backup.vaultPassphrase = 'lantern quarry';
    await backup.exportBackup();
    expect(backup.error).toBe('passphraseWrong');
    expect([backup.passphrase, backup.confirmation, backup.vaultPassphrase]).toEqual(['', '', '']);
    expect(downloads).toEqual([]);

    backup.passphrase = backup.confirmation = BACKUP_PASSPHRASE;
    backup.vaultPassphrase = VAULT_PASSPHRASE;
    await backup.exportBackup();
    expect(backup.error).toBeNull();
    expect(protection.view).toEqual({ protected: true, unlocked: true });
    expect(backup.needsUnlock).toBe(false);
    expect(downloads.map((download) => download.fileName)).toEqual([
      'sealpost-key-alice@example.test.asc',
    ]);
    expect(downloads[0]?.text).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----/);
    expect(backup.mode).toBe('idle');
    expect(backup.notice).toBe('optionsBackupSaved:sealpost-key-alice@example.test.asc');
  });

  it('restores a backup, asking before it replaces a different key', async () => {
    const old = setup();
    await ensureSenderKey(old.host.local, ALICE);
    old.backup.open('export');
    old.backup.passphrase = old.backup.confirmation = BACKUP_PASSPHRASE;
    await old.backup.exportBackup();
    const file = { name: 'sealpost-key-alice@example.test.asc', text: old.downloads[0]!.text };
    const oldFingerprint = (await getSenderKey(old.host.local, ALICE.address))?.fingerprint;

    const fresh = setup();
    await ensureSenderKey(fresh.host.local, ALICE);
    fresh.backup.open('restore');
    await fresh.backup.restoreBackup();
    expect(fresh.backup.error).toBe('optionsBackupChooseFile');

    fresh.backup.chooseFile(file);
    fresh.backup.passphrase = 'granite puffin';
    await fresh.backup.restoreBackup();
    expect(fresh.backup.error).toBe('optionsBackupWrongPassphrase');
    expect(fresh.backup.restoreFileName).toBe(file.name);

    fresh.backup.passphrase = BACKUP_PASSPHRASE;
    await fresh.backup.restoreBackup();
    expect(fresh.backup.replaceAddresses).toEqual([ALICE.address]);
    fresh.backup.cancelReplace();
    expect(fresh.backup.notice).toBe('optionsBackupNotRestored');
    expect((await getSenderKey(fresh.host.local, ALICE.address))?.fingerprint).not.toBe(
      oldFingerprint,
    );

    fresh.backup.passphrase = BACKUP_PASSPHRASE;
    await fresh.backup.restoreBackup();
    await fresh.backup.confirmReplace();
    expect(fresh.backup.error).toBeNull();
    expect(fresh.backup.notice).toBe(`optionsBackupRestored:${ALICE.address}`);
    expect(fresh.backup.mode).toBe('idle');
    expect((await getSenderKey(fresh.host.local, ALICE.address))?.fingerprint).toBe(oldFingerprint);
  });

  it('names the file after the address, safely', () => {
    expect(backupFileName(['alice@example.test'])).toBe('sealpost-key-alice@example.test.asc');
    expect(backupFileName(['a/b\\c@example.test'])).toBe('sealpost-key-a_b_c@example.test.asc');
    expect(backupFileName(['a@example.test', 'b@example.test'])).toBe('sealpost-keys.asc');
  });
});
