import { describe, expect, it } from 'vitest';
import {
  MANAGED_DEFAULTS,
  MANAGED_KEYS,
  ORGANISATION_KEYS,
  effectiveSettings,
  readManagedPolicy,
  type ManagedSettings,
} from '../../../src/core/policy.ts';

const defaults: Partial<ManagedSettings> = { ...MANAGED_DEFAULTS };
const user: Partial<ManagedSettings> = {
  serverUrl: 'https://own.example',
  secureByDefault: false,
  subject: 'keep',
  expiryDays: 90,
  defaultLanguage: 'en',
};

describe('effectiveSettings', () => {
  it('without a policy: the user value where set, else the default, nothing locked', () => {
    const effective = effectiveSettings({ defaults, user, managed: {} });
    expect(effective.serverUrl).toEqual({
      value: 'https://own.example',
      source: 'user',
      locked: false,
    });
    expect(effective.expiryDays).toEqual({ value: 90, source: 'user', locked: false });
    expect(effective.minimumCodeStrength).toEqual({ value: 14, source: 'default', locked: false });
    expect(effective.organisationName).toEqual({
      value: undefined,
      source: 'default',
      locked: false,
    });
    for (const key of MANAGED_KEYS) expect(effective[key].locked).toBe(false);
  });

  it('organisation keys set by the policy win over the user and are locked, even unlocked', () => {
    const managed = {
      serverUrl: 'https://org.example',
      allowedMethods: ['sms' as const],
      minimumCodeStrength: 16,
    };
    const effective = effectiveSettings({
      defaults,
      user: { ...user, minimumCodeStrength: 12 },
      managed,
    });
    expect(effective.serverUrl).toEqual({
      value: 'https://org.example',
      source: 'organisation',
      locked: true,
    });
    expect(effective.minimumCodeStrength).toEqual({
      value: 16,
      source: 'organisation',
      locked: true,
    });
    expect(effective.allowedMethods).toEqual({
      value: ['sms'],
      source: 'organisation',
      locked: true,
    });
    expect(ORGANISATION_KEYS).toEqual(
      expect.arrayContaining([
        'serverUrl',
        'enforceSecureFor',
        'allowedMethods',
        'minimumCodeStrength',
      ]),
    );
  });

  it('without lockUserSettings a policy preference is the starting value the user may change', () => {
    const managed = {
      secureByDefault: true,
      subject: 'neutral' as const,
      expiryDays: 14,
      languages: ['de' as const],
    };
    const effective = effectiveSettings({ defaults, user, managed });
    expect(effective.secureByDefault).toEqual({ value: false, source: 'user', locked: false });
    expect(effective.subject).toEqual({ value: 'keep', source: 'user', locked: false });
    // Nobody else set the offered languages: the organisation's value applies, changeable.
    expect(effective.languages).toEqual({ value: ['de'], source: 'organisation', locked: false });
  });

  it('with lockUserSettings every key the policy sets wins and is locked; others stay the user s', () => {
    const managed = { secureByDefault: true, subject: 'neutral' as const, lockUserSettings: true };
    const effective = effectiveSettings({ defaults, user, managed });
    expect(effective.secureByDefault).toEqual({
      value: true,
      source: 'organisation',
      locked: true,
    });
    expect(effective.subject).toEqual({ value: 'neutral', source: 'organisation', locked: true });
    expect(effective.lockUserSettings).toEqual({
      value: true,
      source: 'organisation',
      locked: true,
    });
    expect(effective.expiryDays).toEqual({ value: 90, source: 'user', locked: false });
    expect(effective.minimumCodeStrength).toEqual({ value: 14, source: 'default', locked: false });
  });

  it('takes an explicit lockUserSettings over the managed one', () => {
    const managed = { subject: 'neutral' as const, lockUserSettings: false };
    const locked = effectiveSettings({ defaults, user, managed, lockUserSettings: true });
    expect(locked.subject).toEqual({ value: 'neutral', source: 'organisation', locked: true });
    const unlocked = effectiveSettings({ defaults, user, managed: { subject: 'neutral' } });
    expect(unlocked.subject.source).toBe('user');
  });

  it('drops a preselected method or language outside the lists in force', () => {
    const effective = effectiveSettings({
      defaults,
      user: { defaultMethod: 'email', defaultLanguage: 'en' },
      managed: { allowedMethods: ['sms', 'code'], languages: ['de', 'nl'] },
    });
    expect(effective.defaultMethod).toEqual({ value: undefined, source: 'default', locked: false });
    expect(effective.defaultLanguage).toEqual({
      value: undefined,
      source: 'default',
      locked: false,
    });
    const fitting = effectiveSettings({
      defaults,
      user: { defaultMethod: 'code', defaultLanguage: 'nl' },
      managed: { allowedMethods: ['sms', 'code'], languages: ['de', 'nl'] },
    });
    expect(fitting.defaultMethod.value).toBe('code');
    expect(fitting.defaultLanguage.value).toBe('nl');
  });

  it('applies the safe fallbacks of an invalid policy over the user values', () => {
    const { settings } = readManagedPolicy({
      enforceSecureFor: 'everyone',
      lockUserSettings: 'yes',
      subject: 1,
    });
    const effective = effectiveSettings({ defaults, user, managed: settings });
    expect(effective.enforceSecureFor).toEqual({
      value: 'all',
      source: 'organisation',
      locked: true,
    });
    expect(effective.subject).toEqual({ value: 'neutral', source: 'organisation', locked: true });
  });
});
