import { describe, expect, it } from 'vitest';
import {
  MANAGED_KEYS,
  SAFE_FALLBACKS,
  isNoPolicyError,
  noPolicy,
  readManagedPolicy,
  type ManagedKey,
} from '../../../src/core/policy.ts';
import { DEFAULT_MINIMUM_GUESSES_LOG10 } from '../../../src/core/accessCode.ts';

/** Reads a policy with one key and returns what it became and the keys of the problems. */
function readOne(key: ManagedKey, value: unknown) {
  const { settings, problems } = readManagedPolicy({ [key]: value });
  return { value: settings[key], problemKeys: problems.map((problem) => problem.key), problems };
}

describe('no policy', () => {
  it('is today behaviour: no settings, no problems', () => {
    expect(readManagedPolicy(undefined)).toEqual(noPolicy());
    expect(readManagedPolicy(null)).toEqual(noPolicy());
    expect(readManagedPolicy({})).toEqual({ settings: {}, problems: [] });
    expect(noPolicy()).toEqual({ settings: {}, problems: [] });
  });

  it('recognises the error storage.managed throws without a policy, and only that one', () => {
    expect(isNoPolicyError(new Error('Managed storage manifest not found'))).toBe(true);
    expect(isNoPolicyError('Managed storage manifest not found')).toBe(true);
    expect(isNoPolicyError(new Error('storage.managed is not available'))).toBe(false);
    expect(isNoPolicyError(undefined)).toBe(false);
  });

  it('reports a policy that is not an object of settings, and sets nothing', () => {
    for (const raw of ['https://x.example', 42, ['serverUrl']]) {
      const result = readManagedPolicy(raw);
      expect(result.settings).toEqual({});
      expect(result.problems).toEqual([{ key: '', message: expect.stringContaining('object') }]);
    }
  });
});

describe('every key: a valid value is kept, an invalid one is reported and falls back safely', () => {
  const cases: {
    key: ManagedKey;
    valid: unknown[];
    invalid: { value: unknown; becomes: unknown }[];
  }[] = [
    {
      key: 'serverUrl',
      valid: [
        'https://sealpost.example.org',
        'https://sealpost.example.org:8443/x',
        'http://localhost:3000',
      ],
      invalid: [
        { value: 'http://sealpost.example.org', becomes: null },
        { value: 'https://user:pw@sealpost.example.org', becomes: null },
        { value: 'not a url', becomes: null },
        { value: 42, becomes: null },
      ],
    },
    {
      key: 'organisationName',
      valid: ['Example Health Trust'],
      invalid: [
        { value: '   ', becomes: undefined },
        { value: 'x'.repeat(101), becomes: undefined },
        { value: false, becomes: undefined },
      ],
    },
    {
      key: 'internalDomains',
      valid: [[], ['example.org', 'mail.example.org']],
      invalid: [
        { value: 'example.org', becomes: [] },
        { value: ['example.org', 'not a domain', 7], becomes: ['example.org'] },
      ],
    },
    {
      key: 'secureByDefault',
      valid: [true, false],
      invalid: [
        { value: 'false', becomes: true },
        { value: 0, becomes: true },
      ],
    },
    {
      key: 'enforceSecureFor',
      valid: ['all', [], ['partner.example', 'counsel@lawfirm.example']],
      invalid: [
        { value: 'none', becomes: 'all' },
        { value: 'partner.example', becomes: 'all' },
        { value: ['partner.example', 'partner example'], becomes: 'all' },
        { value: true, becomes: 'all' },
      ],
    },
    {
      key: 'allowedMethods',
      valid: [['account'], ['sms', 'org-code', 'email']],
      invalid: [
        { value: [], becomes: ['account', 'sms', 'org-code', 'code'] },
        { value: 'sms', becomes: ['account', 'sms', 'org-code', 'code'] },
        { value: ['sms', 'carrier-pigeon'], becomes: ['sms'] },
        { value: ['sms', 'sms'], becomes: ['sms'] },
      ],
    },
    {
      key: 'defaultMethod',
      valid: ['account', 'code'],
      invalid: [
        { value: 'pigeon', becomes: undefined },
        { value: ['sms'], becomes: undefined },
      ],
    },
    {
      key: 'minimumCodeStrength',
      valid: [12, 14, 16.5, 18],
      invalid: [
        { value: 8, becomes: DEFAULT_MINIMUM_GUESSES_LOG10 },
        { value: '16', becomes: DEFAULT_MINIMUM_GUESSES_LOG10 },
        { value: Number.NaN, becomes: DEFAULT_MINIMUM_GUESSES_LOG10 },
        { value: 40, becomes: 18 },
      ],
    },
    {
      key: 'expiryDays',
      valid: [1, 30, 365],
      invalid: [
        { value: 0, becomes: 30 },
        { value: 2.5, becomes: 30 },
        { value: 1000, becomes: 30 },
        { value: '7', becomes: 30 },
      ],
    },
    {
      key: 'maxMailSizeMB',
      valid: [1, 20, 2000],
      invalid: [
        { value: 0, becomes: 20 },
        { value: 12.5, becomes: 20 },
        { value: 2001, becomes: 20 },
        { value: '50', becomes: 20 },
      ],
    },
    {
      key: 'linkDeliveryAboveMB',
      valid: [0, 5, 2000],
      invalid: [
        { value: -1, becomes: 5 },
        { value: 2.5, becomes: 5 },
        { value: 2001, becomes: 5 },
        { value: '10', becomes: 5 },
      ],
    },
    {
      key: 'linkOnlyDomains',
      valid: [[], ['partner.example', 'gateway.example.org']],
      invalid: [
        { value: 'partner.example', becomes: [] },
        { value: ['partner.example', 'not a domain'], becomes: ['partner.example'] },
      ],
    },
    {
      key: 'linkDeliveryAttachment',
      valid: [true, false],
      invalid: [
        { value: 'no', becomes: true },
        { value: 0, becomes: true },
      ],
    },
    {
      key: 'subject',
      valid: ['keep', 'neutral'],
      invalid: [
        { value: 'hide', becomes: 'neutral' },
        { value: 'Keep', becomes: 'neutral' },
        { value: null, becomes: 'neutral' },
      ],
    },
    {
      key: 'languages',
      valid: [['en'], ['de', 'nl', 'fr']],
      invalid: [
        { value: [], becomes: ['en', 'de', 'nl', 'fr', 'es', 'it'] },
        { value: 'de', becomes: ['en', 'de', 'nl', 'fr', 'es', 'it'] },
        { value: ['de', 'tlh'], becomes: ['de'] },
      ],
    },
    {
      key: 'defaultLanguage',
      valid: ['en', 'it'],
      invalid: [
        { value: 'de-AT', becomes: undefined },
        { value: 1, becomes: undefined },
      ],
    },
    {
      key: 'lockUserSettings',
      valid: [true, false],
      invalid: [
        { value: 'yes', becomes: true },
        { value: 1, becomes: true },
      ],
    },
  ];

  it('covers every key', () => {
    expect(cases.map((testCase) => testCase.key)).toEqual([...MANAGED_KEYS]);
  });

  describe.each(cases)('$key', ({ key, valid, invalid }) => {
    it.each(valid.map((value) => [JSON.stringify(value), value]))('keeps %s', (_label, value) => {
      expect(readOne(key, value)).toMatchObject({ value, problemKeys: [] });
    });

    it.each(invalid.map((entry) => [JSON.stringify(entry.value) ?? String(entry.value), entry]))(
      'reports %s and falls back safely',
      (_label, { value, becomes }) => {
        const result = readOne(key, value);
        expect(result.value).toEqual(becomes);
        expect(result.problemKeys.length).toBeGreaterThan(0);
        expect(new Set(result.problemKeys)).toEqual(new Set([key]));
        for (const problem of result.problems) expect(problem.message.length).toBeGreaterThan(5);
      },
    );
  });

  it('lower-cases domains and addresses, keeping them otherwise as written', () => {
    expect(readOne('internalDomains', ['Example.ORG']).value).toEqual(['example.org']);
    expect(readOne('enforceSecureFor', ['Counsel@LawFirm.example']).value).toEqual([
      'counsel@lawfirm.example',
    ]);
  });

  it('names the bad entry of a list and what was expected', () => {
    expect(readOne('allowedMethods', ['sms', 'carrier-pigeon']).problems).toEqual([
      { key: 'allowedMethods', message: '"carrier-pigeon" is not a method; ignored' },
    ]);
    expect(readOne('internalDomains', 'example.org').problems[0]?.message).toMatch(
      /^must be a list of domain names, got "example.org"/,
    );
  });

  it('trims the organisation name', () => {
    expect(readOne('organisationName', '  Example Trust ').value).toBe('Example Trust');
  });
});

