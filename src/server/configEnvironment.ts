/**
 * The `SEALPOST_*` environment variables of the server's configuration (./config.ts merges them
 * over the file). Every variable is documented in docs/server.md; keep both in step.
 */
import { DEFAULT_LIMITS } from './configDefaults.ts';

type Json = Record<string, unknown>;

interface EnvironmentKey {
  path: string[];
  kind: 'string' | 'number' | 'boolean' | 'list';
  /**
   * What a variable set to the empty string means, for the settings where "none" is a value of
   * its own (`SEALPOST_SMTP_USER=`: no SMTP login). Absent: an empty value is an error, never a
   * silent fallback to the default (an `EnvironmentFile` line left blank is a mistake to show).
   */
  none?: { value: unknown };
}

const NO_VALUE = { value: undefined };

/** Environment variable → config path. Limits follow `SEALPOST_LIMITS_<KEY_IN_UPPER_SNAKE>`. */
export const ENVIRONMENT_KEYS: Record<string, EnvironmentKey> = {
  SEALPOST_DATABASE_URL: { path: ['databaseUrl'], kind: 'string' },
  SEALPOST_HOST: { path: ['host'], kind: 'string' },
  SEALPOST_PORT: { path: ['port'], kind: 'number' },
  SEALPOST_PUBLIC_URL: { path: ['publicUrl'], kind: 'string' },
  SEALPOST_ORGANISATION_NAME: { path: ['organisation', 'name'], kind: 'string' },
  SEALPOST_ORGANISATION_DOMAINS: { path: ['organisation', 'domains'], kind: 'list' },
  SEALPOST_SMTP_HOST: { path: ['smtp', 'host'], kind: 'string', none: { value: null } },
  SEALPOST_SMTP_PORT: { path: ['smtp', 'port'], kind: 'number' },
  SEALPOST_SMTP_SECURE: { path: ['smtp', 'secure'], kind: 'boolean' },
  SEALPOST_SMTP_FROM: { path: ['smtp', 'from'], kind: 'string' },
  SEALPOST_SMTP_USER: { path: ['smtp', 'user'], kind: 'string', none: NO_VALUE },
  SEALPOST_SMTP_PASSWORD: { path: ['smtp', 'password'], kind: 'string', none: NO_VALUE },
  SEALPOST_SMS_PROVIDER: { path: ['sms', 'provider'], kind: 'string' },
  SEALPOST_SMS_URL: { path: ['sms', 'url'], kind: 'string', none: NO_VALUE },
  SEALPOST_SMS_ACCOUNT_SID: { path: ['sms', 'accountSid'], kind: 'string', none: NO_VALUE },
  SEALPOST_SMS_AUTH_TOKEN: { path: ['sms', 'authToken'], kind: 'string', none: NO_VALUE },
  SEALPOST_SMS_FROM: { path: ['sms', 'from'], kind: 'string', none: NO_VALUE },
  SEALPOST_REPLIES_ENABLED: { path: ['replies', 'enabled'], kind: 'boolean' },
  SEALPOST_REMEMBER_DEVICES_ENABLED: { path: ['rememberDevices', 'enabled'], kind: 'boolean' },
  SEALPOST_REMEMBER_DEVICES_DAYS: { path: ['rememberDevices', 'days'], kind: 'number' },
  SEALPOST_PAYLOADS_STORE: { path: ['payloads', 'store'], kind: 'string' },
  SEALPOST_PAYLOADS_DIRECTORY: { path: ['payloads', 'directory'], kind: 'string' },
  SEALPOST_PAYLOADS_MAX_BYTES: { path: ['payloads', 'maxBytes'], kind: 'number' },
  SEALPOST_PAYLOADS_QUOTA_PER_SENDER_BYTES: {
    path: ['payloads', 'quotaPerSenderBytes'],
    kind: 'number',
  },
  SEALPOST_PAYLOADS_QUOTA_TOTAL_BYTES: { path: ['payloads', 'quotaTotalBytes'], kind: 'number' },
  SEALPOST_PAYLOADS_UNFINISHED_UPLOAD_HOURS: {
    path: ['payloads', 'unfinishedUploadHours'],
    kind: 'number',
  },
  SEALPOST_PAYLOADS_S3_ENDPOINT: {
    path: ['payloads', 's3', 'endpoint'],
    kind: 'string',
    none: NO_VALUE,
  },
  SEALPOST_PAYLOADS_S3_REGION: { path: ['payloads', 's3', 'region'], kind: 'string' },
  SEALPOST_PAYLOADS_S3_BUCKET: { path: ['payloads', 's3', 'bucket'], kind: 'string' },
  SEALPOST_PAYLOADS_S3_ACCESS_KEY_ID: {
    path: ['payloads', 's3', 'accessKeyId'],
    kind: 'string',
    none: NO_VALUE,
  },
  SEALPOST_PAYLOADS_S3_SECRET_ACCESS_KEY: {
    path: ['payloads', 's3', 'secretAccessKey'],
    kind: 'string',
    none: NO_VALUE,
  },
  SEALPOST_PAYLOADS_S3_FORCE_PATH_STYLE: {
    path: ['payloads', 's3', 'forcePathStyle'],
    kind: 'boolean',
  },
  SEALPOST_PAYLOADS_S3_KEY_PREFIX: {
    path: ['payloads', 's3', 'keyPrefix'],
    kind: 'string',
    none: { value: '' },
  },
  SEALPOST_DEV_OUTBOX: { path: ['devOutbox'], kind: 'boolean' },
  SEALPOST_DEVELOPMENT_MODE: { path: ['developmentMode'], kind: 'boolean' },
  SEALPOST_TRUST_PROXY: { path: ['trustProxy'], kind: 'list', none: { value: false } },
  SEALPOST_SECRET_KEY: { path: ['secretKey'], kind: 'string', none: NO_VALUE },
  SEALPOST_SECRET_KEY_FILE: { path: ['secretKeyFile'], kind: 'string' },
  SEALPOST_PREVIOUS_SECRET_KEYS: {
    path: ['previousSecretKeys'],
    kind: 'list',
    none: { value: [] },
  },
  SEALPOST_READER_FILE: { path: ['readerFile'], kind: 'string' },
  SEALPOST_LOG_LEVEL: { path: ['logLevel'], kind: 'string' },
  ...Object.fromEntries(
    Object.keys(DEFAULT_LIMITS).map((key) => [
      `SEALPOST_LIMITS_${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`,
      { path: ['limits', key], kind: 'number' as const },
    ]),
  ),
};

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setPath(target: Json, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1]!] = value;
}

