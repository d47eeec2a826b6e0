/**
 * Recipients' OpenPGP public keys (docs/keys.md): where an `account` comes from. In order, the
 * organisation's Sealpost server (colleagues' keys), WKD on the recipient's domain, and keys the
 * sender imported by hand. Lookups run in the background and are cached with a lifetime; the
 * panel reads only the cache, so it never waits for the network, and says while it is looking.
 */
import { normaliseAddress } from '../core/address.ts';
import type { KnownKey } from '../core/decideSend.ts';
import type { ImportKeyAnswer, PublicKeyEntry, PublicKeySource } from '../messaging/protocol.ts';
import { wkdUrls } from '../core/wkd.ts';
import { inspectPublicKey, type PublicKeyInfo } from '../crypto/index.ts';
import type { Host } from '../platform/host.ts';
import { DEFAULTS_FILE, type ServerConnection } from './serverSettings.ts';

/** A found key (WKD) is looked up again after a day… */
export const KEY_FRESH_MS = 24 * 60 * 60 * 1000;
/**
 * …one from the organisation's server after half a minute, as the directory is: asking costs
 * little, and a colleague's new key (and so a key change to confirm) shows up at once.
 */
export const SERVER_KEY_FRESH_MS = 30_000;
/** …and used at most a week after it was last confirmed, should every lookup fail meanwhile. */
export const KEY_USABLE_MS = 7 * 24 * 60 * 60 * 1000;
/** An address without a key is asked about again after an hour. */
export const NO_KEY_FRESH_MS = 60 * 60 * 1000;
/** Each WKD request gives up after this long: a slow domain must not hold keys back. */
export const WKD_TIMEOUT_MS = 3_000;
const MAX_WKD_BYTES = 64 * 1024;

const manualKey = (address: string) => `key:manual:${address}`;
const foundKey = (address: string) => `key:found:${address}`;
const revokedKey = (fingerprint: string) => `key:revoked:${fingerprint}`;

interface StoredKey extends PublicKeyInfo {
  source: PublicKeySource;
  /** When this key was imported or last confirmed by a lookup (ms since the epoch). */
  checkedAt: number;
}

interface FoundRecord {
  key: StoredKey | null;
  /** When the address was last looked up (the key's own `checkedAt` is when one confirmed it). */
  checkedAt: number;
}

/** Addresses being looked up now, in this background page (the panel says "looking"). */
const inFlight = new Set<string>();

export function isLookingUp(address: string): boolean {
  return inFlight.has(normaliseAddress(address));
}

/** The key to seal to for an address, from the cache only; null when none is usable. */
export async function knownKey(
  host: Host,
  address: string,
  now: number = Date.now(),
): Promise<(KnownKey & { entry: PublicKeyEntry }) | null> {
  const normalised = normaliseAddress(address);
  const found = await host.local.get<FoundRecord>(foundKey(normalised));
  const candidates = [
    found?.key && now - found.key.checkedAt < KEY_USABLE_MS ? found.key : null,
    (await host.local.get<StoredKey>(manualKey(normalised))) ?? null,
  ];
  for (const key of candidates) {
    if (!key || !key.addresses.includes(normalised)) continue;
    if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) continue;
    if ((await host.local.get<boolean>(revokedKey(key.fingerprint))) === true) continue;
    return {
      fingerprint: key.fingerprint,
      publicKey: key.armored,
      entry: entryOf(normalised, key),
    };
  }
  return null;
}

/** Every address's usable key, for the send decision. */
export async function knownKeys(
  host: Host,
  addresses: readonly string[],
): Promise<Map<string, KnownKey>> {
  const keys = new Map<string, KnownKey>();
  for (const address of new Set(addresses.map(normaliseAddress))) {
    const key = await knownKey(host, address);
    if (key) keys.set(address, { fingerprint: key.fingerprint, publicKey: key.publicKey });
  }
  return keys;
}

