import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_LANGUAGES } from '../../../src/core/languages.ts';
import {
  MANAGED_DEFAULTS,
  MANAGED_KEYS,
  USER_KEYS,
  effectiveSettings,
  type ManagedSettings,
  type UserSettings,
} from '../../../src/core/policy.ts';
import type { SettingsView } from '../../../src/messaging/protocol.ts';
import { withServerInForce } from '../../../src/background/settingsInForce.ts';
import {
  CONTROL_KINDS,
  SETTINGS_MESSAGE_KEYS,
  defaultMethodOptions,
  languageOptions,
  managedHeading,
  powerOfTen,
  problemText,
  settingsRows,
} from '../../../src/options/settingsRows.ts';
import {
  changesFromDraft,
  draftFor,
  type SettingDraft,
} from '../../../src/options/settingDrafts.ts';

const translate = (key: string, substitutions: readonly string[] = []) =>
  [key, ...substitutions].join(':');

/** The view the background builds (policySettings.settingsView), from the core's precedence. */
function view(
  managed: Partial<ManagedSettings> = {},
  user: UserSettings = {},
  managedFlag = Object.keys(managed).length > 0,
): SettingsView {
  const effective = effectiveSettings({ defaults: MANAGED_DEFAULTS, user, managed });
  return {
    effective,
    problems: [],
    managed: managedFlag,
  };
}

function rowsByKey(settingsView: SettingsView) {
  return Object.fromEntries(settingsRows(settingsView, translate).map((row) => [row.key, row]));
}

const draft = (fields: Partial<SettingDraft>): SettingDraft => ({
  checked: false,
  choice: '',
  days: '',
  languages: [],
  ...fields,
});

