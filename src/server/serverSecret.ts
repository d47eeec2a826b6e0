/**
 * The server's secret key ("pepper"): kept outside the database, so a copy of the database alone
 * can neither test guesses against a stored code verifier nor read an organisation-wide code.
 *
 * - Every code verifier (access codes, one-time codes, sign-in codes) is
 *   HMAC-SHA256(verifier key, salt ‖ 0x00 ‖ code), the verifier key derived from the secret.
 * - Organisation-wide codes are stored AES-256-GCM encrypted under a key derived from it.
 *
 * Rotation: a new key becomes `current`; the old one stays in `previous` for as long as anything
 * made under it may still be checked (a message's lifetime, at most `limits.maxExpiryDays`).
 * Verifiers and codes made under a previous key still match and decrypt; new ones use `current`,
 * and organisation codes are re-encrypted under it at start (`reencryptOrgCodes`).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Bytes of a secret key: 256 bits. */
export const SECRET_KEY_BYTES = 32;

export interface ServerSecret {
  current: Uint8Array;
  /** Keys rotated out, still accepted for checking and decrypting. */
  previous: Uint8Array[];
}

/** A new random secret (tests, and the first start without a configured key). */
export function generateServerSecret(): ServerSecret {
  return { current: new Uint8Array(randomBytes(SECRET_KEY_BYTES)), previous: [] };
}

/** A key as written in the configuration or the key file: base64url (or base64) of 32 bytes. */
export function parseSecretKey(text: string): Uint8Array | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(trimmed)) return null;
  const bytes = Buffer.from(trimmed.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
  return bytes.length === SECRET_KEY_BYTES ? new Uint8Array(bytes) : null;
}

export function formatSecretKey(key: Uint8Array): string {
  return Buffer.from(key).toString('base64url');
}

function subkey(key: Uint8Array, purpose: string): Buffer {
  return createHmac('sha256', key).update(`sealpost-${purpose}-v1`, 'utf8').digest();
}

/** The stored form of a code: a random salt and its keyed digest. */
export interface CodeVerifier {
  salt: Uint8Array;
  digest: Uint8Array;
}

function verifierDigest(key: Uint8Array, salt: Uint8Array, code: string): Buffer {
  return createHmac('sha256', subkey(key, 'verifier'))
    .update(salt)
    .update(Buffer.from([0]))
    .update(code, 'utf8')
    .digest();
}

/** The verifier of a code (already in its normalised form), under the current key. */
export function makeVerifier(
  secret: ServerSecret,
  code: string,
  salt: Uint8Array = randomBytes(16),
): CodeVerifier {
  return { salt, digest: verifierDigest(secret.current, salt, code) };
}

/**
 * True when `candidate` matches the stored verifier under the current or a previous key. Each
 * comparison is constant time in the candidate; a stored digest of another length never matches.
 */
export function verifierMatches(
  secret: ServerSecret,
  stored: CodeVerifier,
  candidate: string,
): boolean {
  let matched = false;
  for (const key of [secret.current, ...secret.previous]) {
    const digest = verifierDigest(key, stored.salt, candidate);
    if (digest.length === stored.digest.length && timingSafeEqual(digest, stored.digest)) {
      matched = true;
    }
  }
  return matched;
}

const SEALED_PREFIX = 'sealed1:';

/** Encrypts a short text at rest (AES-256-GCM, random 96-bit nonce) under the current key. */
export function sealAtRest(secret: ServerSecret, text: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subkey(secret.current, 'at-rest'), nonce);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
}

/** Whether a stored value was written by `sealAtRest` (older rows hold plain text). */
export function isSealedAtRest(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/**
 * Decrypts what `sealAtRest` wrote, trying the current key and then the previous ones. A value
 * that no key opens is damage (or a key that was dropped too early): it throws.
 */
export function openAtRest(secret: ServerSecret, stored: string): string {
  if (!isSealedAtRest(stored)) return stored;
  const bytes = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64url');
  if (bytes.length < 12 + 16) throw new Error('A value sealed at rest is damaged.');
  const nonce = bytes.subarray(0, 12);
  const tag = bytes.subarray(bytes.length - 16);
  const body = bytes.subarray(12, bytes.length - 16);
  for (const key of [secret.current, ...secret.previous]) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', subkey(key, 'at-rest'), nonce);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      // Not this key: try the next one.
    }
  }
  throw new Error('A value sealed at rest opens with none of the server secret keys.');
}

export type LoadedSecret =
  { ok: true; secret: ServerSecret; generatedAt: string | null } | { ok: false; error: string };

/**
 * The secret for a server start: the configured key if there is one; else the key file, created
 * with a new random key (mode 0600) on the very first start. Previous keys come from the
 * configuration only.
 */
export async function loadServerSecret(options: {
  key: string | undefined;
  keyFile: string;
  previousKeys: string[];
}): Promise<LoadedSecret> {
  const previous: Uint8Array[] = [];
  for (const [index, text] of options.previousKeys.entries()) {
    const key = parseSecretKey(text);
    if (!key)
      return { ok: false, error: `previousSecretKeys[${index}]: expected 32 bytes, base64url` };
    previous.push(key);
  }
  if (options.key !== undefined) {
    const current = parseSecretKey(options.key);
    if (!current) return { ok: false, error: 'secretKey: expected 32 bytes, base64url' };
    return { ok: true, secret: { current, previous }, generatedAt: null };
  }
  let text: string | null = null;
  try {
    text = await readFile(options.keyFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      return { ok: false, error: `secretKeyFile ${options.keyFile}: ${(error as Error).message}` };
    }
  }
  if (text !== null) {
    const current = parseSecretKey(text);
    if (!current) {
      return { ok: false, error: `secretKeyFile ${options.keyFile}: expected 32 bytes, base64url` };
    }
    return { ok: true, secret: { current, previous }, generatedAt: null };
  }
  const current = new Uint8Array(randomBytes(SECRET_KEY_BYTES));
  try {
    await mkdir(dirname(options.keyFile), { recursive: true, mode: 0o700 });
    // `wx`: never overwrite a key another process wrote meanwhile.
    await writeFile(options.keyFile, `${formatSecretKey(current)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadServerSecret(options);
    return { ok: false, error: `secretKeyFile ${options.keyFile}: ${(error as Error).message}` };
  }
  return { ok: true, secret: { current, previous }, generatedAt: options.keyFile };
}
