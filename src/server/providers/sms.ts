/**
 * SMS providers: where the server's one-time codes go. Every provider has the same port, so the
 * verification code never knows which one is configured, and failures are values: a provider
 * that is down makes the route answer `unavailable`, never a half-sent state.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock, SmsSender } from '../deps.ts';
import { writeOutbox } from '../outbox.ts';
import { maskPhoneNumber } from './phone.ts';

export interface SmsMessage {
  /** E.164. */
  to: string;
  text: string;
}

export type SmsResult = { ok: true } | { ok: false; reason: 'unavailable'; detail: string };

/** Sends one text message. */
export interface SmsProvider {
  readonly name: 'dev' | 'webhook' | 'twilio';
  send(message: SmsMessage): Promise<SmsResult>;
}

/** Provider settings as in the server config's `sms` section. */
export interface SmsSettings {
  provider: 'dev' | 'webhook' | 'twilio';
  url?: string;
  accountSid?: string;
  authToken?: string;
  from?: string;
}

/** The parts of the server a provider may use. */
export interface SmsProviderDependencies {
  /** Stores a development-outbox entry (the core's outbox table). */
  recordInOutbox: (entry: { channel: 'sms'; to: string; text: string }) => Promise<void>;
  /** One line for the server log; never given the full number. */
  log: (line: string) => void;
  fetch?: typeof fetch;
  /** Per request; a provider that hangs must not hold the recipient's request forever. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Picks the configured provider; a setting it needs but lacks is a configuration error (throws at start). */
export function createSmsProvider(
  settings: SmsSettings,
  dependencies: SmsProviderDependencies,
): SmsProvider {
  switch (settings.provider) {
    case 'dev':
      return createDevOutboxSmsProvider(dependencies);
    case 'webhook':
      return createWebhookSmsProvider({ url: required(settings, 'url') }, dependencies);
    case 'twilio':
      return createTwilioSmsProvider(
        {
          baseUrl: settings.url ?? 'https://api.twilio.com',
          accountSid: required(settings, 'accountSid'),
          authToken: required(settings, 'authToken'),
          from: required(settings, 'from'),
        },
        dependencies,
      );
  }
}

/**
 * Development (only with `developmentMode`): the text goes to the outbox table, shown on
 * `/dev/outbox` (and printed by `npm start`). The log says only that a message is waiting there,
 * to a masked number: no code ever reaches a log.
 */
export function createDevOutboxSmsProvider(dependencies: SmsProviderDependencies): SmsProvider {
  return {
    name: 'dev',
    async send(message) {
      try {
        await dependencies.recordInOutbox({ channel: 'sms', to: message.to, text: message.text });
      } catch (error) {
        return { ok: false, reason: 'unavailable', detail: `outbox: ${describe(error)}` };
      }
      dependencies.log(`[dev sms] to ${maskPhoneNumber(message.to)}: in the development outbox`);
      return { ok: true };
    },
  };
}

/** Generic webhook: `POST <url>` with JSON `{ to, text }`; any 2xx is success. */
export function createWebhookSmsProvider(
  settings: { url: string },
  dependencies: SmsProviderDependencies,
): SmsProvider {
  return {
    name: 'webhook',
    send: (message) =>
      post(
        settings.url,
        {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to: message.to, text: message.text }),
        },
        dependencies,
      ),
  };
}

/**
 * Twilio's Messages API: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`, form-encoded
 * `To`, `From`, `Body`, HTTP basic auth with the account SID and auth token
 * (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
 * The base URL is configurable so tests (and regional endpoints) can point it elsewhere.
 */
export function createTwilioSmsProvider(
  settings: { baseUrl: string; accountSid: string; authToken: string; from: string },
  dependencies: SmsProviderDependencies,
): SmsProvider {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    send: (message) =>
      post(
        url,
        {
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
          body: new URLSearchParams({
            To: message.to,
            From: settings.from,
            Body: message.text,
          }).toString(),
        },
        dependencies,
      ),
  };
}

async function post(
  url: string,
  init: { headers: Record<string, string>; body: string },
  dependencies: SmsProviderDependencies,
): Promise<SmsResult> {
  const fetchImplementation = dependencies.fetch ?? fetch;
  try {
    const response = await fetchImplementation(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(dependencies.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    // The body is drained either way so the connection can be reused; its content is not logged
    // (a vendor may echo the message text, i.e. the code).
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true };
    return { ok: false, reason: 'unavailable', detail: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, reason: 'unavailable', detail: describe(error) };
  }
}

function required(settings: SmsSettings, key: 'url' | 'accountSid' | 'authToken' | 'from'): string {
  const value = settings[key];
  if (value === undefined || value === '') {
    throw new Error(`sms.${key} is required for the ${settings.provider} SMS provider`);
  }
  return value;
}

/** An error in one line, with what it wraps: fetch says only "fetch failed", its cause why. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as (Error & { code?: string }) | undefined;
  const why = cause instanceof Error ? ` (${cause.code ?? cause.name}: ${cause.message})` : '';
  return `${error.name}: ${error.message}${why}`;
}

/**
 * The configured provider as the server's `SmsSender` port (src/server/deps.ts), which rejects
 * when a message could not be sent. `main.ts` wires it:
 * `sms: smsSenderForServer(config.sms, database.db, systemClock)`.
 */
export function smsSenderForServer(
  settings: SmsSettings,
  db: Kysely<Database>,
  clock: Clock,
  log: (line: string) => void = (line) => console.log(line),
): SmsSender {
  const provider = createSmsProvider(settings, {
    recordInOutbox: (entry) =>
      writeOutbox(db, clock, { channel: 'sms', recipient: entry.to, text: entry.text }),
    log,
  });
  return {
    async send(message) {
      const result = await provider.send(message);
      if (!result.ok) throw new Error(`SMS provider ${provider.name} failed: ${result.detail}`);
    },
  };
}
