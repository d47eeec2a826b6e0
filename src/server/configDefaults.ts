/**
 * What the server's configuration holds, and its defaults (./config.ts reads, merges and
 * validates it). Every key is documented in docs/server.md; keep both in step.
 */

/** How the server sends text messages; the providers live in `src/server/providers`. */
export interface SmsConfig {
  provider: 'dev' | 'webhook' | 'twilio';
  /** webhook: the URL the JSON `{to, text}` is POSTed to; twilio: the API base (tests use a local one). */
  url?: string;
  accountSid?: string;
  authToken?: string;
  from?: string;
}

/** Outgoing mail (sign-in codes, email verification, replies). `null` host = no SMTP: the outbox is used. */
export interface SmtpConfig {
  host: string | null;
  port: number;
  /** true = TLS from the first byte (port 465); false = STARTTLS when offered. */
  secure: boolean;
  from: string;
  user?: string;
  password?: string;
}

/** Limits that bound brute force and resource use. Durations are in seconds. */
export interface LimitsConfig {
  /** Wrong tries allowed per one-time code (sign-in, SMS, email). */
  codeTries: number;
  /** Lifetime of a one-time code. */
  codeLifetimeSeconds: number;
  /** Minimum time between two codes sent to the same address or phone. */
  resendThrottleSeconds: number;
  /** Sign-in challenges one address may start per hour (beyond the resend throttle). */
  signInStartsPerHour: number;
  /** Sign-in challenges one client (IP address) may start per hour, whatever the addresses. */
  signInStartsPerClientPerHour: number;
  /** Sign-in challenges the whole server starts per hour (a bound on mail sent for strangers). */
  signInStartsPerHourTotal: number;
  /** A device token unused for this many days is refused (each use renews it). */
  deviceTokenIdleDays: number;
  /** Wrong access codes allowed per recipient and message before the lock is locked. */
  accessCodeTries: number;
  /** Maximum JSON body of ordinary requests, in bytes. */
  bodyBytes: number;
  /** Maximum body of a message registration with its hosted payload, in bytes. */
  payloadBytes: number;
  /** Message lifetime when the sender does not choose one, and the maximum allowed. */
  defaultExpiryDays: number;
  maxExpiryDays: number;
  /** Replies one recipient (lock) may send through the server to the sender of one message. */
  repliesPerLock: number;
  /** The largest reply: its encrypted payload in bytes (before base64). */
  replyMaxBytes: number;
}

/** Replies through the server (recipients answer the sender from the reader). */
export interface RepliesConfig {
  /** false: no reply tokens, `/public` says `reply: null`, and `…/replies` is refused. */
  enabled: boolean;
}

/**
 * Remembered browsers (an organisation's opt-in): after an SMS or email code passed once, a
 * recipient may let the hosted reader skip the code on that browser for `days`
 * (src/server/devices/).
 */
export interface RememberDevicesConfig {
  /** false: `/public` offers nothing and `verify/complete` ignores `rememberDevice`. */
  enabled: boolean;
  /** How long a remembered browser works (1–365 days). */
  days: number;
}

/** Where hosted payloads live: S3-compatible object storage (`payloads.store: "s3"`). */
export interface S3PayloadStoreConfig {
  /** The service's URL, e.g. `https://s3.eu-central-1.amazonaws.com` or a MinIO/Ceph gateway; unset = AWS by region. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Unset: the AWS SDK's default chain (AWS_ACCESS_KEY_ID…, an instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (most self-hosted services). */
  forcePathStyle: boolean;
  /** Put before every object key (`sealpost/`), so a bucket can be shared. */
  keyPrefix: string;
}

/**
 * Hosted payloads (inline registrations and link delivery's resumable uploads): where their bytes
 * live and how much may be stored (src/server/payloads/). The database keeps only metadata.
 */
export interface PayloadsConfig {
  /** `file`: a directory on the server's disk; `s3`: an S3-compatible bucket. */
  store: 'file' | 's3';
  /** The `file` store's directory (created if missing). */
  directory: string;
  s3: S3PayloadStoreConfig;
  /** The largest payload one message may have, in bytes. */
  maxBytes: number;
  /** Bytes one sender's active messages may hold in all (finished and unfinished uploads). */
  quotaPerSenderBytes: number;
  /** Bytes all active messages of the organisation may hold in all. */
  quotaTotalBytes: number;
  /** An upload not finished this many hours after it was created is deleted. */
  unfinishedUploadHours: number;
}