describe('settingsRows', () => {
  it('shows the server and organisation the server section shows, with where they came from', () => {
    const signedIn = {
      address: 'alice@example.org',
      organisation: { name: 'Example Org', domains: ['example.org'] },
    };
    const byKey = rowsByKey(
      withServerInForce(view(), {
        serverUrl: 'http://127.0.0.1:8787',
        urlSource: 'options',
        signedIn,
        organisationName: 'Example Org',
      }),
    );
    expect(byKey.serverUrl).toMatchObject({
      valueText: 'http://127.0.0.1:8787',
      badge: 'optionsSourceUser',
    });
    expect(byKey.organisationName).toMatchObject({
      valueText: 'Example Org',
      badge: 'optionsSourceServer',
      control: null,
    });
    const development = rowsByKey(
      withServerInForce(view(), {
        serverUrl: 'http://127.0.0.1:8787',
        urlSource: 'defaults',
        signedIn: null,
        organisationName: null,
      }),
    );
    expect(development.serverUrl).toMatchObject({
      valueText: 'http://127.0.0.1:8787',
      badge: 'optionsSourceDefault',
    });
    expect(development.organisationName?.valueText).toBe('optionsSettingNotSet');
  });

  it('lists every managed key in order; without a policy all are defaults and the preferences editable', () => {
    const rows = settingsRows(view(), translate);
    expect(rows.map((row) => row.key)).toEqual([...MANAGED_KEYS]);
    for (const row of rows) {
      expect(row.source, row.key).toBe('default');
      expect(row.locked, row.key).toBe(false);
      expect(row.badge, row.key).toBe('optionsSourceDefault');
      expect(row.canUseDefault, row.key).toBe(false);
      expect(row.label, row.key).toMatch(/^optionsSetting[A-Z]/);
      const userKey = (USER_KEYS as readonly string[]).includes(row.key);
      expect(row.control, row.key).toBe(
        userKey ? CONTROL_KINDS[row.key as keyof typeof CONTROL_KINDS] : null,
      );
    }
    const byKey = rowsByKey(view());
    expect(byKey.serverUrl?.valueText).toBe('optionsSettingNoServer');
    expect(byKey.organisationName?.valueText).toBe('optionsSettingNotSet');
    expect(byKey.internalDomains?.valueText).toBe('optionsSettingNone');
    expect(byKey.secureByDefault?.valueText).toBe('optionsSettingOff');
    expect(byKey.enforceSecureFor?.valueText).toBe('optionsSettingNone');
    expect(byKey.allowedMethods?.valueText).toBe(
      'optionsMethodAccount, optionsMethodSms, optionsMethodOrgCode, optionsMethodCode, optionsMethodEmail',
    );
    expect(byKey.defaultMethod?.valueText).toBe('optionsSettingMethodAsk');
    expect(byKey.minimumCodeStrength?.valueText).toBe(
      `optionsSettingCodeStrengthValue:${MANAGED_DEFAULTS.minimumCodeStrength}:${powerOfTen(MANAGED_DEFAULTS.minimumCodeStrength)}`,
    );
    expect(byKey.expiryDays?.valueText).toBe('optionsSettingDays:30');
    expect(byKey.subject?.valueText).toBe('optionsSettingSubjectKeep');
    expect(byKey.languages?.valueText).toBe(
      'English, Deutsch, Nederlands, Français, Español, Italiano',
    );
    expect(byKey.defaultLanguage?.valueText).toBe('optionsSettingLanguageThunderbird');
    expect(byKey.lockUserSettings?.valueText).toBe('optionsSettingNo');
  });

  it('shows locked organisation values read-only with the note, and the sender’s own values as theirs', () => {
    const byKey = rowsByKey(
      view(
        {
          serverUrl: 'https://sealpost.example.org',
          organisationName: 'Example Health Trust',
          internalDomains: ['example.org', 'example.net'],
          enforceSecureFor: 'all',
          allowedMethods: ['sms', 'code'],
          expiryDays: 14,
          subject: 'neutral',
          lockUserSettings: true,
        },
        { secureByDefault: true, expiryDays: 1, languages: ['nl', 'de'], defaultLanguage: 'de' },
      ),
    );
    for (const key of ['serverUrl', 'organisationName', 'expiryDays', 'subject'] as const) {
      expect(byKey[key], key).toMatchObject({
        source: 'organisation',
        locked: true,
        badge: 'optionsSettingLocked',
        control: null,
        canUseDefault: false,
        hint: null,
      });
    }
    expect(byKey.serverUrl?.valueText).toBe('https://sealpost.example.org');
    expect(byKey.organisationName?.valueText).toBe('Example Health Trust');
    expect(byKey.internalDomains?.valueText).toBe('example.org, example.net');
    expect(byKey.enforceSecureFor?.valueText).toBe('optionsSettingEnforceAll');
    expect(byKey.allowedMethods?.valueText).toBe('optionsMethodSms, optionsMethodCode');
    // The policy's 14 days win over the sender's 1 because the policy locks its settings.
    expect(byKey.expiryDays?.valueText).toBe('optionsSettingDays:14');
    expect(byKey.subject?.valueText).toBe('optionsSettingSubjectNeutral');
    expect(byKey.lockUserSettings?.valueText).toBe('optionsSettingYes');

    expect(byKey.secureByDefault).toMatchObject({
      source: 'user',
      locked: false,
      badge: 'optionsSourceUser',
      valueText: 'optionsSettingOn',
      control: 'checkbox',
      canUseDefault: true,
    });
    expect(byKey.languages?.valueText).toBe('Nederlands, Deutsch');
    expect(byKey.defaultLanguage?.valueText).toBe('Deutsch');
    expect(byKey.defaultMethod).toMatchObject({ source: 'default', control: 'method' });
  });

  it('an organisation value without lock is the starting value the sender may replace', () => {
    const byKey = rowsByKey(view({ defaultMethod: 'sms', expiryDays: 7 }));
    expect(byKey.defaultMethod).toMatchObject({
      source: 'organisation',
      locked: false,
      badge: 'optionsSourceOrganisation',
      hint: 'optionsSettingOrganisationSuggests',
      valueText: 'optionsMethodSms',
      control: 'method',
      canUseDefault: false,
    });
    expect(byKey.expiryDays?.valueText).toBe('optionsSettingDays:7');
  });

  it('a locked key whose preselection fell back to the default still says it is set by the organisation', () => {
    const byKey = rowsByKey(
      view({ defaultMethod: 'email', allowedMethods: ['sms'], lockUserSettings: true }),
    );
    expect(byKey.defaultMethod).toMatchObject({
      source: 'default',
      locked: true,
      badge: 'optionsSettingLocked',
      valueText: 'optionsSettingMethodAsk',
      control: null,
    });
  });

  it('writes the code strength as a power of ten', () => {
    expect(rowsByKey(view({ minimumCodeStrength: 18 })).minimumCodeStrength?.valueText).toBe(
      'optionsSettingCodeStrengthValue:18:10¹⁸',
    );
    expect(powerOfTen(12)).toBe('10¹²');
    expect(powerOfTen(20)).toBe('10²⁰');
  });

  it('says "1 day", not "1 days"', () => {
    expect(rowsByKey(view({}, { expiryDays: 1 })).expiryDays?.valueText).toBe(
      'optionsSettingDay:1',
    );
  });

  it('offers a control only for the sender’s own keys that are not locked', () => {
    const locked = rowsByKey(view({ subject: 'neutral', lockUserSettings: true }));
    expect(locked.subject?.control).toBeNull();
    expect(locked.enforceSecureFor?.control).toBeNull();
    expect(rowsByKey(view({ subject: 'neutral' })).subject?.control).not.toBeNull();
  });
});

