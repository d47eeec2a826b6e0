import { describe, expect, it } from 'vitest';
import { allowedMenuEntries, isEnforcedFor, visibleSubject } from '../../../src/core/policy.ts';
import { buildMethodMenu } from '../../../src/core/methodMenuBuilder.ts';
import { neutralSubject } from '../../../src/i18n/notification.ts';

describe('isEnforcedFor', () => {
  const recipients = [
    '"Bob" <Bob@Partner.example>',
    'ann@eu.partner.example',
    'carl@other.example',
  ];

  it('"all" enforces for every recipient', () => {
    expect(isEnforcedFor(['carl@other.example'], 'all')).toEqual({
      enforced: true,
      matchedRecipients: ['carl@other.example'],
    });
  });

  it('a domain matches itself and its subdomains, not look-alikes', () => {
    expect(
      isEnforcedFor(['bob@partner.example', 'ann@eu.partner.example'], ['partner.example']),
    ).toEqual({
      enforced: true,
      matchedRecipients: ['bob@partner.example', 'ann@eu.partner.example'],
    });
    expect(isEnforcedFor(['eve@notpartner.example'], ['partner.example']).enforced).toBe(false);
  });

  it('an address matches that address only, whatever its case', () => {
    expect(
      isEnforcedFor(
        ['COUNSEL@lawfirm.example', 'clerk@lawfirm.example'],
        ['counsel@lawfirm.example'],
      ),
    ).toEqual({
      enforced: true,
      matchedRecipients: ['counsel@lawfirm.example'],
    });
  });

  it('nothing is enforced by an empty list, no setting, or unmatched recipients', () => {
    expect(isEnforcedFor(recipients, []).enforced).toBe(false);
    expect(isEnforcedFor(recipients, undefined).enforced).toBe(false);
    expect(isEnforcedFor(['carl@other.example'], ['partner.example']).enforced).toBe(false);
  });
});

describe('allowedMenuEntries', () => {
  const menu = buildMethodMenu({ settings: null, serverConfigured: true, keyKnown: true });

  it('hides the entries of methods the policy does not allow', () => {
    const entries = allowedMenuEntries(menu, ['account', 'code']);
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((entry) => entry.method))).toEqual(new Set(['account', 'code']));
    expect(menu.some((entry) => entry.method === 'email')).toBe(true);
  });

  it('keeps the whole menu when the policy says nothing', () => {
    expect(allowedMenuEntries(menu, undefined)).toEqual(menu);
  });
});

describe('visibleSubject', () => {
  it('keeps the subject with "keep" or no policy', () => {
    expect(visibleSubject('Salary 2027', 'keep', ['de'], neutralSubject)).toBe('Salary 2027');
    expect(visibleSubject('Salary 2027', undefined, ['de'], neutralSubject)).toBe('Salary 2027');
  });

  it('shows the neutral subject of the notification language with "neutral"', () => {
    const german = visibleSubject('Salary 2027', 'neutral', ['de'], neutralSubject);
    expect(german).toBe(neutralSubject('de'));
    expect(german).not.toContain('Salary');
    expect(visibleSubject('Salary 2027', 'neutral', ['en'], neutralSubject)).toBe(
      neutralSubject('en'),
    );
    expect(neutralSubject('de')).not.toBe(neutralSubject('en'));
  });

  it('names each language once when recipients read different ones', () => {
    const mixed = visibleSubject('Salary 2027', 'neutral', ['de', 'en', 'de'], neutralSubject);
    expect(mixed).toBe(`${neutralSubject('de')} / ${neutralSubject('en')}`);
    expect(mixed).not.toContain('Salary');
  });
});
