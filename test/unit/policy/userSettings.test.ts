import { describe, expect, it } from 'vitest';
import {
  MANAGED_DEFAULTS,
  applyUserSettingsChanges,
  defaultNotificationLanguage,
  effectiveSettings,
  readUserSettings,
  recipientSettingsUnderPolicy,
  secureRequirementFor,
} from '../../../src/core/policy.ts';

const unlocked = effectiveSettings({ defaults: MANAGED_DEFAULTS, user: {}, managed: {} });

describe('readUserSettings', () => {
  it('keeps valid stored values and drops invalid ones without falling back', () => {
    expect(
      readUserSettings({
        secureByDefault: 'yes',
        subject: 'neutral',
        expiryDays: 900,
        languages: ['de', 'xx'],
        defaultMethod: 'sms',
        serverUrl: 'https://not-a-user-key.example',
      }),
    ).toEqual({ subject: 'neutral', defaultMethod: 'sms' });
  });

  it('reads nothing from what is not an object', () => {
    expect(readUserSettings(null)).toEqual({});
    expect(readUserSettings(['subject'])).toEqual({});
    expect(readUserSettings('neutral')).toEqual({});
  });
});

describe('applyUserSettingsChanges', () => {
  it('sets values and clears them with null', () => {
    const first = applyUserSettingsChanges({}, { expiryDays: 7, subject: 'neutral' }, unlocked);
    expect(first).toEqual({ ok: true, settings: { expiryDays: 7, subject: 'neutral' } });
    const second = applyUserSettingsChanges(
      first.ok ? first.settings : {},
      { subject: null },
      unlocked,
    );
    expect(second).toEqual({ ok: true, settings: { expiryDays: 7 } });
  });

  it('refuses an invalid value, a key the sender cannot set, and a locked key', () => {
    expect(applyUserSettingsChanges({}, { expiryDays: 0 }, unlocked)).toMatchObject({
      ok: false,
      problems: [{ key: 'expiryDays' }],
    });
    expect(
      applyUserSettingsChanges({}, { serverUrl: 'https://x.example' } as never, unlocked),
    ).toEqual({ ok: false, problems: [{ key: 'serverUrl', message: 'cannot be changed here' }] });
    const locked = effectiveSettings({
      defaults: MANAGED_DEFAULTS,
      user: {},
      managed: { subject: 'neutral', lockUserSettings: true },
    });
    expect(applyUserSettingsChanges({}, { subject: 'keep' }, locked)).toEqual({
      ok: false,
      problems: [{ key: 'subject', message: 'is set by your organisation' }],
    });
  });
});

describe('secureRequirementFor', () => {
  const recipients = [
    { address: 'alice@example.org', isSender: true },
    { address: 'bob@mail.partner.example', isSender: false },
    { address: 'eve@elsewhere.example', isSender: false },
  ];

  it('names the recipients a list matches, never the sender', () => {
    expect(secureRequirementFor(recipients, ['partner.example', 'alice@example.org'])).toEqual({
      all: false,
      recipients: ['bob@mail.partner.example'],
    });
  });

  it('applies "all" to every message, even before it has recipients; nothing to nothing', () => {
    expect(secureRequirementFor(recipients, 'all')).toEqual({
      all: true,
      recipients: ['bob@mail.partner.example', 'eve@elsewhere.example'],
    });
    expect(secureRequirementFor([recipients[0]!], 'all')).toEqual({ all: true, recipients: [] });
    expect(secureRequirementFor(recipients, [])).toBeNull();
    expect(secureRequirementFor(recipients, undefined)).toBeNull();
  });
});

describe('recipientSettingsUnderPolicy', () => {
  const stored = {
    address: 'bob@partner.example',
    updatedAt: '2026-01-01T00:00:00.000Z',
    method: 'email' as const,
    language: 'fr' as const,
  };
  const external = { address: 'bob@partner.example', internal: false };

  it('drops a method that is not allowed and puts the default method in its place', () => {
    expect(
      recipientSettingsUnderPolicy(stored, external, {
        allowedMethods: ['sms', 'code'],
        defaultMethod: 'sms',
      }),
    ).toEqual({ ...stored, method: 'sms' });
    expect(
      recipientSettingsUnderPolicy(stored, external, { allowedMethods: ['sms'] })?.method,
    ).toBeUndefined();
  });

  it('drops a language that is not offered', () => {
    expect(
      recipientSettingsUnderPolicy(stored, external, { languages: ['de'] })?.language,
    ).toBeUndefined();
    expect(recipientSettingsUnderPolicy(stored, external, { languages: ['fr'] })?.language).toBe(
      'fr',
    );
  });

  it('gives a default method to new external recipients only', () => {
    expect(recipientSettingsUnderPolicy(null, external, { defaultMethod: 'code' })?.method).toBe(
      'code',
    );
    expect(
      recipientSettingsUnderPolicy(
        null,
        { address: 'colleague@example.org', internal: true },
        { defaultMethod: 'code' },
      ),
    ).toBeNull();
    expect(recipientSettingsUnderPolicy(stored, external, {})).toEqual(stored);
  });
});

describe('defaultNotificationLanguage', () => {
  it('prefers the set default, then the UI language if offered, then the first offered', () => {
    const settings = (languages: ('en' | 'de' | 'nl')[], defaultLanguage?: 'en' | 'de' | 'nl') =>
      effectiveSettings({
        defaults: MANAGED_DEFAULTS,
        user: {},
        managed: { languages, ...(defaultLanguage ? { defaultLanguage } : {}) },
      });
    expect(defaultNotificationLanguage(settings(['en', 'de'], 'de'), 'en')).toBe('de');
    expect(defaultNotificationLanguage(settings(['en', 'de']), 'de')).toBe('de');
    expect(defaultNotificationLanguage(settings(['nl', 'de']), 'en')).toBe('nl');
  });
});
