/**
 * A real Sealpost server for end-to-end runs, in this process: PGlite in memory, the development
 * outbox on, SMS into the outbox, email into the outbox or (given `smtp`) to an SMTP server such
 * as the harness sink. Its clock is the real one plus an offset the test can move forward, so
 * expiry is testable without waiting. Everything is reached over real HTTP, as the add-on and
 * the reader reach it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServerSecret, loadServerSecret } from '../../../src/server/serverSecret.ts';
import type { FastifyInstance } from 'fastify';
import type { DevOutboxResponse, SignInStartResponse } from '../../../src/core/serverApi.ts';
import { buildServer } from '../../../src/server/app.ts';
import { resolveConfig, type ServerConfig } from '../../../src/server/config.ts';
import { openDatabase } from '../../../src/server/db/connect.ts';
import { migrateToLatest } from '../../../src/server/db/migrate.ts';
import type { Clock } from '../../../src/server/deps.ts';
import {
  createMailer,
  outboxMailer,
  smtpMailer,
  type Mailer,
} from '../../../src/server/mail/mailer.ts';
import { outboxSmsSender, readOutbox } from '../../../src/server/outbox.ts';

export interface SealpostServerOptions {
  /** The organisation's mail domains (senders must be of these). */
  domains: string[];
  organisationName?: string;
  /** Email codes go to this SMTP server (plain, no auth) instead of the outbox. */
  smtp?: { host: string; port: number };
  /** Overrides of `limits` (e.g. fewer access-code tries). */
  limits?: Partial<ServerConfig['limits']>;
  /** The organisation lets recipients remember a browser (off by default, as on a server). */
  rememberDevices?: ServerConfig['rememberDevices'];
  /** Port to listen on (default: any free one). */
  port?: number;
  /** `pglite:memory` (default) or `pglite:<dir>`. */
  databaseUrl?: string;
  /** Log lines go here (default: nowhere). */
  log?: NodeJS.WritableStream;
  /**
   * The server's secret key file, created on the first start (with a database kept between
   * runs, the key must be kept too). Default: a new random key for this run.
   */
  secretKeyFile?: string;
  /**
   * Where hosted payloads are kept (with a database kept between runs, keep them too). Default:
   * a new temporary directory, removed at close.
   */
  payloadDirectory?: string;
}

export type OutboxMessage = DevOutboxResponse['messages'][number];

export interface SealpostServer {
  url: string;
  app: FastifyInstance;
  /** Moves the server's clock forward (expiry, code lifetime, throttles). */
  advanceClock(seconds: number): void;
  /**
   * Sends email to another SMTP server from now on (another Thunderbird session's sink), or
   * with `null` into the development outbox.
   */
  setSmtp(smtp: { host: string; port: number } | null): void;
  /** Everything the development providers sent, newest first (`GET /api/v1/dev/outbox`). */
  outbox(): Promise<OutboxMessage[]>;
  /** The same read from the database, without a request in the server's log (for polling). */
  outboxQuietly(): Promise<OutboxMessage[]>;
  /**
   * Waits for a message to `to` newer than `after` (an outbox `at`, or null for any) that
   * contains a 6-digit code, and returns the code.
   */
  codeFromOutbox(
    to: string,
    options?: { after?: string | null; timeoutMs?: number },
  ): Promise<string>;
  close(): Promise<void>;
}

/** The 6-digit one-time code in a text mail or SMS. */
export function oneTimeCodeIn(text: string): string | null {
  return /(?<!\d)(\d{6})(?!\d)/.exec(text)?.[1] ?? null;
}