describe('changesFromDraft', () => {
  it('turns each control into the change saveSettings takes', () => {
    expect(changesFromDraft('secureByDefault', draft({ checked: true }))).toEqual({
      ok: true,
      changes: { secureByDefault: true },
    });
    expect(changesFromDraft('defaultMethod', draft({ choice: 'org-code' }))).toEqual({
      ok: true,
      changes: { defaultMethod: 'org-code' },
    });
    expect(changesFromDraft('expiryDays', draft({ days: ' 365 ' }))).toEqual({
      ok: true,
      changes: { expiryDays: 365 },
    });
    expect(changesFromDraft('subject', draft({ choice: 'neutral' }))).toEqual({
      ok: true,
      changes: { subject: 'neutral' },
    });
    expect(changesFromDraft('defaultLanguage', draft({ choice: 'nl' }))).toEqual({
      ok: true,
      changes: { defaultLanguage: 'nl' },
    });
  });

  it('"none" in the method and language selects is back to the default (null)', () => {
    expect(changesFromDraft('defaultMethod', draft({ choice: '' }))).toEqual({
      ok: true,
      changes: { defaultMethod: null },
    });
    expect(changesFromDraft('defaultLanguage', draft({ choice: '' }))).toEqual({
      ok: true,
      changes: { defaultLanguage: null },
    });
  });

  it('puts ticked languages in the usual order, each once', () => {
    expect(changesFromDraft('languages', draft({ languages: ['it', 'de', 'it', 'en'] }))).toEqual({
      ok: true,
      changes: { languages: ['en', 'de', 'it'] },
    });
  });

  it('refuses days outside 1–365 or not a whole number, naming the range', () => {
    for (const days of ['0', '366', '1.5', '', 'abc', '1e2', '-3', '99999']) {
      expect(changesFromDraft('expiryDays', draft({ days })), days).toEqual({
        ok: false,
        error: { messageKey: 'optionsSettingDaysInvalid', substitutions: ['1', '365'] },
      });
    }
    expect(changesFromDraft('expiryDays', draft({ days: '1' }))).toMatchObject({ ok: true });
  });

  it('refuses no language at all and choices that are not offered', () => {
    expect(changesFromDraft('languages', draft({ languages: [] }))).toEqual({
      ok: false,
      error: { messageKey: 'optionsSettingLanguagesEmpty', substitutions: [] },
    });
    for (const [key, choice] of [
      ['defaultMethod', 'pigeon'],
      ['subject', ''],
      ['subject', 'secret'],
      ['defaultLanguage', 'xx'],
    ] as const) {
      expect(changesFromDraft(key, draft({ choice })), `${key}=${choice}`).toMatchObject({
        ok: false,
        error: { messageKey: 'optionsSettingChoiceInvalid' },
      });
    }
  });

  it('a control opened and saved unchanged saves the value in force', () => {
    const settingsView = view(
      { defaultMethod: 'sms', subject: 'neutral' },
      { expiryDays: 12, languages: ['en', 'fr'], defaultLanguage: 'fr', secureByDefault: true },
    );
    for (const key of USER_KEYS) {
      const result = changesFromDraft(key, draftFor(key, settingsView));
      expect(result, key).toEqual({
        ok: true,
        changes: { [key]: settingsView.effective[key].value },
      });
    }
  });
});

