import * as openpgp from 'openpgp';
import { rejectUnknownOptions } from './options.ts';
import {
  openingOpenpgpConfig,
  resolveOpenLimits,
  type OpenCryptoConfig,
  type OpenLimits,
} from './config.ts';

/**
 * Opening never throws for bad input; the reason tells the UI what to say:
 * - `wrong-code`: no lock in the payload opens with this password / key;
 * - `damaged`: truncated, altered or malformed (authentication failed, bad packet structure);
 * - `too-large`: the plaintext would exceed `maxDecompressedMessageSize`;
 * - `unsupported`: packet versions or algorithms this code does not read, Argon2 parameters above
 *   `maxArgon2MemoryExponent`, or more password locks than `maxPasswordLocks`.
 */
export type OpenResult =
  | { ok: true; plaintext: Uint8Array }
  | { ok: false; reason: 'wrong-code' | 'damaged' | 'too-large' | 'unsupported' };

type OpenFailure = Extract<OpenResult, { ok: false }>;

/** What readWithPassword returns: the reader's value, once the whole plaintext authenticated. */
export type ReadResult<T> = { ok: true; value: T } | OpenFailure;

export interface OpenWithPasswordOptions {
  payload: Uint8Array;
  password: string;
  /** Tighter or looser caps (tests); defaults are DEFAULT_OPEN_LIMITS. */
  config?: OpenCryptoConfig;
}

export interface ReadWithPasswordOptions<T> extends OpenWithPasswordOptions {
  /**
   * Consumes the plaintext as it is decrypted, and must read it to its end: its value counts only
   * once the stream ended without error, i.e. the last AEAD chunk (or SEIPDv1's MDC) verified.
   * Until then nothing it made may be shown. Its own errors are thrown on to the caller.
   */
  read: (plaintext: ReadableStream<Uint8Array>) => Promise<T>;
  /** Ciphertext handed to openpgp.js so far, of the payload's length (decryption's progress). */
  onProgress?: (done: number, total: number) => void;
}

export interface OpenWithPrivateKeyOptions {
  payload: Uint8Array;
  armoredPrivateKey: string;
  config?: OpenCryptoConfig;
  /** Date used to check the key (tests); defaults to now. */
  date?: Date;
}

const failure = (reason: OpenFailure['reason']): OpenFailure => ({ ok: false, reason });

/** Decrypts a payload with an access-code password (see passwordForCode). */
export async function openWithPassword(options: OpenWithPasswordOptions): Promise<OpenResult> {
  rejectUnknownOptions('openWithPassword', options, ['payload', 'password', 'config']);
  const opened = await readWithPassword({ ...options, read: collect });
  return opened.ok ? { ok: true, plaintext: opened.value } : opened;
}

/**
 * Decrypts a payload with a password as a stream handed to `read`, so a large plaintext need
 * never be held whole (the reader parses its MIME into Blobs on the way).
 */
export async function readWithPassword<T>(
  options: ReadWithPasswordOptions<T>,
): Promise<ReadResult<T>> {
  rejectUnknownOptions('readWithPassword', options, [
    'payload',
    'password',
    'config',
    'read',
    'onProgress',
  ]);
  const limits = resolveOpenLimits(options.config);
  const config = openingOpenpgpConfig(limits);
  const read = await readPayload(options.payload, limits, config, options.onProgress);
  if (!read.ok) return read;
  const { message, passwordLocks } = read;
  if (passwordLocks.length === 0) return failure('wrong-code');

  // Try the password locks one at a time and stop at the first that opens: openpgp.js would
  // run Argon2 for every lock, and each run costs the reader 64 MiB and a noticeable wait.
  let sawOutOfMemory = false;
  for (const lock of passwordLocks) {
    const single = new openpgp.PacketList<openpgp.AnyPacket>();
    single.push(lock);
    let sessionKeys: openpgp.DecryptedSessionKey[];
    try {
      sessionKeys = await openpgp.decryptSessionKeys({
        message: new openpgp.Message(single),
        passwords: [options.password],
        config,
      });
    } catch (error) {
      if (causeNames(error).includes('Argon2OutOfMemoryError')) sawOutOfMemory = true;
      continue;
    }
    return decryptWithSessionKeys(message, sessionKeys, config, options.read);
  }
  return failure(sawOutOfMemory ? 'unsupported' : 'wrong-code');
}

