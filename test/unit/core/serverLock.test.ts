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