export interface LookupSources {
  /** The signed-in server (colleagues' keys), or null. */
  server: ServerConnection | null;
  /** Test builds only: every WKD request goes to this loopback base (docs/keys.md). */
  wkdBase: string | null;
}

/**
 * Looks up the keys of addresses whose cache is stale, in the background: the caller does not
 * wait (`void refreshKeys(…)`). Resolves when done, for tests and the options page.
 */
export async function refreshKeys(
  host: Host,
  addresses: readonly string[],
  sources: LookupSources,
  now: number = Date.now(),
): Promise<void> {
  const stale: string[] = [];
  for (const address of new Set(addresses.map(normaliseAddress))) {
    if (inFlight.has(address)) continue;
    const found = await host.local.get<FoundRecord>(foundKey(address));
    const freshFor = !found?.key
      ? NO_KEY_FRESH_MS
      : found.key.source === 'server'
        ? SERVER_KEY_FRESH_MS
        : KEY_FRESH_MS;
    if (found && now - found.checkedAt < freshFor && now >= found.checkedAt) continue;
    stale.push(address);
  }
  if (stale.length === 0) return;
  for (const address of stale) inFlight.add(address);
  try {
    const fromServer = await serverKeys(sources.server, stale, now);
    await Promise.all(
      stale.map(async (address) => {
        const key = fromServer.get(address) ?? (await wkdKey(host, address, sources.wkdBase, now));
        await remember(host, address, key, now);
      }),
    );
  } finally {
    for (const address of stale) inFlight.delete(address);
  }
}

/** Stores a lookup's answer: a key (or its absence, or its revocation) replaces the old one. */
async function remember(
  host: Host,
  address: string,
  key: StoredKey | 'revoked' | null,
  now: number,
): Promise<void> {
  const previous = await host.local.get<FoundRecord>(foundKey(address));
  if (key === 'revoked') {
    // The source now publishes the key revoked: never use it again, from any source.
    if (previous?.key) await host.local.set(revokedKey(previous.key.fingerprint), true);
    const manual = await host.local.get<StoredKey>(manualKey(address));
    if (manual) await host.local.set(revokedKey(manual.fingerprint), true);
    await host.local.set(foundKey(address), { key: null, checkedAt: now });
    return;
  }
  // No answer (a domain or server not reachable, or no key there any more) keeps a key found
  // before: it stays usable until a week after a lookup last confirmed it, and a revocation
  // is caught as soon as a lookup sees it.
  await host.local.set(foundKey(address), { key: key ?? previous?.key ?? null, checkedAt: now });
}

async function serverKeys(
  server: ServerConnection | null,
  addresses: string[],
  now: number,
): Promise<Map<string, StoredKey | 'revoked'>> {
  const keys = new Map<string, StoredKey | 'revoked'>();
  if (!server) return keys;
  const result = await server.quickClient.lookupKeys(addresses);
  if (!result.ok) return keys;
  for (const entry of result.value) {
    const address = normaliseAddress(entry.address);
    const checked = await checkKey(entry.publicKey, address, 'server', now);
    if (checked !== null) keys.set(address, checked);
  }
  return keys;
}

/** WKD, advanced then direct (as GnuPG does); any failure is "no key", never an error. */
async function wkdKey(
  host: Host,
  address: string,
  base: string | null,
  now: number,
): Promise<StoredKey | 'revoked' | null> {
  const urls = await wkdUrls(address, base);
  if (!urls) return null;
  for (const url of [urls.advanced, urls.direct]) {
    const bytes = await fetchKeyBytes(host, url);
    if (bytes === null) continue;
    const checked = await checkKey(bytes, address, 'wkd', now);
    if (checked !== null) return checked;
  }
  return null;
}