/** Decrypts a payload with an (unencrypted) armored private key, e.g. the sender's own. */
export async function openWithPrivateKey(options: OpenWithPrivateKeyOptions): Promise<OpenResult> {
  rejectUnknownOptions('openWithPrivateKey', options, [
    'payload',
    'armoredPrivateKey',
    'config',
    'date',
  ]);
  const limits = resolveOpenLimits(options.config);
  const config = openingOpenpgpConfig(limits);
  // The key is the add-on's own stored key, not untrusted input: a broken key is a bug, so throw.
  const privateKey = await openpgp.readPrivateKey({ armoredKey: options.armoredPrivateKey });
  const read = await readPayload(options.payload, limits, config);
  if (!read.ok) return read;
  let sessionKeys: openpgp.DecryptedSessionKey[];
  try {
    sessionKeys = await openpgp.decryptSessionKeys({
      message: read.message,
      decryptionKeys: privateKey,
      date: options.date ?? new Date(),
      config,
    });
  } catch {
    return failure('wrong-code');
  }
  const opened = await decryptWithSessionKeys(read.message, sessionKeys, config, collect);
  return opened.ok ? { ok: true, plaintext: opened.value } : opened;
}

type ReadPayload =
  | {
      ok: true;
      message: openpgp.Message<ReadableStream<Uint8Array>>;
      passwordLocks: openpgp.SymEncryptedSessionKeyPacket[];
    }
  | OpenFailure;

/** Parses the packet structure and applies the structural caps before any key derivation. */
async function readPayload(
  payload: Uint8Array,
  limits: OpenLimits,
  config: openpgp.PartialConfig,
  onProgress?: (done: number, total: number) => void,
): Promise<ReadPayload> {
  if (!(payload instanceof Uint8Array) || payload.length === 0) return failure('damaged');
  let message: openpgp.Message<ReadableStream<Uint8Array>>;
  try {
    message = await openpgp.readMessage({
      binaryMessage: chunksOf(payload, onProgress),
      config,
    });
  } catch (error) {
    return failure(isUnsupportedError(error) ? 'unsupported' : 'damaged');
  }
  const packets = Array.from(message.packets);
  const hasUnparseable = packets.some((packet) => packet instanceof openpgp.UnparseablePacket);
  const encryptedData = packets.filter(
    (packet) =>
      packet instanceof openpgp.SymEncryptedIntegrityProtectedDataPacket ||
      packet instanceof openpgp.AEADEncryptedDataPacket ||
      packet instanceof openpgp.SymmetricallyEncryptedDataPacket,
  );
  if (encryptedData.length !== 1) return failure(hasUnparseable ? 'unsupported' : 'damaged');
  const [data] = encryptedData;
  // Sealpost writes SEIPD (v2, or v1 for legacy keys); the v5 AEAD packet (tag 20) and the
  // unauthenticated tag-9 packet are not read.
  if (!(data instanceof openpgp.SymEncryptedIntegrityProtectedDataPacket)) {
    return failure('unsupported');
  }
  const passwordLocks = packets.filter(
    (packet): packet is openpgp.SymEncryptedSessionKeyPacket =>
      packet instanceof openpgp.SymEncryptedSessionKeyPacket,
  );
  if (passwordLocks.length > limits.maxPasswordLocks) return failure('unsupported');
  if (passwordLocks.length === 0 && hasUnparseable) return failure('unsupported');
  return { ok: true, message, passwordLocks };
}

