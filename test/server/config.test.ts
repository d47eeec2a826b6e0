import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/server/config.ts';

describe('server config', () => {
  it('uses the defaults in development mode: embedded database, development providers, the documented limits', () => {
    const result = resolveConfig({ developmentMode: true }, {});
    expect(result).toEqual({ ok: true, config: { ...DEFAULT_CONFIG, developmentMode: true } });
    if (!result.ok) return;
    expect(result.config.databaseUrl).toBe('pglite:.tmp/server-data');
    expect(result.config.limits).toMatchObject({
      codeTries: 5,
      codeLifetimeSeconds: 600,
      accessCodeTries: 10,
      defaultExpiryDays: 30,
    });
  });

  it('merges the file, then the environment over it', () => {
    const result = resolveConfig(
      {
        port: 9000,
        organisation: { name: 'Acme', domains: ['Acme.example'] },
        limits: { codeTries: 3 },
      },
      {
        SEALPOST_PORT: '9100',
        SEALPOST_DATABASE_URL: 'postgres://sealpost@db/sealpost',
        SEALPOST_ORGANISATION_DOMAINS: 'acme.example, acme.test',
        SEALPOST_LIMITS_RESEND_THROTTLE_SECONDS: '120',
        SEALPOST_DEV_OUTBOX: 'true',
        SEALPOST_DEVELOPMENT_MODE: 'true',
        SEALPOST_PUBLIC_URL: 'https://sealpost.acme.example/',
      },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      port: 9100,
      databaseUrl: 'postgres://sealpost@db/sealpost',
      organisation: { name: 'Acme', domains: ['acme.example', 'acme.test'] },
      limits: { codeTries: 3, resendThrottleSeconds: 120, bodyBytes: 65536 },
      devOutbox: true,
      publicUrl: 'https://sealpost.acme.example',
    });
  });

  it('replies: on by default with their documented limits; the file and the environment set them', () => {
    const defaults = resolveConfig({ developmentMode: true }, {});
    expect(defaults).toMatchObject({
      ok: true,
      config: {
        replies: { enabled: true },
        limits: { repliesPerLock: 5, replyMaxBytes: 10 * 1024 * 1024 },
      },
    });
    const set = resolveConfig(
      { developmentMode: true, limits: { replyMaxBytes: 2048 } },
      { SEALPOST_REPLIES_ENABLED: 'false', SEALPOST_LIMITS_REPLIES_PER_LOCK: '2' },
    );
    expect(set).toMatchObject({
      ok: true,
      config: { replies: { enabled: false }, limits: { repliesPerLock: 2, replyMaxBytes: 2048 } },
    });
    expect(
      resolveConfig({ developmentMode: true, replies: { enabled: 'yes', on: true } }, {}),
    ).toEqual({
      ok: false,
      errors: ['replies.on: unknown key', 'replies.enabled: expected true or false'],
    });
    expect(resolveConfig({ developmentMode: true, replies: { enabled: 'yes' } }, {})).toEqual({
      ok: false,
      errors: ['replies.enabled: expected true or false'],
    });
  });

  it('remembered browsers: off by default for 30 days; the file and the environment set them within 1–365 days', () => {
    expect(resolveConfig({ developmentMode: true }, {})).toMatchObject({
      ok: true,
      config: { rememberDevices: { enabled: false, days: 30 } },
    });
    expect(
      resolveConfig(
        { developmentMode: true, rememberDevices: { days: 7 } },
        { SEALPOST_REMEMBER_DEVICES_ENABLED: 'true' },
      ),
    ).toMatchObject({ ok: true, config: { rememberDevices: { enabled: true, days: 7 } } });
    expect(
      resolveConfig({ developmentMode: true }, { SEALPOST_REMEMBER_DEVICES_DAYS: '365' }),
    ).toMatchObject({ ok: true, config: { rememberDevices: { enabled: false, days: 365 } } });
    for (const days of [0, -1, 1.5, 366, '30']) {
      expect(resolveConfig({ developmentMode: true, rememberDevices: { days } }, {})).toEqual({
        ok: false,
        errors: ['rememberDevices.days: expected a positive integer, at most 365'],
      });
    }
    expect(
      resolveConfig({ developmentMode: true }, { SEALPOST_REMEMBER_DEVICES_ENABLED: 'yes' }),
    ).toEqual({
      ok: false,
      errors: ['SEALPOST_REMEMBER_DEVICES_ENABLED: expected true or false, got "yes"'],
    });
    expect(
      resolveConfig({ developmentMode: true, rememberDevices: { enabled: 1, forever: true } }, {}),
    ).toEqual({
      ok: false,
      errors: [
        'rememberDevices.forever: unknown key',
        'rememberDevices.enabled: expected true or false',
      ],
    });
    expect(resolveConfig({ developmentMode: true, rememberDevices: { enabled: 1 } }, {})).toEqual({
      ok: false,
      errors: ['rememberDevices.enabled: expected true or false'],
    });
  });

  it('payloads: files by default with 2 GiB per payload, 20 GiB per sender, 500 GiB in all; S3 set by the file or the environment, checked', () => {
    const GIB = 1024 ** 3;
    expect(resolveConfig({ developmentMode: true }, {})).toMatchObject({
      ok: true,
      config: {
        payloads: {
          store: 'file',
          directory: '.tmp/server-payloads',
          maxBytes: 2 * GIB,
          quotaPerSenderBytes: 20 * GIB,
          quotaTotalBytes: 500 * GIB,
          unfinishedUploadHours: 24,
        },
      },
    });
    const s3 = resolveConfig(
      { developmentMode: true, payloads: { store: 's3', s3: { region: 'eu-central-1' } } },
      {
        SEALPOST_PAYLOADS_S3_BUCKET: 'sealpost-payloads',
        SEALPOST_PAYLOADS_S3_ENDPOINT: 'https://objects.example.org',
        SEALPOST_PAYLOADS_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        SEALPOST_PAYLOADS_S3_SECRET_ACCESS_KEY: 'secret',
        SEALPOST_PAYLOADS_S3_FORCE_PATH_STYLE: 'true',
        SEALPOST_PAYLOADS_S3_KEY_PREFIX: 'sealpost/',
        SEALPOST_PAYLOADS_QUOTA_PER_SENDER_BYTES: '1000',
      },
    );
    expect(s3).toMatchObject({
      ok: true,
      config: {
        payloads: {
          store: 's3',
          quotaPerSenderBytes: 1000,
          s3: {
            region: 'eu-central-1',
            bucket: 'sealpost-payloads',
            endpoint: 'https://objects.example.org',
            accessKeyId: 'AKIAEXAMPLE',
            secretAccessKey: 'secret',
            forcePathStyle: true,
            keyPrefix: 'sealpost/',
          },
        },
      },
    });
    const wrong = resolveConfig(
      {
        developmentMode: true,
        payloads: { store: 's3', maxBytes: 0, s3: { accessKeyId: 'only-one', bucketName: 'x' } },
      },
      {},
    );
    expect(wrong).toEqual({
      ok: false,
      errors: [
        'payloads.s3.bucketName: unknown key',
        'payloads.maxBytes: expected a positive integer',
        'payloads.s3.accessKeyId and payloads.s3.secretAccessKey: set both or neither',
        'payloads.s3.bucket: required for the s3 store (SEALPOST_PAYLOADS_S3_BUCKET)',
      ],
    });
    const missing = resolveConfig(
      { developmentMode: true, payloads: { store: 's3', maxBytes: 0, s3: { accessKeyId: 'x' } } },
      {},
    );
    expect(missing.ok).toBe(false);
    expect(missing.ok ? [] : missing.errors).toEqual([
      'payloads.maxBytes: expected a positive integer',
      'payloads.s3.accessKeyId and payloads.s3.secretAccessKey: set both or neither',
      'payloads.s3.bucket: required for the s3 store (SEALPOST_PAYLOADS_S3_BUCKET)',
    ]);
  });

  it('refuses to start on the development providers outside development mode, naming each setting', () => {
    const result = resolveConfig({}, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.stringMatching(/^smtp\.host: required \(SEALPOST_SMTP_HOST\)/),
      expect.stringMatching(/^sms\.provider: set "webhook" or "twilio" \(SEALPOST_SMS_PROVIDER\)/),
    ]);
    expect(resolveConfig({ developmentMode: false, devOutbox: true }, {})).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([expect.stringMatching(/^devOutbox: shows every code/)]),
    });
  });

  it('starts with the documented production settings and nothing else', () => {
    const result = resolveConfig(
      {},
      {
        SEALPOST_DATABASE_URL: 'postgres://sealpost@db.internal/sealpost',
        SEALPOST_SMTP_HOST: 'smtp.example.org',
        SEALPOST_SMS_PROVIDER: 'webhook',
        SEALPOST_SMS_URL: 'https://sms-gateway.example.org/send',
      },
    );
    expect(result).toMatchObject({
      ok: true,
      config: { developmentMode: false, devOutbox: false },
    });
  });

  it('names every problem: unknown keys, bad values, missing provider settings', () => {
    // An unknown key hides nothing: the other mistakes are named beside it.
    const result = resolveConfig({ prot: 1, limits: { codeTries: 0 } }, {});
    expect(result).toEqual({
      ok: false,
      errors: [
        'prot: unknown key',
        'limits.codeTries: expected a positive integer',
        expect.stringMatching(/^smtp\.host: required/),
        expect.stringMatching(/^sms\.provider: set "webhook" or "twilio"/),
      ],
    });
    // (Development mode below, so only the named mistakes are reported.)
    const values = resolveConfig(
      {
        databaseUrl: 'mysql://x',
        organisation: { name: 'A', domains: [] },
        sms: { provider: 'twilio' },
        limits: { codeTries: 0 },
        developmentMode: true,
      },
      { SEALPOST_PORT: 'eighty' },
    );
    expect(values.ok).toBe(false);
    if (values.ok) return;
    expect(values.errors).toEqual(
      expect.arrayContaining([
        'SEALPOST_PORT: expected a number, got "eighty"',
        'databaseUrl: expected postgres://… or pglite:memory or pglite:<directory>',
        'organisation.domains: expected a non-empty list of domain names, e.g. ["example.org"]',
        'sms.accountSid: required for the twilio provider',
        'limits.codeTries: expected a positive integer',
      ]),
    );
  });

  it('says one line for one mistake: a variable that cannot be read is not reported again under its key', () => {
    expect(resolveConfig({ developmentMode: true }, { SEALPOST_PORT: 'abc' })).toEqual({
      ok: false,
      errors: ['SEALPOST_PORT: expected a number, got "abc"'],
    });
    expect(
      resolveConfig(
        { developmentMode: true },
        { SEALPOST_SMTP_SECURE: 'yes', SEALPOST_PORT: '1e9' },
      ),
    ).toEqual({
      ok: false,
      errors: [
        'SEALPOST_SMTP_SECURE: expected true or false, got "yes"',
        'port: expected an integer 0–65535',
      ],
    });
  });

  it('a section that is not an object is named once, and every other section is still checked', () => {
    expect(
      resolveConfig({ developmentMode: true, smtp: 'smtp.example.org', port: -1, limits: 3 }, {}),
    ).toEqual({
      ok: false,
      errors: [
        'smtp: expected an object',
        'limits: expected an object',
        'port: expected an integer 0–65535',
      ],
    });
    // Outside development mode too: not a second line about the same section's defaults.
    expect(
      resolveConfig(
        { smtp: 'smtp.example.org', sms: { provider: 'webhook', url: 'https://sms.example.org/' } },
        {},
      ),
    ).toEqual({ ok: false, errors: ['smtp: expected an object'] });
  });

  it('an empty variable is an error, never a silent fallback to the default', () => {
    const result = resolveConfig(
      { developmentMode: true },
      { SEALPOST_ORGANISATION_DOMAINS: '', SEALPOST_PORT: ' ', SEALPOST_ORGANISATION_NAME: '' },
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        'SEALPOST_PORT: set but empty; give it a value, or unset it for the default',
        'SEALPOST_ORGANISATION_NAME: set but empty; give it a value, or unset it for the default',
        'SEALPOST_ORGANISATION_DOMAINS: set but empty; give it a value, or unset it for the default',
      ],
    });
    expect(
      resolveConfig({ developmentMode: true }, { SEALPOST_ORGANISATION_DOMAINS: ' , ' }),
    ).toEqual({
      ok: false,
      errors: ['SEALPOST_ORGANISATION_DOMAINS: expected a comma-separated list, got " , "'],
    });
  });

  it('an empty variable means "none" where none is a setting of its own: no SMTP login, no trusted proxy, no previous keys', () => {
    const result = resolveConfig(
      {
        developmentMode: true,
        smtp: { host: 'smtp.example.org', user: 'sealpost', password: 'from-the-file' },
        trustProxy: ['10.0.0.1'],
      },
      {
        SEALPOST_SMTP_USER: '',
        SEALPOST_SMTP_PASSWORD: '',
        SEALPOST_TRUST_PROXY: '',
        SEALPOST_PREVIOUS_SECRET_KEYS: '',
        SEALPOST_SECRET_KEY: '',
        SEALPOST_PAYLOADS_S3_KEY_PREFIX: '',
      },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.smtp.user).toBeUndefined();
    expect(result.config.smtp.password).toBeUndefined();
    expect(result.config.trustProxy).toBe(false);
    expect(result.config.previousSecretKeys).toEqual([]);
    expect(result.config.secretKey).toBeUndefined();
    expect(result.config.payloads.s3.keyPrefix).toBe('');
    // No SMTP server: the outbox in development, a named refusal in production.
    expect(resolveConfig({}, { SEALPOST_SMTP_HOST: '' })).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([expect.stringMatching(/^smtp\.host: required/)]),
    });
  });

  it("readerFile: unset by default (the checkout's build), set by the file or SEALPOST_READER_FILE", () => {
    const defaults = resolveConfig({ developmentMode: true }, {});
    expect(defaults.ok && defaults.config.readerFile).toBeUndefined();
    expect(
      resolveConfig({ developmentMode: true }, { SEALPOST_READER_FILE: '/srv/reader.html' }),
    ).toMatchObject({ ok: true, config: { readerFile: '/srv/reader.html' } });
    expect(resolveConfig({ developmentMode: true, readerFile: '' }, {})).toEqual({
      ok: false,
      errors: ['readerFile: expected a file path'],
    });
  });

  it('a mistyped variable name is an error naming the setting meant; other SEALPOST_* variables are left alone', () => {
    expect(
      resolveConfig(
        { developmentMode: true },
        {
          SEALPOST_SMTP_PASWORD: 'x',
          SEALPOST_ORGANISATION_DOMAIN: 'acme.example',
          SEALPOST_CONFIG: 'server.json',
          SEALPOST_TEST_PG_URL: 'postgres://postgres@127.0.0.1/postgres',
          SEALPOST_SERVER_PORT: '8787',
          SEALPOST_WEB_PORT: '8025',
        },
      ),
    ).toEqual({
      ok: false,
      errors: [
        'SEALPOST_SMTP_PASWORD: not a setting; did you mean SEALPOST_SMTP_PASSWORD?',
        'SEALPOST_ORGANISATION_DOMAIN: not a setting; did you mean SEALPOST_ORGANISATION_DOMAINS?',
      ],
    });
  });
});
