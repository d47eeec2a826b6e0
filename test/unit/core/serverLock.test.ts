import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveLockPassword, generateLockId, generateShare } from '../../../src/core/serverLock.ts';

const base = {
  messageId: '5b0f7c1e-2d4a-4f7b-9a51-0c6e8d2f3a41',
  lockId: 'abc',
  mailShare: generateShare(),
  serverShare: generateShare(),
};

describe('deriveLockPassword', () => {
  it('is deterministic and depends on every input', async () => {
    const first = await deriveLockPassword(base);
    expect(first).toEqual(await deriveLockPassword({ ...base }));
    expect(first.ok && first.password).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const variants = await Promise.all([
      deriveLockPassword({ ...base, messageId: 'other' }),
      deriveLockPassword({ ...base, lockId: 'abd' }),
      deriveLockPassword({ ...base, mailShare: generateShare() }),
      deriveLockPassword({ ...base, serverShare: generateShare() }),
      deriveLockPassword({ ...base, accessCode: 'K7QM' }),
    ]);
    for (const variant of variants) expect(variant).not.toEqual(first);
  });

  it('matches the documented formula (known answer, computed independently with node:crypto)', async () => {
    const mailShare = Buffer.alloc(32, 0x11);
    const serverShare = Buffer.alloc(32, 0x22);
    const derived = await deriveLockPassword({
      messageId: base.messageId,
      lockId: 'lock-1',
      mailShare: mailShare.toString('base64'),
      serverShare: serverShare.toString('base64'),
      accessCode: 'ab-12 cd',
    });
    const expected = Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.concat([mailShare, serverShare, Buffer.from('AB12CD')]),
        Buffer.from(base.messageId),
        Buffer.from('sealpost-lock-v1:lock-1'),
        32,
      ),
    ).toString('base64');
    expect(derived).toEqual({ ok: true, password: expected });
  });

  it('depends on the code itself, not only its length', async () => {
    const first = await deriveLockPassword({ ...base, accessCode: 'K7QM-X2PA' });
    const second = await deriveLockPassword({ ...base, accessCode: 'K7QM-X2PB' });
    expect(first.ok && second.ok).toBe(true);
    expect(first).not.toEqual(second);
  });

  it('normalises the access code like the reader does', async () => {
    expect(await deriveLockPassword({ ...base, accessCode: ' k7qm-x2pa ' })).toEqual(
      await deriveLockPassword({ ...base, accessCode: 'K7QMX2PA' }),
    );
  });

  it('refuses shares of the wrong size as damaged', async () => {
    expect(await deriveLockPassword({ ...base, mailShare: 'AAAA' })).toEqual({
      ok: false,
      reason: 'damaged',
    });
    expect(await deriveLockPassword({ ...base, serverShare: 'not base64!' })).toEqual({
      ok: false,
      reason: 'damaged',
    });
  });
});

describe('generateLockId', () => {
  it('is url-safe and unique', () => {
    const ids = new Set(Array.from({ length: 50 }, () => generateLockId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