async function decryptWithSessionKeys<T>(
  message: openpgp.Message<ReadableStream<Uint8Array>>,
  sessionKeys: openpgp.DecryptedSessionKey[],
  config: openpgp.PartialConfig,
  read: (plaintext: ReadableStream<Uint8Array>) => Promise<T>,
): Promise<ReadResult<T>> {
  let plaintext: WatchedStream | null = null;
  try {
    const { data } = await openpgp.decrypt({
      message,
      sessionKeys: sessionKeys.map((sessionKey) => ({
        data: sessionKey.data,
        // SKESK v6 / PKESK v6 carry no algorithm; SEIPDv2 names it itself.
        algorithm: sessionKey.algorithm as openpgp.enums.symmetricNames,
      })),
      format: 'binary',
      config,
    });
    // AEAD chunks are released as they authenticate (SEIPDv1 only after its MDC: openpgp.js
    // buffers it, allowUnauthenticatedStream stays off), but nothing is returned until the
    // whole stream, final tag included, has been read.
    plaintext = watched(data);
    const value = await read(plaintext.stream);
    if (!plaintext.ended()) throw new Error('The plaintext was not read to its end');
    return { ok: true, value };
  } catch (error) {
    // The reader's own failure (not the decryption's) is the caller's to handle.
    if (plaintext && !plaintext.failure()) throw error;
    return failureOf(plaintext?.failure() ?? error);
  }
}

function failureOf(error: unknown): OpenFailure {
  const text = error instanceof Error ? error.message : String(error);
  if (/maximum decompressed (message )?size exceeded/i.test(text)) return failure('too-large');
  if (isUnsupportedError(error)) return failure('unsupported');
  return failure('damaged');
}

/**
 * The payload as a stream of views into it (no copies). Handed a whole Uint8Array, openpgp.js
 * keeps more intermediate buffers than when it streams: opening a 64 MiB payload in Node took
 * 290-360 MB above the baseline at peak, streamed 210-220 MB, for about 0.3 s more.
 */
function chunksOf(
  payload: Uint8Array,
  onProgress?: (done: number, total: number) => void,
): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= payload.length) return controller.close();
      controller.enqueue(payload.subarray(offset, offset + STREAM_CHUNK_BYTES));
      offset = Math.min(payload.length, offset + STREAM_CHUNK_BYTES);
      onProgress?.(offset, payload.length);
    },
  });
}

interface WatchedStream {
  stream: ReadableStream<Uint8Array>;
  /** The stream reached its end without error: every byte authenticated. */
  ended: () => boolean;
  /** What the decryption failed with, if it did. */
  failure: () => unknown;
}

/** The plaintext stream, noting whether it ended and whether openpgp.js failed it. */
function watched(data: ReadableStream<Uint8Array> | Uint8Array): WatchedStream {
  let ended = false;
  let failure: unknown = null;
  const source = data instanceof Uint8Array ? null : data.getReader();
  let whole = data instanceof Uint8Array ? data : null;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (whole) {
        controller.enqueue(whole);
        whole = null;
        return;
      }
      if (!source) {
        ended = true;
        return controller.close();
      }
      try {
        const { done, value } = await source.read();
        if (done) {
          ended = true;
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        failure = error ?? new Error('decryption failed');
        controller.error(error);
      }
    },
    cancel(reason) {
      return source?.cancel(reason);
    },
  });
  return { stream, ended: () => ended, failure: () => failure };
}

const STREAM_CHUNK_BYTES = 256 * 1024;

async function collect(data: ReadableStream<Uint8Array> | Uint8Array): Promise<Uint8Array> {
  if (data instanceof Uint8Array) return data;
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = data.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  if (chunks.length === 1) return chunks[0]!;
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.length;
  }
  return whole;
}

/** Names of an error and its causes: openpgp.js wraps the original error as `cause`. */
function causeNames(error: unknown): string[] {
  const names: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    names.push(current.name);
    current = current.cause;
  }
  return names;
}

function isUnsupportedError(error: unknown): boolean {
  return causeNames(error).some(
    (name) => name === 'UnsupportedError' || name === 'UnknownPacketError',
  );
}
