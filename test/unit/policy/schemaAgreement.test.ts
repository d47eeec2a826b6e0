import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import schema from '../../../extension/policy.schema.json';
import examplePolicies from '../../../docs/examples/policies.json';
import {
  CODE_STRENGTH_RANGE,
  EXPIRY_DAYS_RANGE,
  MANAGED_DEFAULTS,
  MANAGED_KEYS,
  ORGANISATION_NAME_MAX_LENGTH,
  SERVER_URL_MAX_LENGTH,
  SUBJECT_HANDLINGS,
  readManagedPolicy,
} from '../../../src/core/policy.ts';
import { VERIFICATION_METHODS } from '../../../src/core/methods.ts';
import { NOTIFICATION_LANGUAGES } from '../../../src/core/languages.ts';
import { schemaAccepts, type Schema } from './miniSchema.ts';

const properties = schema.properties as Record<string, Schema>;
const ADDON_ID = 'sealpost@sealpost.example';

/** Values of every JSON type and the edge cases of each key, tried against schema and code. */
const COMMON_CANDIDATES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  7,
  14,
  14.5,
  30,
  366,
  1e9,
  '',
  ' ',
  'x',
  'all',
  'keep',
  'neutral',
  'none',
  'sms',
  'email',
  'de',
  'DE',
  'klingon',
  {},
  { all: true },
  [],
  [1],
  ['all'],
  ['sms', 'sms'],
  ['account', 'code'],
  ['email'],
  ['en', 'de'],
  ['en', 'xx'],
  ['example.org'],
  ['Example.ORG'],
  ['example.org', 'example.org'],
  ['-bad-.example'],
  ['nodot'],
  ['partner.example', 'counsel@lawfirm.example'],
  ['bob@', '@x.example'],
  ['a b@x.example'],
];

const KEY_CANDIDATES: Record<string, unknown[]> = {
  serverUrl: [
    'https://sealpost.example.org',
    'https://sealpost.example.org:8443/base/',
    'https://sealpost.example.org/?tenant=1',
    'http://localhost:3000',
    'http://127.0.0.1',
    'http://sealpost.example.org',
    'http://localhost.evil.example',
    'ftp://sealpost.example.org',
    'https://user:secret@sealpost.example.org',
    'https://sealpost.example.org/a b',
    ' https://sealpost.example.org',
    'sealpost.example.org',
    `https://example.org/${'a'.repeat(SERVER_URL_MAX_LENGTH)}`,
  ],
  organisationName: [
    'Example Health Trust',
    'a'.repeat(ORGANISATION_NAME_MAX_LENGTH),
    'a'.repeat(101),
  ],
  minimumCodeStrength: [CODE_STRENGTH_RANGE.minimum, CODE_STRENGTH_RANGE.maximum, 11.9, 18.1, 16],
  expiryDays: [EXPIRY_DAYS_RANGE.minimum, EXPIRY_DAYS_RANGE.maximum, 1.5, '30'],
};

