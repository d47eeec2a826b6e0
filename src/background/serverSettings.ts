import { normaliseAddress } from '../core/address.ts';
import {
  createServerClient,
  validateServerUrl,
  type ServerClient,
  type ServerFailure,
} from '../core/serverClient.ts';
import { serverFailureText, type ServerAction } from '../core/serverFailureText.ts';
import type { ServerAnswer, ServerSettingsView } from '../messaging/protocol.ts';
import type { DirectoryEntry, OrganisationInfo } from '../core/serverApi.ts';
import type { Host } from '../platform/host.ts';
import { loadSettings, type PolicyContext } from './policySettings.ts';

/**
 * The Sealpost server as this installation knows it: its URL (the organisation's policy, else
 * the options page, else the development `defaults.json`) and the sender's device
 * token from signing in, both in `storage.local`. A server counts as configured when there is a
 * URL and a token the server has not refused.
 */
const URL_KEY = 'server:url';
const SESSION_KEY = 'server:session';
/** Written only by `npm start`'s development setup; not part of the shipped package. */
export const DEFAULTS_FILE = 'defaults.json';

interface StoredSession {
  /** The server the token belongs to: a token is never sent to another one. */
  serverUrl: string;
  token: string;
  address: string;
  organisation: OrganisationInfo;
}

/** A configured server: its URL, who is signed in, and a client carrying the token. */
export interface ServerConnection {
  url: string;
  address: string;
  organisation: OrganisationInfo;
  client: ServerClient;
  /**
   * The same with a short timeout, for lookups the panel waits on while it opens: a server
   * that does not answer must not keep the panel empty for the full sealing timeout.
   */
  quickClient: ServerClient;
}

/** The server URL and where it came from. An explicit "no server" in the options wins over defaults. */
export async function currentServerUrl(
  host: Host,
  /** The settings in force, when the caller has read them already. */
  settings?: PolicyContext,
): Promise<{ url: string | null; source: ServerSettingsView['urlSource'] }> {
  // The organisation's server wins over everything; an invalid one in the policy means no
  // server at all (its safe fallback), never the sender's own choice.
  const fromPolicy = (settings ?? (await loadSettings(host))).effective.serverUrl;
  if (fromPolicy.source === 'organisation') {
    const checked = fromPolicy.value ? validateServerUrl(fromPolicy.value) : null;
    return { url: checked?.ok ? checked.url : null, source: 'policy' };
  }
  const stored = await host.local.get<unknown>(URL_KEY);
  if (stored === null) return { url: null, source: null };
  if (typeof stored === 'string') {
    const checked = validateServerUrl(stored);
    if (checked.ok) return { url: checked.url, source: 'options' };
  }
  const defaults = await readDefaults(host);
  return defaults ? { url: defaults, source: 'defaults' } : { url: null, source: null };
}

async function readDefaults(host: Host): Promise<string | null> {
  const text = await host.packagedText(DEFAULTS_FILE);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { serverUrl?: unknown };
    if (typeof value.serverUrl !== 'string') return null;
    const checked = validateServerUrl(value.serverUrl);
    return checked.ok ? checked.url : null;
  } catch {
    return null;
  }
}

async function currentSession(host: Host, url: string | null): Promise<StoredSession | null> {
  if (url === null) return null;
  const session = await host.local.get<StoredSession>(SESSION_KEY);
  if (
    !session ||
    session.serverUrl !== url ||
    typeof session.token !== 'string' ||
    typeof session.address !== 'string'
  ) {
    return null;
  }
  return session;
}

/** The configured server with a token, or null when there is none (then no server method works). */
export async function serverConnection(host: Host): Promise<ServerConnection | null> {
  return (await serverState(host)).connection;
}

/**
 * The server URL in force and, when the sender is signed in to it, the connection; one read for
 * callers that need both (a URL without a connection means "sign in first").
 */
export async function serverState(
  host: Host,
  settings?: PolicyContext,
): Promise<{ url: string | null; connection: ServerConnection | null }> {
  const { url } = await currentServerUrl(host, settings);
  const session = await currentSession(host, url);
  if (url === null || session === null) return { url, connection: null };
  return { url, connection: connect(host, url, session) };
}