describe('safe fallbacks', () => {
  it('are never less secure than the defaults for the security-relevant keys', () => {
    expect(SAFE_FALLBACKS.secureByDefault).toBe(true);
    expect(SAFE_FALLBACKS.enforceSecureFor).toBe('all');
    expect(SAFE_FALLBACKS.subject).toBe('neutral');
    expect(SAFE_FALLBACKS.lockUserSettings).toBe(true);
    expect(SAFE_FALLBACKS.serverUrl).toBeNull();
    expect(SAFE_FALLBACKS.allowedMethods).not.toContain('email');
    expect(SAFE_FALLBACKS.minimumCodeStrength).toBeGreaterThanOrEqual(
      DEFAULT_MINIMUM_GUESSES_LOG10,
    );
  });

  it('hands out a fresh list each time, so one caller cannot change another one', () => {
    const first = readOne('allowedMethods', 'bad').value as string[];
    first.push('email');
    expect(readOne('allowedMethods', 'bad').value).not.toContain('email');
    expect(SAFE_FALLBACKS.allowedMethods).not.toContain('email');
  });
});

describe('keys that depend on others', () => {
  it('rejects a defaultMethod outside allowedMethods', () => {
    const result = readManagedPolicy({
      allowedMethods: ['account', 'sms'],
      defaultMethod: 'email',
    });
    expect(result.settings).toEqual({ allowedMethods: ['account', 'sms'] });
    expect(result.problems).toEqual([
      { key: 'defaultMethod', message: expect.stringContaining('allowedMethods') },
    ]);
  });

  it('rejects a defaultLanguage outside languages', () => {
    const result = readManagedPolicy({ languages: ['de'], defaultLanguage: 'en' });
    expect(result.settings).toEqual({ languages: ['de'] });
    expect(result.problems.map((problem) => problem.key)).toEqual(['defaultLanguage']);
  });

  it('accepts them when the lists are not set', () => {
    expect(readManagedPolicy({ defaultMethod: 'email', defaultLanguage: 'it' })).toEqual({
      settings: { defaultMethod: 'email', defaultLanguage: 'it' },
      problems: [],
    });
  });

  it('reports every problem at once, keeping the valid keys', () => {
    const result = readManagedPolicy({
      serverUrl: 'https://sealpost.example.org',
      subject: 'hidden',
      expiryDays: -3,
      colour: 'blue',
    });
    expect(result.settings).toEqual({
      serverUrl: 'https://sealpost.example.org',
      subject: 'neutral',
      expiryDays: 30,
    });
    expect(result.problems.map((problem) => problem.key).sort()).toEqual([
      'colour',
      'expiryDays',
      'subject',
    ]);
  });
});
