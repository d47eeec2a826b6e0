/**
 * The server's configuration: a JSON file and/or `SEALPOST_*` environment variables (the
 * environment wins), merged over defaults and validated with messages that name the key.
 * Every key is documented in docs/server.md; keep both in step.
 */
import { readFile } from 'node:fs/promises';
import {
  DEFAULT_CONFIG,
  DEFAULT_LIMITS,
  DEFAULT_PAYLOADS,
  type ServerConfig,
} from './configDefaults.ts';
import { checkPayloadsConfig } from './payloads/checkPayloadsConfig.ts';
import { parseSecretKey } from './serverSecret.ts';

export * from './configDefaults.ts';

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; errors: string[] };

type Json = Record<string, unknown>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SMS_PROVIDERS = ['dev', 'webhook', 'twilio'] as const;

/** Environment variable → config path. Limits follow `SEALPOST_LIMITS_<KEY_IN_UPPER_SNAKE>`. */
const ENVIRONMENT_KEYS: Record<
  string,
  { path: string[]; kind: 'string' | 'number' | 'boolean' | 'list' }
> = {
  SEALPOST_DATABASE_URL: { path: ['databaseUrl'], kind: 'string' },
  SEALPOST_HOST: { path: ['host'], kind: 'string' },
  SEALPOST_PORT: { path: ['port'], kind: 'number' },
  SEALPOST_PUBLIC_URL: { path: ['publicUrl'], kind: 'string' },
  SEALPOST_ORGANISATION_NAME: { path: ['organisation', 'name'], kind: 'string' },
  SEALPOST_ORGANISATION_DOMAINS: { path: ['organisation', 'domains'], kind: 'list' },
  SEALPOST_SMTP_HOST: { path: ['smtp', 'host'], kind: 'string' },
  SEALPOST_SMTP_PORT: { path: ['smtp', 'port'], kind: 'number' },
  SEALPOST_SMTP_SECURE: { path: ['smtp', 'secure'], kind: 'boolean' },
  SEALPOST_SMTP_FROM: { path: ['smtp', 'from'], kind: 'string' },
  SEALPOST_SMTP_USER: { path: ['smtp', 'user'], kind: 'string' },
  SEALPOST_SMTP_PASSWORD: { path: ['smtp', 'password'], kind: 'string' },
  SEALPOST_SMS_PROVIDER: { path: ['sms', 'provider'], kind: 'string' },
  SEALPOST_SMS_URL: { path: ['sms', 'url'], kind: 'string' },
  SEALPOST_SMS_ACCOUNT_SID: { path: ['sms', 'accountSid'], kind: 'string' },
  SEALPOST_SMS_AUTH_TOKEN: { path: ['sms', 'authToken'], kind: 'string' },
  SEALPOST_SMS_FROM: { path: ['sms', 'from'], kind: 'string' },
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
  SEALPOST_PAYLOADS_S3_ENDPOINT: { path: ['payloads', 's3', 'endpoint'], kind: 'string' },
  SEALPOST_PAYLOADS_S3_REGION: { path: ['payloads', 's3', 'region'], kind: 'string' },
  SEALPOST_PAYLOADS_S3_BUCKET: { path: ['payloads', 's3', 'bucket'], kind: 'string' },
  SEALPOST_PAYLOADS_S3_ACCESS_KEY_ID: { path: ['payloads', 's3', 'accessKeyId'], kind: 'string' },
  SEALPOST_PAYLOADS_S3_SECRET_ACCESS_KEY: {
    path: ['payloads', 's3', 'secretAccessKey'],
    kind: 'string',
  },
  SEALPOST_PAYLOADS_S3_FORCE_PATH_STYLE: {
    path: ['payloads', 's3', 'forcePathStyle'],
    kind: 'boolean',
  },
  SEALPOST_PAYLOADS_S3_KEY_PREFIX: { path: ['payloads', 's3', 'keyPrefix'], kind: 'string' },
  SEALPOST_DEV_OUTBOX: { path: ['devOutbox'], kind: 'boolean' },
  SEALPOST_DEVELOPMENT_MODE: { path: ['developmentMode'], kind: 'boolean' },
  SEALPOST_TRUST_PROXY: { path: ['trustProxy'], kind: 'list' },
  SEALPOST_SECRET_KEY: { path: ['secretKey'], kind: 'string' },
  SEALPOST_SECRET_KEY_FILE: { path: ['secretKeyFile'], kind: 'string' },
  SEALPOST_PREVIOUS_SECRET_KEYS: { path: ['previousSecretKeys'], kind: 'list' },
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

function fromEnvironment(environment: NodeJS.ProcessEnv, errors: string[]): Json {
  const overrides: Json = {};
  for (const [name, { path, kind }] of Object.entries(ENVIRONMENT_KEYS)) {
    const raw = environment[name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (kind === 'number') {
      value = Number(raw);
      if (!Number.isFinite(value)) errors.push(`${name}: expected a number, got "${raw}"`);
    } else if (kind === 'boolean') {
      if (!['true', 'false', '1', '0'].includes(raw))
        errors.push(`${name}: expected true or false, got "${raw}"`);
      value = raw === 'true' || raw === '1';
    } else if (kind === 'list') {
      value = raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    }
    setPath(overrides, path, value);
  }
  return overrides;
}

function merge(base: Json, override: Json): Json {
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = isObject(value) && isObject(base[key]) ? merge(base[key], value) : value;
  }
  return merged;
}

/** A remembered browser works a year at most: a device forgotten in a drawer must stop by itself. */
const MAX_REMEMBER_DEVICE_DAYS = 365;

const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Checks the merged object key by key; unknown keys are errors too (typos must not pass silently). */
function validate(candidate: Json, errors: string[]): ServerConfig | null {
  const known: Record<string, readonly string[]> = {
    '': [...Object.keys(DEFAULT_CONFIG), 'secretKey'],
    organisation: ['name', 'domains'],
    smtp: ['host', 'port', 'secure', 'from', 'user', 'password'],
    sms: ['provider', 'url', 'accountSid', 'authToken', 'from'],
    limits: Object.keys(DEFAULT_LIMITS),
    replies: ['enabled'],
    rememberDevices: ['enabled', 'days'],
    payloads: Object.keys(DEFAULT_PAYLOADS),
    'payloads.s3': [
      'endpoint',
      'region',
      'bucket',
      'accessKeyId',
      'secretAccessKey',
      'forcePathStyle',
      'keyPrefix',
    ],
  };
  const errorsBefore = errors.length;
  for (const [section, keys] of Object.entries(known)) {
    const node =
      section === ''
        ? candidate
        : section.split('.').reduce<unknown>((parent, key) => (parent as Json)?.[key], candidate);
    if (!isObject(node)) {
      errors.push(`${section}: expected an object`);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (!keys.includes(key)) errors.push(`${section ? `${section}.` : ''}${key}: unknown key`);
    }
  }
  // Structure first: the value checks below assume every section is an object of known keys.
  if (errors.length > errorsBefore) return null;

  const config = candidate as unknown as ServerConfig;
  const check = (condition: boolean, message: string) => {
    if (!condition) errors.push(message);
  };
  const isPort = (value: unknown) =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535;
  check(
    typeof config.databaseUrl === 'string' &&
      /^(postgres(ql)?:\/\/.+|pglite:.+)$/.test(config.databaseUrl),
    'databaseUrl: expected postgres://… or pglite:memory or pglite:<directory>',
  );
  check(
    typeof config.host === 'string' && config.host.length > 0,
    'host: expected a host name or address',
  );
  check(isPort(config.port), 'port: expected an integer 0–65535');
  check(
    typeof config.publicUrl === 'string' && URL.canParse(config.publicUrl),
    'publicUrl: expected an absolute URL',
  );
  if (typeof config.publicUrl === 'string' && URL.canParse(config.publicUrl)) {
    check(
      ['http:', 'https:'].includes(new URL(config.publicUrl).protocol),
      'publicUrl: expected http(s)://',
    );
  }
  check(
    typeof config.organisation.name === 'string' && config.organisation.name.trim().length > 0,
    'organisation.name: expected a non-empty string',
  );
  check(
    Array.isArray(config.organisation.domains) &&
      config.organisation.domains.length > 0 &&
      config.organisation.domains.every(
        (domain) => typeof domain === 'string' && DOMAIN_PATTERN.test(domain.toLowerCase()),
      ),
    'organisation.domains: expected a non-empty list of domain names, e.g. ["example.org"]',
  );
  check(
    config.smtp.host === null ||
      (typeof config.smtp.host === 'string' && config.smtp.host.length > 0),
    'smtp.host: expected a host name or null',
  );
  check(isPort(config.smtp.port), 'smtp.port: expected an integer 0–65535');
  check(typeof config.smtp.secure === 'boolean', 'smtp.secure: expected true or false');
  check(
    typeof config.smtp.from === 'string' && config.smtp.from.includes('@'),
    'smtp.from: expected a sender address',
  );
  for (const key of ['user', 'password'] as const) {
    check(
      config.smtp[key] === undefined || typeof config.smtp[key] === 'string',
      `smtp.${key}: expected a string`,
    );
  }
  check(
    (SMS_PROVIDERS as readonly string[]).includes(config.sms.provider),
    `sms.provider: expected one of ${SMS_PROVIDERS.join(', ')}`,
  );
  for (const key of ['url', 'accountSid', 'authToken', 'from'] as const) {
    check(
      config.sms[key] === undefined || typeof config.sms[key] === 'string',
      `sms.${key}: expected a string`,
    );
  }
  if (config.sms.provider === 'webhook')
    check(
      typeof config.sms.url === 'string' && URL.canParse(config.sms.url),
      'sms.url: required for the webhook provider',
    );
  if (config.sms.provider === 'twilio') {
    for (const key of ['accountSid', 'authToken', 'from'] as const) {
      check(
        typeof config.sms[key] === 'string' && config.sms[key].length > 0,
        `sms.${key}: required for the twilio provider`,
      );
    }
  }
  for (const [key, value] of Object.entries(config.limits)) {
    check(
      Number.isInteger(value) && (value as number) > 0,
      `limits.${key}: expected a positive integer`,
    );
  }
  check(
    config.limits.defaultExpiryDays <= config.limits.maxExpiryDays,
    'limits.defaultExpiryDays: must not exceed limits.maxExpiryDays',
  );
  check(typeof config.replies.enabled === 'boolean', 'replies.enabled: expected true or false');
  check(
    typeof config.rememberDevices.enabled === 'boolean',
    'rememberDevices.enabled: expected true or false',
  );
  check(
    Number.isInteger(config.rememberDevices.days) &&
      config.rememberDevices.days > 0 &&
      config.rememberDevices.days <= MAX_REMEMBER_DEVICE_DAYS,
    `rememberDevices.days: expected a positive integer, at most ${MAX_REMEMBER_DEVICE_DAYS}`,
  );
  checkPayloadsConfig(config.payloads, check);
  check(typeof config.devOutbox === 'boolean', 'devOutbox: expected true or false');
  check(typeof config.developmentMode === 'boolean', 'developmentMode: expected true or false');
  check(
    typeof config.trustProxy === 'boolean' ||
      (Array.isArray(config.trustProxy) &&
        config.trustProxy.every((entry) => typeof entry === 'string' && entry.length > 0)),
    'trustProxy: expected true, false or a list of proxy addresses',
  );
  if (config.developmentMode !== true) {
    // Production: real providers, or no start at all (each missing setting named).
    check(
      config.smtp.host !== null,
      'smtp.host: required (SEALPOST_SMTP_HOST): sign-in and email codes need a mail server; developmentMode only writes them to the outbox table',
    );
    check(
      config.sms.provider !== 'dev',
      'sms.provider: set "webhook" or "twilio" (SEALPOST_SMS_PROVIDER): the "dev" provider sends nothing and needs developmentMode',
    );
    check(
      config.devOutbox !== true,
      'devOutbox: shows every code; it needs developmentMode (SEALPOST_DEVELOPMENT_MODE=true)',
    );
  }
  check(
    config.secretKey === undefined || parseSecretKey(config.secretKey) !== null,
    'secretKey: expected 32 random bytes, base64url (e.g. `openssl rand -base64 32`)',
  );
  check(
    typeof config.secretKeyFile === 'string' && config.secretKeyFile.length > 0,
    'secretKeyFile: expected a file path',
  );
  check(
    Array.isArray(config.previousSecretKeys) &&
      config.previousSecretKeys.every(
        (key) => typeof key === 'string' && parseSecretKey(key) !== null,
      ),
    'previousSecretKeys: expected a list of keys like secretKey',
  );
  check(
    (LOG_LEVELS as readonly string[]).includes(config.logLevel),
    `logLevel: expected one of ${LOG_LEVELS.join(', ')}`,
  );
  if (errors.length > 0) return null;
  const trustProxy =
    Array.isArray(config.trustProxy) &&
    config.trustProxy.length === 1 &&
    ['true', 'false'].includes(config.trustProxy[0]!)
      ? config.trustProxy[0] === 'true'
      : config.trustProxy;
  return {
    ...config,
    trustProxy,
    publicUrl: config.publicUrl.replace(/\/+$/, ''),
    organisation: {
      name: config.organisation.name.trim(),
      domains: config.organisation.domains.map((domain) => domain.toLowerCase()),
    },
  };
}

/**
 * Builds the config from an already parsed file object (may be `{}`) and the environment.
 * Pure apart from reading `environment`; tests pass objects directly.
 */
export function resolveConfig(
  fileContents: unknown,
  environment: NodeJS.ProcessEnv = {},
): ConfigResult {
  const errors: string[] = [];
  if (!isObject(fileContents))
    return { ok: false, errors: ['config file: expected a JSON object'] };
  const overrides = fromEnvironment(environment, errors);
  const merged = merge(
    merge(structuredClone(DEFAULT_CONFIG) as unknown as Json, fileContents),
    overrides,
  );
  const config = validate(merged, errors);
  return config && errors.length === 0 ? { ok: true, config } : { ok: false, errors };
}

/** Reads the optional JSON file, then applies the environment. */
export async function loadConfig(
  filePath: string | undefined,
  environment: NodeJS.ProcessEnv,
): Promise<ConfigResult> {
  let fileContents: unknown = {};
  if (filePath) {
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      return { ok: false, errors: [`config file ${filePath}: ${(error as Error).message}`] };
    }
    try {
      fileContents = JSON.parse(text);
    } catch (error) {
      return {
        ok: false,
        errors: [`config file ${filePath}: not valid JSON (${(error as Error).message})`],
      };
    }
  }
  return resolveConfig(fileContents, environment);
}
