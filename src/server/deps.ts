/**
 * What the server is built from. Everything with an outside effect (database, time, mail, SMS,
 * log output) is injected, so tests run the real HTTP stack with a moving clock and a captured log.
 */
import type { Kysely } from 'kysely';
import type { ServerConfig } from './config.ts';
import type { Database } from './db/schema.ts';
import type { Mailer } from './mail/mailer.ts';
import type { PayloadStore } from './payloads/payloadStore.ts';
import type { ServerSecret } from './serverSecret.ts';

/** The only source of "now" on the server. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Sends one text message to an E.164 number. Implementations live in `src/server/providers`. */
export interface SmsSender {
  send(message: { to: string; text: string }): Promise<void>;
}

/** What `buildServer` is given: without `payloads`, it opens the store `config.payloads` names. */
export type ServerDepsInput = Omit<ServerDeps, 'payloads'> & { payloads?: PayloadStore };

export interface ServerDeps {
  config: ServerConfig;
  db: Kysely<Database>;
  clock: Clock;
  mailer: Mailer;
  sms: SmsSender;
  /** The secret kept outside the database: keys code verifiers, encrypts organisation codes. */
  secret: ServerSecret;
  /** Where hosted payloads' bytes live (files or S3); the database keeps only their rows. */
  payloads: PayloadStore;
  /** Where the JSON log lines go (default stdout); tests pass a collecting stream. */
  logStream?: NodeJS.WritableStream;
  /** How often ended payloads are deleted (default hourly); tests shorten it. */
  housekeepingIntervalMs?: number;
}