export async function startSealpostServer(options: SealpostServerOptions): Promise<SealpostServer> {
  const databaseUrl = options.databaseUrl ?? 'pglite:memory';
  const temporaryPayloads = options.payloadDirectory
    ? null
    : await mkdtemp(join(tmpdir(), 'sealpost-e2e-payloads-'));
  const resolved = resolveConfig(
    {
      databaseUrl,
      host: '127.0.0.1',
      port: options.port ?? 0,
      organisation: {
        name: options.organisationName ?? 'Example organisation',
        domains: options.domains,
      },
      developmentMode: true,
      devOutbox: true,
      logLevel: options.log ? 'info' : 'silent',
      ...(options.smtp
        ? { smtp: { host: options.smtp.host, port: options.smtp.port, secure: false } }
        : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.rememberDevices ? { rememberDevices: options.rememberDevices } : {}),
      payloads: { directory: options.payloadDirectory ?? temporaryPayloads },
    },
    {},
  );
  if (!resolved.ok) throw new Error(`server config invalid: ${resolved.errors.join('; ')}`);
  const config = resolved.config;
  let secret = generateServerSecret();
  if (options.secretKeyFile) {
    const loaded = await loadServerSecret({
      key: undefined,
      keyFile: options.secretKeyFile,
      previousKeys: [],
    });
    if (!loaded.ok) throw new Error(loaded.error);
    secret = loaded.secret;
  }
  const database = await openDatabase(databaseUrl);
  await migrateToLatest(database.db);
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
  // Email goes through a mailer that can be pointed at another SMTP server later.
  let transport: Mailer = createMailer(config.smtp, database.db, clock);
  const mailer: Mailer = {
    send: (mail) => transport.send(mail),
    close: () => transport.close?.(),
  };
  const app = await buildServer({
    config,
    db: database.db,
    clock,
    mailer,
    sms: outboxSmsSender(database.db, clock),
    secret,
    ...(options.log ? { logStream: options.log } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  const url = `http://127.0.0.1:${address.port}`;
  // Links the server hands out (readerUrl) must point at where it really listens.
  config.publicUrl = url;

  const outbox = async (): Promise<OutboxMessage[]> => {
    const response = await fetch(`${url}/api/v1/dev/outbox`);
    if (!response.ok) throw new Error(`dev outbox: HTTP ${response.status}`);
    return ((await response.json()) as DevOutboxResponse).messages;
  };

  return {
    url,
    app,
    advanceClock(seconds) {
      offsetMs += seconds * 1000;
    },
    setSmtp(smtp) {
      transport.close?.();
      transport = smtp ? smtpMailer({ ...config.smtp, ...smtp }) : outboxMailer(database.db, clock);
    },
    outbox,
    async outboxQuietly() {
      return (await readOutbox(database.db)).map((row) => ({
        at: row.at.toISOString(),
        channel: row.channel,
        to: row.recipient,
        text: row.text,
      }));
    },
    async codeFromOutbox(to, { after = null, timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = (await outbox()).find(
          (message) => message.to === to && (after === null || message.at > after),
        );
        const code = match ? oneTimeCodeIn(match.text) : null;
        if (code) return code;
        if (Date.now() > deadline) throw new Error(`no code for ${to} in the dev outbox`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await app.close();
      mailer.close?.();
      await database.close();
      if (temporaryPayloads) await rm(temporaryPayloads, { recursive: true, force: true });
    },
  };
}

/**
 * Signs `address` in through the real API (start, the mailed code, complete) and returns the
 * device token. `readCode` fetches the code sent to the address (outbox or SMTP sink).
 */
export async function signInSender(
  server: Pick<SealpostServer, 'url'>,
  address: string,
  readCode: () => Promise<string>,
): Promise<string> {
  const started = await postJson<SignInStartResponse>(`${server.url}/api/v1/auth/start`, {
    address,
  });
  const code = await readCode();
  const completed = await postJson<{ token: string }>(`${server.url}/api/v1/auth/complete`, {
    challengeId: started.challengeId,
    code,
    deviceName: 'sealpost e2e',
  });
  return completed.token;
}

/** POSTs JSON (optionally with a device token) and returns the JSON answer; throws on errors. */
export async function postJson<Answer>(
  url: string,
  body: unknown,
  token?: string,
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Answer;
  if (!response.ok)
    throw new Error(`POST ${url}: HTTP ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** GETs JSON with a device token and returns the answer; throws on errors. */
export async function getJson<Answer>(url: string, token: string): Promise<Answer> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const answer = (await response.json()) as Answer;
  if (!response.ok)
    throw new Error(`GET ${url}: HTTP ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}