export interface ServerConfig {
  /** `postgres://…` = PostgreSQL; `pglite:memory` or `pglite:<directory>` = embedded PGlite. */
  databaseUrl: string;
  host: string;
  port: number;
  /** The origin senders and recipients reach the server at, e.g. `https://sealpost.example.org`. */
  publicUrl: string;
  organisation: { name: string; domains: string[] };
  smtp: SmtpConfig;
  sms: SmsConfig;
  limits: LimitsConfig;
  replies: RepliesConfig;
  rememberDevices: RememberDevicesConfig;
  payloads: PayloadsConfig;
  /**
   * Development and tests only: allows the development SMS provider, no SMTP server (mail goes
   * to the outbox table) and `devOutbox`. Without it the server refuses to start on them, so a
   * production server never tells a recipient "code sent" while the code went nowhere.
   */
  developmentMode: boolean;
  /** Show sent SMS and emails at `/dev/outbox`; never on in production. */
  devOutbox: boolean;
  /**
   * Behind a reverse proxy: the proxies whose `X-Forwarded-For` tells the client's address
   * (Fastify's `trustProxy`: `true`, or a list of addresses / CIDR ranges). Default: none, the
   * client is the connection's peer (rate limits per client use it).
   */
  trustProxy: boolean | string[];
  /**
   * The server's secret key (32 bytes, base64url), kept outside the database: it keys every code
   * verifier and encrypts organisation-wide codes (src/server/serverSecret.ts). When unset, the
   * key in `secretKeyFile` is used, generated there on the first start.
   */
  secretKey?: string;
  secretKeyFile: string;
  /** Keys rotated out that still verify and decrypt what was made under them. */
  previousSecretKeys: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * The reader build the server serves at `/r/<id>` and attaches to replies. Unset: this
   * checkout's `dist/reader/secure-message.html` (`npm run build`); set it when the build is
   * made elsewhere and copied in.
   */
  readerFile?: string;
}

export const DEFAULT_LIMITS: LimitsConfig = {
  codeTries: 5,
  codeLifetimeSeconds: 600,
  resendThrottleSeconds: 60,
  signInStartsPerHour: 10,
  signInStartsPerClientPerHour: 30,
  signInStartsPerHourTotal: 1000,
  deviceTokenIdleDays: 90,
  accessCodeTries: 10,
  bodyBytes: 64 * 1024,
  payloadBytes: 25 * 1024 * 1024,
  defaultExpiryDays: 30,
  maxExpiryDays: 365,
  repliesPerLock: 5,
  replyMaxBytes: 10 * 1024 * 1024,
};

const GIB = 1024 * 1024 * 1024;

export const DEFAULT_PAYLOADS: PayloadsConfig = {
  store: 'file',
  // Beside the default embedded database (`.tmp/server-data`), not inside it.
  directory: '.tmp/server-payloads',
  s3: { region: 'us-east-1', bucket: '', forcePathStyle: false, keyPrefix: '' },
  maxBytes: 2 * GIB,
  quotaPerSenderBytes: 20 * GIB,
  quotaTotalBytes: 500 * GIB,
  unfinishedUploadHours: 24,
};

export const DEFAULT_CONFIG: ServerConfig = {
  databaseUrl: 'pglite:.tmp/server-data',
  host: '127.0.0.1',
  port: 8787,
  publicUrl: 'http://127.0.0.1:8787',
  organisation: { name: 'Example organisation', domains: ['example.org'] },
  smtp: { host: null, port: 587, secure: false, from: 'Sealpost <sealpost@example.org>' },
  sms: { provider: 'dev' },
  limits: DEFAULT_LIMITS,
  replies: { enabled: true },
  rememberDevices: { enabled: false, days: 30 },
  payloads: DEFAULT_PAYLOADS,
  developmentMode: false,
  devOutbox: false,
  trustProxy: false,
  secretKeyFile: 'sealpost-secret.key',
  previousSecretKeys: [],
  logLevel: 'info',
};