describe('extension/policy.schema.json and src/core/policy.ts agree', () => {
  it('on the set of keys, in order', () => {
    expect(Object.keys(properties)).toEqual([...MANAGED_KEYS]);
    expect(schema.additionalProperties).toBe(false);
  });

  it.each([...MANAGED_KEYS])('on the default of %s', (key) => {
    const property = properties[key] as Schema;
    const codeDefault = (MANAGED_DEFAULTS as Record<string, unknown>)[key];
    expect(property.default).toEqual(codeDefault);
    if (property.default !== undefined) {
      expect(schemaAccepts(property, property.default)).toBe(true);
      expect(readManagedPolicy({ [key]: property.default })).toEqual({
        settings: { [key]: property.default },
        problems: [],
      });
    }
  });

  it('on the enums and bounds', () => {
    const items = (key: string) => (properties[key] as { items: { enum: unknown[] } }).items.enum;
    expect(items('allowedMethods')).toEqual([...VERIFICATION_METHODS]);
    expect(properties.defaultMethod?.enum).toEqual([...VERIFICATION_METHODS]);
    expect(items('languages')).toEqual([...NOTIFICATION_LANGUAGES]);
    expect(properties.defaultLanguage?.enum).toEqual([...NOTIFICATION_LANGUAGES]);
    expect(properties.subject?.enum).toEqual([...SUBJECT_HANDLINGS]);
    expect(properties.minimumCodeStrength).toMatchObject({
      type: 'number',
      ...CODE_STRENGTH_RANGE,
    });
    expect(properties.expiryDays).toMatchObject({ type: 'integer', ...EXPIRY_DAYS_RANGE });
    expect(properties.organisationName?.maxLength).toBe(ORGANISATION_NAME_MAX_LENGTH);
    expect(properties.serverUrl?.maxLength).toBe(SERVER_URL_MAX_LENGTH);
  });

  it.each([...MANAGED_KEYS])('on every example of %s: accepted and kept as written', (key) => {
    const examples = (properties[key] as { examples: unknown[] }).examples;
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      expect(schemaAccepts(properties[key] as Schema, example)).toBe(true);
      expect(readManagedPolicy({ [key]: example })).toEqual({
        settings: { [key]: example },
        problems: [],
      });
    }
  });

  it.each([...MANAGED_KEYS])('on which values of %s are valid', (key) => {
    const candidates = [...COMMON_CANDIDATES, ...(KEY_CANDIDATES[key] ?? [])];
    const disagreements = candidates.filter((candidate) => {
      const schemaSaysValid = schemaAccepts(properties[key] as Schema, candidate);
      const codeSaysValid = readManagedPolicy({ [key]: candidate }).problems.length === 0;
      return schemaSaysValid !== codeSaysValid;
    });
    expect(disagreements).toEqual([]);
    // The battery must exercise both outcomes for every key, or it proves nothing.
    const outcomes = new Set(
      candidates.map((candidate) => schemaAccepts(properties[key] as Schema, candidate)),
    );
    expect(outcomes).toEqual(new Set([true, false]));
  });

  it('on unknown keys: the schema forbids them and the code reports them', () => {
    const result = readManagedPolicy({ serverURL: 'https://sealpost.example.org' });
    expect(Object.keys(properties)).not.toContain('serverURL');
    expect(result).toEqual({
      settings: {},
      problems: [{ key: 'serverURL', message: expect.stringContaining('unknown') }],
    });
  });
});

describe('docs/examples/policies.json', () => {
  it('installs the add-on from its install_url, force-installed', () => {
    const install = examplePolicies.policies.ExtensionSettings[ADDON_ID];
    expect(install.installation_mode).toBe('force_installed');
    expect(new URL(install.install_url).protocol).toBe('https:');
    expect(install.install_url).toMatch(/\.xpi$/);
  });

  it('configures every key, and both the schema and readManagedPolicy accept it unchanged', () => {
    const managed = examplePolicies.policies['3rdparty'].Extensions[ADDON_ID];
    expect(Object.keys(managed).sort()).toEqual([...MANAGED_KEYS].sort());
    for (const [key, value] of Object.entries(managed)) {
      expect(schemaAccepts(properties[key] as Schema, value), key).toBe(true);
    }
    expect(readManagedPolicy(managed)).toEqual({ settings: managed, problems: [] });
  });
});

describe('docs/policy-keys.md', () => {
  const markdown = readFileSync(new URL('../../../docs/policy-keys.md', import.meta.url), 'utf8');

  it('documents every key in its table', () => {
    for (const key of MANAGED_KEYS)
      expect(markdown).toMatch(new RegExp(`^\\| \`${key}\` +\\|`, 'm'));
  });

  it('shows an example that parses and configures the add-on without problems', () => {
    const blocks = [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      const parsed = JSON.parse(block) as typeof examplePolicies;
      const managed = parsed.policies['3rdparty'].Extensions[ADDON_ID];
      expect(Object.keys(managed).length).toBeGreaterThan(0);
      expect(readManagedPolicy(managed).problems).toEqual([]);
      expect(parsed.policies.ExtensionSettings[ADDON_ID].installation_mode).toBe('force_installed');
    }
  });
});
