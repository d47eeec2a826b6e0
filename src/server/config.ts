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
import { fromEnvironment } from './configEnvironment.ts';
import { checkPayloadsConfig } from './payloads/checkPayloadsConfig.ts';
import { parseSecretKey } from './serverSecret.ts';

export * from './configDefaults.ts';

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; errors: string[] };

type Json = Record<string, unknown>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SMS_PROVIDERS = ['dev', 'webhook', 'twilio'] as const;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** The value at a dotted section path (`payloads.s3`), or undefined. */
function sectionAt(root: Json, section: string): unknown {
  return section === ''
    ? root
    : section.split('.').reduce<unknown>((parent, key) => (parent as Json)?.[key], root);
}

/**
 * Checks the merged object key by key and reports every problem at once: unknown keys (typos
 * must not pass silently) and bad values side by side. A section that is not an object is
 * checked no further (its defaults stand in, so the other sections are still checked).
 */
function validate(candidate: Json, errors: string[]): ServerConfig | null {
  const known: Record<string, readonly string[]> = {
    '': [...Object.keys(DEFAULT_CONFIG), 'secretKey', 'readerFile'],
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
  const brokenSections: string[] = [];
  for (const [section, keys] of Object.entries(known)) {
    const node = sectionAt(candidate, section);
    if (!isObject(node)) {
      errors.push(`${section}: expected an object`);
      brokenSections.push(section);
      const path = section.split('.');
      const parent = sectionAt(candidate, path.slice(0, -1).join('.')) as Json;
      parent[path.at(-1)!] = structuredClone(sectionAt(DEFAULT_CONFIG as unknown as Json, section));
      continue;
    }
    for (const key of Object.keys(node)) {
      if (!keys.includes(key)) errors.push(`${section ? `${section}.` : ''}${key}: unknown key`);
    }
  }
  const valueErrors: string[] = [];
  const config = candidate as unknown as ServerConfig;
  const check = (condition: boolean, message: string) => {
    if (!condition) valueErrors.push(message);
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
  check(
    config.readerFile === undefined ||
      (typeof config.readerFile === 'string' && config.readerFile.length > 0),
    'readerFile: expected a file path',
  );
  // A section reported as not an object was checked on its defaults: nothing more to say of it.
  errors.push(
    ...valueErrors.filter(
      (message) => !brokenSections.some((section) => message.startsWith(`${section}.`)),
    ),
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