/** Edits (insert, delete, replace) between two names; enough for names of a few dozen letters. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The setting a `SEALPOST_*` name that is not one was probably meant to be: two edits at most
 * (`SEALPOST_SMTP_PASWORD`). Names further from every setting are left alone: the project's
 * tools read variables of their own (`SEALPOST_CONFIG`, `SEALPOST_TEST_PG_URL`, …).
 */
function meantSetting(name: string): string | null {
  if (!name.startsWith('SEALPOST_') || name in ENVIRONMENT_KEYS) return null;
  for (const known of Object.keys(ENVIRONMENT_KEYS)) {
    if (editDistance(name, known) <= 2) return known;
  }
  return null;
}

/**
 * The overrides the environment sets, as a nested object. A variable that cannot be read is
 * one error naming the variable and sets nothing, so the same mistake is not reported again
 * under the key's name.
 */
export function fromEnvironment(environment: NodeJS.ProcessEnv, errors: string[]): Json {
  const overrides: Json = {};
  // A mistyped name would be ignored like any other variable: a typo must not pass silently.
  for (const name of Object.keys(environment)) {
    const meant = meantSetting(name);
    if (meant) errors.push(`${name}: not a setting; did you mean ${meant}?`);
  }
  for (const [name, { path, kind, none }] of Object.entries(ENVIRONMENT_KEYS)) {
    const raw = environment[name];
    if (raw === undefined) continue;
    if (raw.trim() === '') {
      if (none) setPath(overrides, path, structuredClone(none.value));
      else errors.push(`${name}: set but empty; give it a value, or unset it for the default`);
      continue;
    }
    if (kind === 'number') {
      const value = Number(raw);
      if (Number.isFinite(value)) setPath(overrides, path, value);
      else errors.push(`${name}: expected a number, got "${raw}"`);
    } else if (kind === 'boolean') {
      if (['true', 'false', '1', '0'].includes(raw))
        setPath(overrides, path, raw === 'true' || raw === '1');
      else errors.push(`${name}: expected true or false, got "${raw}"`);
    } else if (kind === 'list') {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      if (items.length > 0) setPath(overrides, path, items);
      else errors.push(`${name}: expected a comma-separated list, got "${raw}"`);
    } else {
      setPath(overrides, path, raw);
    }
  }
  return overrides;
}
