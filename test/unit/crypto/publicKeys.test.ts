/** What counts as a usable account key (docs/keys.md, "Only usable keys count"). */
import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { inspectPublicKey } from '../../../src/crypto/index.ts';

const NOW = new Date('2026-12-05T10:00:00Z');
const make = (options: Partial<Parameters<typeof openpgp.generateKey>[0]> = {}) =>
  openpgp.generateKey({
    type: 'curve25519',
    userIDs: [{ name: 'Bob', email: 'bob@partner.example' }],
    date: new Date('2026-01-01T00:00:00Z'),
    config: { v6Keys: true },
    ...options,
  } as Parameters<typeof openpgp.generateKey>[0] & { format?: 'armored' });

describe('inspectPublicKey', () => {
  it('reads a v6 key (armored and binary): fingerprint, user IDs, SEIPDv2', async () => {
    const { publicKey } = await make();
    const binary = (await openpgp.readKey({ armoredKey: publicKey })).write();
    for (const key of [publicKey, binary]) {
      const inspected = await inspectPublicKey({ key, date: NOW });
      expect(inspected.ok).toBe(true);
      if (!inspected.ok) return;
      expect(inspected.key.version).toBe(6);
      expect(inspected.key.fingerprint).toMatch(/^[0-9A-F]{64}$/);
      expect(inspected.key.addresses).toEqual(['bob@partner.example']);
      expect(inspected.key.seipdv2).toBe(true);
      expect(inspected.key.expiresAt).toBeNull();
    }
  });

  it('reads a v4 key without SEIPDv2 as such', async () => {
    const { publicKey } = await make({
      type: 'ecc',
      curve: 'curve25519Legacy',
      config: { v6Keys: false, aeadProtect: false },
    });
    const inspected = await inspectPublicKey({ key: publicKey, date: NOW });
    expect(inspected.ok && [inspected.key.version, inspected.key.seipdv2]).toEqual([4, false]);
    expect(inspected.ok && inspected.key.fingerprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it('refuses a private key, an expired, a revoked and an unreadable one', async () => {
    const pair = await make();
    expect(await inspectPublicKey({ key: pair.privateKey, date: NOW })).toEqual({
      ok: false,
      problem: 'private',
    });
    const expiring = await make({ keyExpirationTime: 3600 });
    expect(await inspectPublicKey({ key: expiring.publicKey, date: NOW })).toEqual({
      ok: false,
      problem: 'expired',
    });
    const revoked = await openpgp.revokeKey({
      key: await openpgp.readPrivateKey({ armoredKey: pair.privateKey }),
      date: new Date('2026-06-01T00:00:00Z'),
    });
    expect(await inspectPublicKey({ key: revoked.publicKey, date: NOW })).toEqual({
      ok: false,
      problem: 'revoked',
    });
    expect(await inspectPublicKey({ key: 'hello', date: NOW })).toEqual({
      ok: false,
      problem: 'unreadable',
    });
  });

  it('refuses a key for another address, and keeps only the asked address of one with several', async () => {
    const { publicKey } = await make({
      userIDs: [
        { name: 'Bob', email: 'bob@partner.example' },
        { name: 'Bob private', email: 'bob.home@mail.example' },
      ],
    });
    expect(
      await inspectPublicKey({ key: publicKey, address: 'carol@partner.example', date: NOW }),
    ).toEqual({ ok: false, problem: 'wrong-address' });
    const inspected = await inspectPublicKey({
      key: publicKey,
      address: 'Bob@Partner.example',
      date: NOW,
    });
    expect(inspected.ok).toBe(true);
    if (!inspected.ok) return;
    expect(inspected.key.userIds).toEqual(['Bob <bob@partner.example>']);
    const kept = await openpgp.readKey({ armoredKey: inspected.key.armored });
    expect(kept.getUserIDs()).toEqual(['Bob <bob@partner.example>']);
    // Still a key to seal to.
    expect(await kept.getEncryptionKey(undefined, NOW)).toBeTruthy();
  });
});
