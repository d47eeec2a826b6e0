import * as openpgp from 'openpgp';
import { rejectUnknownOptions } from './options.ts';
import { sealingOpenpgpConfig, type SealCryptoConfig } from './config.ts';

export interface SealPayloadOptions {
  /** The bytes, or a stream of them (read once, while encrypting). */
  plaintext: Uint8Array | ReadableStream<Uint8Array>;
  /** One password per code lock; each gets its own SKESK v6 with Argon2id S2K and its own salt. */
  passwords: string[];
  /**
   * Public keys, armored or binary: the sender's own (v6) and recipients' account keys (v6, or
   * v4 as GnuPG and Thunderbird make them); for a secure reply, the sender's key alone.
   */
  encryptionKeys: (string | Uint8Array)[];
  /**
   * Write every key's packet with the wildcard key id (RFC 9580 §5.1: "anonymous recipient"),
   * so the packets do not say whose keys open the payload (a Bcc recipient's mail).
   */
  anonymousKeys?: boolean;
  /**
   * Every password is a derived 256-bit secret (server-protected locks), not something typed:
   * a compatible payload then protects them with the iterated S2K GnuPG 2.2 reads, as Argon2's
   * cost adds nothing against 2^256 guesses. Otherwise passwords always get Argon2id.
   */
  derivedPasswords?: boolean;
  /** Time written into the literal data packet and used to check the keys. */
  date?: Date;
  /** Lighter Argon2 in tests only; production callers leave it out. */
  config?: SealCryptoConfig;
}

/**
 * Encrypts `plaintext` once, under one random AES-256 session key, as a binary RFC 9580
 * message: one SKESK v6 (Argon2id) per password, one PKESK v6 per key, then one SEIPDv2
 * (AES-256-GCM) packet holding the compressed literal data.
 *
 * When a key cannot read SEIPDv2 (a v4 key without the feature, as GnuPG 2.2 makes them), the
 * whole payload is sealed in the **compatible form** that key can read: SKESK v4 and PKESK v3
 * packets and one SEIPDv1 packet (AES-256 with its SHA-1 modification detection), so every
 * other lock still opens it (docs/envelope.md §4).
 */
export async function sealPayload(options: SealPayloadOptions): Promise<Uint8Array> {
  return collect(await sealPayloadStream(options));
}

/**
 * sealPayload as a stream of the payload's bytes, for callers that transform it further (the
 * seal pipeline base64-encodes it as it comes, so the binary payload is never held whole).
 * Validation errors reject the promise; errors while encrypting error the stream.
 */
export async function sealPayloadStream(
  options: SealPayloadOptions,
): Promise<ReadableStream<Uint8Array>> {
  rejectUnknownOptions('sealPayload', options, [
    'plaintext',
    'passwords',
    'encryptionKeys',
    'date',
    'config',
    'anonymousKeys',
    'derivedPasswords',
  ]);
  const { plaintext, passwords, encryptionKeys: armoredKeys } = options;
  if (!(plaintext instanceof Uint8Array) && !(plaintext instanceof ReadableStream)) {
    throw new TypeError('sealPayload: plaintext must be bytes or a stream of bytes');
  }
  if (passwords.length === 0 && armoredKeys.length === 0) {
    throw new Error('sealPayload: at least one password or key is needed');
  }
  if (passwords.some((password) => typeof password !== 'string' || password.length === 0)) {
    throw new Error('sealPayload: passwords must be non-empty strings');
  }
  if (new Set(passwords).size !== passwords.length) {
    // openpgp.js would write two SKESKs for one password; the caller is expected to dedupe.
    throw new Error('sealPayload: duplicate password');
  }
  let config = sealingOpenpgpConfig(options.config);
  const date = options.date ?? new Date();
  const encryptionKeys = await Promise.all(
    armoredKeys.map((key) =>
      typeof key === 'string'
        ? openpgp.readKey({ armoredKey: key, config })
        : openpgp.readKey({ binaryKey: key, config }),
    ),
  );
  let sessionKey = await openpgp.generateSessionKey({ encryptionKeys, date, config });
  if (sessionKey.aeadAlgorithm === undefined) {
    // A key without SEIPDv2: the compatible form, decided here once for the whole payload (not
    // left to openpgp.js, which would pick it silently and keep Argon2 for every password).
    config = {
      ...config,
      aeadProtect: false,
      ...(options.derivedPasswords === true
        ? { s2kType: openpgp.enums.s2k.iterated, s2kIterationCountByte: 255 }
        : {}),
    };
    sessionKey = await openpgp.generateSessionKey({ encryptionKeys, date, config });
  }
  if (sessionKey.algorithm !== 'aes256') {
    throw new Error(
      'sealPayload: every key must accept AES-256; ' +
        `got ${sessionKey.algorithm}/${sessionKey.aeadAlgorithm ?? 'no AEAD'}`,
    );
  }
  // Streamed through openpgp.js in chunks: compression and encryption then hold a window of the
  // message rather than whole intermediate copies (25 MB of attachments: peak memory of the
  // encryption step about halved, measured by scripts/bench.ts).
  const message = await openpgp.createMessage({
    binary: plaintext instanceof Uint8Array ? chunkedStream(plaintext) : plaintext,
    date,
    format: 'binary',
  });
  return openpgp.encrypt({
    message,
    passwords,
    encryptionKeys,
    sessionKey,
    date,
    format: 'binary',
    wildcard: options.anonymousKeys === true,
    config,
  });
}

const STREAM_CHUNK_BYTES = 1024 * 1024;

function chunkedStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + STREAM_CHUNK_BYTES));
      offset += STREAM_CHUNK_BYTES;
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  const output = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    output.set(chunk, offset);
    offset += chunk.length;
  }
  return output;
}