function connect(host: Host, url: string, session: StoredSession): ServerConnection {
  return {
    url,
    address: session.address,
    organisation: session.organisation,
    client: createServerClient({ baseUrl: url, token: session.token, fetch: host.fetch }),
    quickClient: createServerClient({
      baseUrl: url,
      token: session.token,
      fetch: host.fetch,
      timeoutMs: QUICK_TIMEOUT_MS,
    }),
  };
}

/**
 * Called with every failed sender call: a token the server no longer accepts (revoked by an
 * admin, signed out elsewhere) is dropped, so the panel stops offering server methods.
 */
export async function noteServerFailure(host: Host, failure: ServerFailure): Promise<void> {
  if (failure.code === 'unauthorized') await host.local.remove(SESSION_KEY);
}

/**
 * The organisation's name in force: the one the policy sets wins (it is the organisation's own
 * word), else the name the server gave at sign-in. One rule for the options page and the panel.
 */
export function organisationNameInForce(
  settings: PolicyContext,
  signedIn: { organisation: OrganisationInfo } | null,
): string | null {
  const fromPolicy = settings.effective.organisationName;
  if (fromPolicy.source === 'organisation' && fromPolicy.value) return fromPolicy.value;
  return signedIn?.organisation.name ?? null;
}

/**
 * The server in force as the options page shows it (its server section and, through
 * ./settingsInForce.ts, its settings rows): URL, where it came from, who is signed in.
 */
export async function serverSettingsView(
  host: Host,
  /** The settings in force, when the caller has read them already. */
  settings?: PolicyContext,
): Promise<ServerSettingsView> {
  const context = settings ?? (await loadSettings(host));
  const { url, source } = await currentServerUrl(host, context);
  const session = await currentSession(host, url);
  const signedIn = session
    ? { address: session.address, organisation: session.organisation }
    : null;
  return {
    serverUrl: url,
    urlSource: source,
    signedIn,
    organisationName: organisationNameInForce(context, signedIn),
  };
}

/** Sets the server URL from the options page; null means "no server", even over defaults. */
export async function setServerUrl(
  host: Host,
  text: string | null,
): Promise<ServerAnswer<ServerSettingsView>> {
  if ((await currentServerUrl(host)).source === 'policy') {
    return { ok: false, code: 'set-by-policy', message: host.message('serverUrlSetByPolicy') };
  }
  if (text === null || text.trim() === '') {
    await host.local.set(URL_KEY, null);
    await host.local.remove(SESSION_KEY);
    return { ok: true, value: await serverSettingsView(host) };
  }
  const checked = validateServerUrl(text);
  if (!checked.ok) {
    return {
      ok: false,
      code: checked.reason === 'insecure' ? 'insecure-url' : 'invalid-url',
      message: host.message(
        checked.reason === 'insecure' ? 'serverUrlInsecure' : 'serverUrlInvalid',
      ),
    };
  }
  await host.local.set(URL_KEY, checked.url);
  // A token belongs to the server that issued it (currentSession checks the URL too).
  const session = await host.local.get<StoredSession>(SESSION_KEY);
  if (session && session.serverUrl !== checked.url) await host.local.remove(SESSION_KEY);
  return { ok: true, value: await serverSettingsView(host) };
}

/**
 * A failed call as the options page shows it: the code kept for the page's logic, the message a
 * sentence for people (never the server's technical words, see core/serverFailureText.ts).
 */
export function failureAnswer(
  host: Host,
  failure: ServerFailure,
  action: ServerAction = 'other',
): { ok: false; code: ServerFailure['code']; message: string } {
  return {
    ok: false,
    code: failure.code,
    message: serverFailureText(
      failure,
      (key, substitutions = []) => host.message(key, [...substitutions]),
      action,
    ),
  };
}

function notConfigured(host: Host): { ok: false; code: 'not-configured'; message: string } {
  return { ok: false, code: 'not-configured', message: host.message('serverNotConfigured') };
}

