import { describe, expect, it } from 'vitest';
import {
  buildMethodMenu,
  maskPhone,
  selectedMenuEntry,
} from '../../../src/core/methodMenuBuilder.ts';

const now = '2026-11-27T00:00:00.000Z';

describe('buildMethodMenu', () => {
  it('offers every entry of the methods table in the guide order, server ones disabled without a server', () => {
    const menu = buildMethodMenu({ settings: null, serverConfigured: false, keyKnown: false });
    expect(menu.map((entry) => entry.id)).toEqual(['sms-new', 'org-code-new', 'code-new', 'email']);
    const disabled = menu.filter((entry) => entry.disabledReasonKey === 'reasonNeedsServer');
    expect(disabled.map((entry) => entry.id)).toEqual(['sms-new', 'org-code-new', 'email']);
    expect(menu.at(-1)).toMatchObject({ id: 'email', warningKey: 'warningEmailWeak' });
  });

  it('adds account only when a key is known, and existing entries for what is stored', () => {
    const menu = buildMethodMenu({
      settings: {
        address: 'bob@partner.example',
        method: 'code',
        code: 'K7QM-X2PA',
        phone: '+4915112345612',
        updatedAt: now,
      },
      serverConfigured: true,
      keyKnown: true,
    });
    expect(menu.map((entry) => entry.id)).toEqual([
      'account',
      'sms-new',
      'sms-known',
      'org-code-new',
      'code-new',
      'code-existing',
      'email',
    ]);
    expect(menu.find((entry) => entry.id === 'code-existing')?.labelParams).toEqual(['K7QM-X2PA']);
    expect(menu.find((entry) => entry.id === 'sms-known')?.labelParams).toEqual([
      '+49 ••• •••• 12',
    ]);
    expect(menu.every((entry) => entry.disabledReasonKey === undefined)).toBe(true);
  });

  it('shows an organisation code as the existing organisation entry, not as a personal one', () => {
    const menu = buildMethodMenu({
      settings: { address: 'x@y.example', method: 'org-code', code: 'ORG-1', updatedAt: now },
      serverConfigured: true,
      keyKnown: false,
    });
    expect(menu.map((entry) => entry.id)).toContain('org-code-existing');
    expect(menu.map((entry) => entry.id)).not.toContain('code-existing');
  });
});

describe('selectedMenuEntry', () => {
  it('maps stored settings to the entry that shows them', () => {
    expect(selectedMenuEntry(null)).toBeNull();
    expect(selectedMenuEntry({ address: 'a@b.c', method: 'code', updatedAt: now })).toBe(
      'code-new',
    );
    expect(selectedMenuEntry({ address: 'a@b.c', method: 'code', code: 'X', updatedAt: now })).toBe(
      'code-existing',
    );
    expect(
      selectedMenuEntry({ address: 'a@b.c', method: 'sms', phone: '+31612345678', updatedAt: now }),
    ).toBe('sms-known');
  });
});

describe('maskPhone', () => {
  it('keeps the country code and the last two digits', () => {
    expect(maskPhone('+31612345678')).toBe('+31 ••• •••• 78');
  });
});

describe('server methods without a sign-in', () => {
  it('say to sign in when a server is set, and that there is none otherwise', () => {
    const reasons = (serverKnown: boolean) =>
      buildMethodMenu({ settings: null, serverConfigured: false, keyKnown: false, serverKnown })
        .filter((entry) => entry.method === 'sms' || entry.method === 'email')
        .map((entry) => entry.disabledReasonKey);
    expect(reasons(true)).toEqual(['reasonSignInToServer', 'reasonSignInToServer']);
    expect(reasons(false)).toEqual(['reasonNeedsServer', 'reasonNeedsServer']);
  });
});