async function fetchKeyBytes(host: Host, url: string): Promise<Uint8Array | null> {
  try {
    const response = await host.fetch(url, {
      method: 'GET',
      credentials: 'omit',
      redirect: 'follow',
      signal: AbortSignal.timeout(WKD_TIMEOUT_MS),
    });
    if (!response.ok) return null;
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.length > 0 && bytes.length <= MAX_WKD_BYTES ? bytes : null;
  } catch {
    return null;
  }
}

/** A key from a lookup, if usable for the address; 'revoked' when it was revoked. */
async function checkKey(
  key: string | Uint8Array,
  address: string,
  source: PublicKeySource,
  now: number,
): Promise<StoredKey | 'revoked' | null> {
  const inspected = await inspectPublicKey({ key, address, date: new Date(now) });
  if (!inspected.ok) return inspected.problem === 'revoked' ? 'revoked' : null;
  return { ...inspected.key, source, checkedAt: now };
}

/**
 * A key the sender imports by hand (pasted or from a file, armored or binary): kept for every
 * address among its user IDs until removed.
 */
export async function importKey(
  host: Host,
  key: string | Uint8Array,
  now: number = Date.now(),
): Promise<ImportKeyAnswer> {
  const inspected = await inspectPublicKey({ key });
  if (!inspected.ok) return inspected;
  if (inspected.key.addresses.length === 0) return { ok: false, problem: 'no-address' };
  const stored: StoredKey = { ...inspected.key, source: 'manual', checkedAt: now };
  for (const address of inspected.key.addresses) await host.local.set(manualKey(address), stored);
  return {
    ok: true,
    keys: inspected.key.addresses.map((address) => entryOf(address, stored)),
  };
}

export async function removeImportedKey(host: Host, address: string): Promise<boolean> {
  const normalised = normaliseAddress(address);
  const existed = (await host.local.get(manualKey(normalised))) !== undefined;
  await host.local.remove(manualKey(normalised));
  return existed;
}

/** Every key known, imported and found, for the options page. */
export async function listKeys(host: Host): Promise<PublicKeyEntry[]> {
  const manual = await host.local.entries<StoredKey>('key:manual:');
  const found = await host.local.entries<FoundRecord>('key:found:');
  const entries = [
    ...manual.map(([name, key]) => entryOf(name.slice('key:manual:'.length), key)),
    ...found.flatMap(([name, record]) =>
      record.key ? [entryOf(name.slice('key:found:'.length), record.key)] : [],
    ),
  ];
  return entries.sort(
    (a, b) => a.address.localeCompare(b.address) || a.source.localeCompare(b.source),
  );
}

function entryOf(address: string, key: StoredKey): PublicKeyEntry {
  return {
    address,
    fingerprint: key.fingerprint,
    version: key.version,
    userIds: key.userIds,
    algorithm: key.algorithm,
    expiresAt: key.expiresAt,
    source: key.source,
    checkedAt: new Date(key.checkedAt).toISOString(),
  };
}

/** Loopback only: no build can send WKD lookups to another machine this way. */
const LOOPBACK_BASE = /^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?\/?$/;

/**
 * The WKD base of a test build: `wkdBaseUrl` in the packaged `defaults.json` that only
 * development and test builds carry (docs/keys.md), and only a loopback URL.
 */
export function testWkdBase(host: Host): Promise<string | null> {
  // The package does not change while the add-on runs; the panel asks every second.
  let base = wkdBases.get(host);
  if (!base) {
    base = readWkdBase(host);
    wkdBases.set(host, base);
  }
  return base;
}

const wkdBases = new WeakMap<Host, Promise<string | null>>();

async function readWkdBase(host: Host): Promise<string | null> {
  const text = await host.packagedText(DEFAULTS_FILE);
  if (text === null) return null;
  try {
    const value = (JSON.parse(text) as { wkdBaseUrl?: unknown }).wkdBaseUrl;
    return typeof value === 'string' && LOOPBACK_BASE.test(value) ? value : null;
  } catch {
    return null;
  }
}