/** Step 1 of signing in: the server mails a one-time code to the sender's address. */
export async function signInStart(
  host: Host,
  address: string,
): Promise<ServerAnswer<{ challengeId: string; expiresAt: string }>> {
  const { url } = await currentServerUrl(host);
  if (url === null) return notConfigured(host);
  const client = createServerClient({ baseUrl: url, fetch: host.fetch });
  const result = await client.signInStart(normaliseAddress(address));
  if (!result.ok) return failureAnswer(host, result, 'sign-in-start');
  return { ok: true, value: result.value };
}

/** Step 2: the code from the mail gives a device token, kept in `storage.local`. */
export async function signInComplete(
  host: Host,
  challengeId: string,
  code: string,
): Promise<ServerAnswer<ServerSettingsView>> {
  const { url } = await currentServerUrl(host);
  if (url === null) return notConfigured(host);
  const client = createServerClient({ baseUrl: url, fetch: host.fetch });
  const result = await client.signInComplete({
    challengeId,
    code: code.trim(),
    deviceName: host.deviceName(),
  });
  if (!result.ok) return failureAnswer(host, result, 'sign-in-complete');
  const session: StoredSession = {
    serverUrl: url,
    token: result.value.token,
    address: result.value.address,
    organisation: result.value.organisation,
  };
  await host.local.set(SESSION_KEY, session);
  return { ok: true, value: await serverSettingsView(host) };
}

/** Signs out: the server revokes the token (best effort) and it is forgotten here in any case. */
export async function signOut(host: Host): Promise<ServerSettingsView> {
  const connection = await serverConnection(host);
  if (connection) await connection.client.signOut();
  await host.local.remove(SESSION_KEY);
  return serverSettingsView(host);
}

/** How long directory entries fetched for the panel are reused (it polls every second). */
export const DIRECTORY_CACHE_MS = 30_000;
/** After a failed lookup, the panel's polls leave the server alone this long. */
export const DIRECTORY_RETRY_MS = 15_000;
const QUICK_TIMEOUT_MS = 3_000;
const DIRECTORY_FAILED_KEY = 'directory-failed-at';
const directoryKey = (address: string) => `directory:${address}`;

interface CachedDirectoryEntry {
  entry: DirectoryEntry | null;
  fetchedAt: number;
}

/**
 * Directory entries for these addresses: from `storage.session` when fetched in the last 30 s,
 * else from the server in one request. A colleague's setup so appears within half a minute.
 * When the server cannot be asked, the cached entries (if any) are used.
 */
export async function directoryEntries(
  host: Host,
  connection: ServerConnection,
  addresses: readonly string[],
  now: number = Date.now(),
): Promise<Map<string, DirectoryEntry>> {
  const entries = new Map<string, DirectoryEntry>();
  const stale: string[] = [];
  for (const address of new Set(addresses)) {
    const cached = await host.session.get<CachedDirectoryEntry>(directoryKey(address));
    if (cached?.entry) entries.set(address, cached.entry);
    if (!cached || now - cached.fetchedAt > DIRECTORY_CACHE_MS || now < cached.fetchedAt) {
      stale.push(address);
    }
  }
  if (stale.length === 0) return entries;
  const failedAt = await host.session.get<number>(DIRECTORY_FAILED_KEY);
  if (failedAt !== undefined && now - failedAt < DIRECTORY_RETRY_MS && now >= failedAt) {
    return entries;
  }
  const result = await connection.quickClient.directory(stale);
  if (!result.ok) {
    await noteServerFailure(host, result);
    await host.session.set(DIRECTORY_FAILED_KEY, now);
    return entries;
  }
  await host.session.remove(DIRECTORY_FAILED_KEY);
  const found = new Map(result.value.map((entry) => [normaliseAddress(entry.address), entry]));
  for (const address of stale) {
    const entry = found.get(address) ?? null;
    await host.session.set(directoryKey(address), { entry, fetchedAt: now });
    if (entry) entries.set(address, entry);
    else entries.delete(address);
  }
  return entries;
}

/** Remembers a directory entry just written, so the panel shows it without waiting. */
export async function cacheDirectoryEntry(
  host: Host,
  entry: DirectoryEntry,
  now: number = Date.now(),
): Promise<void> {
  await host.session.set(directoryKey(normaliseAddress(entry.address)), { entry, fetchedAt: now });
}