describe('choices', () => {
  it('offers the languages in force plus the current one, marked as not offered', () => {
    expect(languageOptions(['de', 'en'], 'fr')).toEqual([
      { value: 'en', name: 'English', offered: true },
      { value: 'de', name: 'Deutsch', offered: true },
      { value: 'fr', name: 'Français', offered: false },
    ]);
    expect(languageOptions(['de', 'en'], 'de').map((option) => option.value)).toEqual(['en', 'de']);
    const all = languageOptions(undefined, undefined);
    expect(all.map((option) => option.value)).toEqual([...NOTIFICATION_LANGUAGES]);
    expect(all.every((option) => option.offered)).toBe(true);
  });

  it('offers only the allowed methods as the default method', () => {
    expect(
      defaultMethodOptions(view({ allowedMethods: ['code', 'sms'] })).map((option) => option.value),
    ).toEqual(['sms', 'code']);
    expect(defaultMethodOptions(view())).toHaveLength(5);
  });
});

describe('policy header and problems', () => {
  it('names the organisation when the policy does, else "your organisation"; nothing without a policy', () => {
    expect(managedHeading(view(), translate)).toBeNull();
    expect(managedHeading(view({ organisationName: 'Example Health Trust' }), translate)).toBe(
      'optionsPolicyManagedBy:Example Health Trust',
    );
    expect(managedHeading(view({ subject: 'neutral' }), translate)).toBe(
      'optionsPolicyManagedByYours',
    );
    // Managed by a policy that set nothing valid (say every key was wrong): still managed.
    expect(managedHeading(view({}, {}, true), translate)).toBe('optionsPolicyManagedByYours');
  });

  it('writes a problem as "key: message", the policy as a whole by name', () => {
    expect(problemText({ key: 'expiryDays', message: 'must be …; using 30' }, translate)).toBe(
      'expiryDays: must be …; using 30',
    );
    expect(problemText({ key: '', message: 'the policy must be an object' }, translate)).toBe(
      'optionsPolicyWhole: the policy must be an object',
    );
  });
});

describe('settings strings', () => {
  const root = join(import.meta.dirname, '../../..');
  const catalogs = ['en', 'de', 'nl'].map(
    (language) =>
      [
        language,
        JSON.parse(
          readFileSync(join(root, 'extension/_locales', language, 'messages.json'), 'utf8'),
        ) as Record<string, { message: string; description?: string }>,
      ] as const,
  );

  it('has every message the settings rows and the options stores look up, in every language', () => {
    const storeKeys = readdirSync(join(root, 'src/options'))
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => [
        ...readFileSync(join(root, 'src/options', name), 'utf8').matchAll(
          /translate\(\s*'([A-Za-z0-9_]+)'/g,
        ),
      ])
      .map((match) => match[1]!);
    expect(storeKeys).toContain('optionsSettingSaved');
    for (const key of [...SETTINGS_MESSAGE_KEYS, ...storeKeys]) {
      for (const [language, catalog] of catalogs) {
        expect(catalog[key]?.message.trim() ?? '', `${language}:${key}`).not.toBe('');
      }
    }
  });

  it('says "Set by your organisation" for a locked setting in English', () => {
    const english = catalogs[0]![1];
    expect(english.optionsSettingLocked?.message).toBe('Set by your organisation');
    expect(english.optionsSourceOrganisation?.message).toBe('Set by your organisation');
    expect(english.optionsSourceDefault?.message).toBe('Default');
    expect(english.optionsSourceUser?.message).toBe('Yours');
  });
});
