import { describe, expect, it } from 'vitest';
import { buildMethodMenu } from '../../../src/core/methodMenuBuilder.ts';
import {
  countryFromLocale,
  effectiveSettings,
  isE164,
  parsePhone,
} from '../../../src/core/recipientDirectory.ts';
import type { DirectoryEntry } from '../../../src/core/serverApi.ts';

const address = 'bob@partner.example';
const entry = (changes: Partial<DirectoryEntry>): DirectoryEntry => ({
  address,
  method: null,
  phone: null,
  orgCode: null,
  language: null,
  updatedAt: '2026-11-27T08:00:00.000Z',
  updatedBy: 'carol@example.test',
  ...changes,
});

describe('effectiveSettings', () => {
  it("adopts a colleague's organisation code, number or email choice when the sender chose nothing", () => {
    expect(
      effectiveSettings(
        address,
        null,
        entry({ method: 'org-code', orgCode: 'ORG-2468', language: 'nl' }),
      ),
    ).toMatchObject({ method: 'org-code', code: 'ORG-2468', language: 'nl' });
    expect(
      effectiveSettings(address, null, entry({ method: 'sms', phone: '+31612345678' })),
    ).toMatchObject({ method: 'sms', phone: '+31612345678' });
    expect(effectiveSettings(address, null, entry({ method: 'email' }))).toMatchObject({
      method: 'email',
    });
    expect(effectiveSettings(address, null, entry({ method: 'code' }))).toBeNull();
  });

  it("keeps the sender's own choice, but takes a colleague's newer organisation code", () => {
    const local = {
      address,
      method: 'code' as const,
      code: 'MINE-1234',
      updatedAt: '2026-11-27T09:00:00.000Z',
    };
    expect(effectiveSettings(address, local, entry({ method: 'org-code', orgCode: 'ORG' }))).toBe(
      local,
    );
    const olderOrg = {
      address,
      method: 'org-code' as const,
      code: 'OLD-CODE',
      updatedAt: '2026-11-27T07:00:00.000Z',
    };
    expect(effectiveSettings(address, olderOrg, entry({ orgCode: 'NEW-CODE' }))?.code).toBe(
      'NEW-CODE',
    );
    const newerOrg = { ...olderOrg, updatedAt: '2026-11-27T09:00:00.000Z' };
    expect(effectiveSettings(address, newerOrg, entry({ orgCode: 'NEW-CODE' }))?.code).toBe(
      'OLD-CODE',
    );
  });
});

describe('parsePhone', () => {
  it('gives E.164 for national numbers in the default country and for international ones', () => {
    expect(parsePhone('0151 23456789', 'DE')).toEqual({ ok: true, e164: '+4915123456789' });
    expect(parsePhone('+31 6 12345678', 'DE')).toEqual({ ok: true, e164: '+31612345678' });
    expect(parsePhone('06-12345678', 'NL')).toEqual({ ok: true, e164: '+31612345678' });
  });

  it('refuses empty and invalid numbers with a reason', () => {
    expect(parsePhone('  ', 'DE')).toEqual({ ok: false, reason: 'empty' });
    expect(parsePhone('12', 'DE')).toEqual({ ok: false, reason: 'invalid' });
    expect(parsePhone('0151 23456789', null)).toEqual({ ok: false, reason: 'invalid' });
    expect(isE164('+4915123456789')).toBe(true);
    expect(isE164('015123456789')).toBe(false);
  });

  it('reads the country from the UI locale', () => {
    expect(countryFromLocale('de-DE')).toBe('DE');
    expect(countryFromLocale('nl')).toBe('NL');
    expect(countryFromLocale('en-GB')).toBe('GB');
    expect(countryFromLocale(undefined)).toBeNull();
  });
});

describe('buildMethodMenu with the directory', () => {
  it("offers a colleague's organisation code and known number, storing the real values", () => {
    const menu = buildMethodMenu({
      settings: null,
      serverConfigured: true,
      keyKnown: false,
      directory: entry({ orgCode: 'ORG-2468', phone: '+4915112345612' }),
    });
    expect(menu.map((item) => item.id)).toEqual([
      'sms-new',
      'sms-known',
      'org-code-new',
      'org-code-existing',
      'code-new',
      'email',
    ]);
    expect(menu.find((item) => item.id === 'org-code-existing')).toMatchObject({
      labelParams: ['ORG-2468'],
      stores: { code: 'ORG-2468' },
    });
    expect(menu.find((item) => item.id === 'sms-known')).toMatchObject({
      labelParams: ['+49 ••• •••• 12'],
      stores: { phone: '+4915112345612' },
    });
    expect(menu.every((item) => item.disabledReasonKey === undefined)).toBe(true);
  });

  it("prefers the sender's own number over the directory's", () => {
    const menu = buildMethodMenu({
      settings: { address, method: 'sms', phone: '+31612345678', updatedAt: 'x' },
      serverConfigured: true,
      keyKnown: false,
      directory: entry({ phone: '+4915112345612' }),
    });
    expect(menu.find((item) => item.id === 'sms-known')?.stores).toEqual({ phone: '+31612345678' });
  });
});
