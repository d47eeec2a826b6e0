import { publicKeyParts, sealPayloadStream, type SealCryptoConfig } from '../crypto/index.ts';
import { base64FromBytes } from './base64.ts';
import { passwordForCode } from './accessCodeFormat.ts';
import {
  ENVELOPE_FORMAT,
  ENVELOPE_VERSION,
  LINKED_ENVELOPE_VERSION,
  type Envelope,
  type EnvelopeLock,
  type LinkedEnvelope,
  type PayloadLink,
} from './envelope.ts';
import { createBase64BlobEncoder, renderReaderHtmlFromParts } from './envelopeCodec.ts';
import type { NotificationLanguage } from './languages.ts';
import type { ServerLockMethod } from './serverApi.ts';
import { streamOriginalMime, type OriginalMessage } from './mime/buildMime.ts';

/** A code lock: the recipient opens it by typing the access code. */
export interface SealLock {
  method: 'code';
  /** passwordForCode(code): the exact OpenPGP password; anything else is refused. */
  password: string;
  /** Masked address shown in the reader; leave out for Bcc recipients. */
  hint?: string;
  language: NotificationLanguage;
}

/**
 * A server-protected lock (docs/envelope.md §3a): its password is `deriveLockPassword` of the
 * mail's share,
 * the server's share for this lock and the access code if the method has one.
 */
export interface ServerSealLock {
  method: ServerLockMethod;
  serverProtected: true;
  /** The lock id registered with the server. */
  id: string;
  password: string;
  hint?: string;
  language: NotificationLanguage;
}

/**
 * An account lock: the recipient's own OpenPGP public key (v6, or v4 as GnuPG makes them; a v4
 * key without SEIPDv2 makes the whole payload the compatible form, docs/envelope.md §4).
 */
export interface KeySealLock {
  method: 'account';
  /** Armored public key, checked usable for the recipient's address. */
  publicKey: string;
  fingerprint: string;
  /** A Bcc recipient: no hint, no fingerprint, and anonymous key ids in the payload. */
  hidden: boolean;
  hint?: string;
  language: NotificationLanguage;
}

export type AnySealLock = SealLock | ServerSealLock | KeySealLock;

export interface SealInput {
  original: OriginalMessage;
  locks: AnySealLock[];
  /** The mail's share, required when a lock is server-protected; written into the envelope. */
  mailShare?: string;
  /**
   * The envelope's `messageId` when it is not the original's Message-ID: with a server, the
   * bare UUID the server knows the message by (docs/envelope.md).
   */
  envelopeMessageId?: string;
  /** The sender's own armored v6 public key, so the sent copy can be reopened. */
  senderPublicKey: string;
  /** The built reader HTML, containing ENVELOPE_ELEMENT exactly once. */
  readerTemplate: string;
  serverUrl: string | null;
  /** Languages of this message's recipients, first = the reader's default. */
  languages: NotificationLanguage[];
  /** Defaults to now. */
  createdAt?: Date;
  /** Lighter Argon2 in tests only. */
  cryptoConfig?: SealCryptoConfig;
  /**
   * Compress the plaintext (default). Link delivery leaves it out: its payload is not base64'd
   * into a mail, and DEFLATE, most of the time it takes to seal, would slow the upload it feeds
   * (docs/envelope.md §9).
   */
  compress?: boolean;
}

export interface SealOutput {
  /**
   * `secure-message.html` (type text/html), for `new File([readerHtml], …)`: a Blob rather
   * than strings, so the 35 MB of a 25 MB message's envelope is held once, as bytes, and
   * making the File from it copies nothing.
   */
  readerHtml: Blob;
  /** The payload's base64 alone (the same bytes as in the reader file), for a hosted copy. */
  payloadBase64: Blob;
  envelope: Omit<Envelope, 'payload'>;
  originalMimeSize: number;
  payloadSize: number;
}

/**
 * Seals one message to a stream of payload bytes: original -> MIME -> one OpenPGP message (a
 * password lock per distinct code plus the sender's key) -> bytes, with the envelope that
 * describes it. The caller carries the payload in the mail (`sealMessage`) or uploads it for
 * link delivery (`linkedEnvelope`). Throws on any problem; the caller cancels the send
 * (docs/architecture.md, "Sending with secure mode on"), so nothing here ever falls back to
 * sending plaintext.
 */
export async function sealToStream(input: SealInput): Promise<SealedStream> {
  checkLocks(input);
  const createdAt = input.createdAt ?? new Date();
  // The key a recipient's secure reply is sealed to: in the envelope for the reader, and its
  // fingerprint inside the payload, where nobody can change it (docs/envelope.md §2).
  const replyKey = await publicKeyParts(input.senderPublicKey);
  // MIME, encryption and what follows run as one stream: no stage holds the whole message.
  const mime = streamOriginalMime({
    ...input.original,
    replyKeyFingerprint: replyKey.fingerprint,
  });
  const passwordLocks = input.locks.filter(
    (lock): lock is SealLock | ServerSealLock => lock.method !== 'account',
  );
  const keyLocks = input.locks.filter((lock): lock is KeySealLock => lock.method === 'account');
  const passwords = [...new Set(passwordLocks.map((lock) => lock.password))];
  const payload = await sealPayloadStream({
    plaintext: mime.stream,
    passwords,
    encryptionKeys: [input.senderPublicKey, ...keyLocks.map((lock) => lock.publicKey)],
    // A hidden recipient's key id would say who they are to whoever holds the payload.
    anonymousKeys: keyLocks.some((lock) => lock.hidden),
    derivedPasswords: passwordLocks.every((lock) => 'serverProtected' in lock),
    date: createdAt,
    config: {
      ...input.cryptoConfig,
      ...(input.compress === false ? { compression: 'uncompressed' as const } : {}),
    },
  });
  return {
    payload,
    envelope: envelopeFor(input, createdAt, base64FromBytes(replyKey.bytes)),
    originalMimeSize: mime.size,
  };
}

/** A sealed message before its payload is carried anywhere. */
export interface SealedStream {
  /** The binary OpenPGP message, produced as it is read. */
  payload: ReadableStream<Uint8Array>;
  envelope: Omit<Envelope, 'payload'>;
  originalMimeSize: number;
}

/** Seals one message for the mail: the payload inside the attached reader (envelope version 1). */
export async function sealMessage(input: SealInput): Promise<SealOutput> {
  const { payload, envelope, originalMimeSize } = await sealToStream(input);
  // The payload is base64-encoded as openpgp.js produces it, so the binary payload is never
  // held whole next to its base64 text.
  const base64Encoder = createBase64BlobEncoder();
  let payloadSize = 0;
  const reader = payload.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    payloadSize += value.length;
    base64Encoder.push(value);
  }
  const payloadBase64 = base64Encoder.end();
  const readerHtml = new Blob(
    renderReaderHtmlFromParts(input.readerTemplate, envelope, [payloadBase64]),
    { type: 'text/html' },
  );
  return { readerHtml, payloadBase64, envelope, originalMimeSize, payloadSize };
}

/** The envelope of a payload delivered by link (version 2): no payload, where it is and its hash. */
export function linkedEnvelope(
  envelope: Omit<Envelope, 'payload'>,
  payloadLink: PayloadLink,
): LinkedEnvelope {
  return { ...envelope, version: LINKED_ENVELOPE_VERSION, payloadLink };
}

function checkLocks(input: SealInput): void {
  if (input.locks.length === 0) throw new Error('sealMessage: no lock');
  if (input.languages.length === 0) throw new Error('sealMessage: no language');
  for (const lock of input.locks) {
    if (lock.method === 'account') {
      if (lock.publicKey === '' || lock.fingerprint === '') {
        throw new Error('sealMessage: an account lock needs its key');
      }
      continue;
    }
    if ('serverProtected' in lock) {
      if (!lock.id || lock.password.length === 0) throw new Error('sealMessage: bad server lock');
      if (!input.mailShare || !input.serverUrl) {
        throw new Error('sealMessage: a server lock needs the mail share and the server URL');
      }
      continue;
    }
    if (lock.method !== 'code')
      throw new Error(`sealMessage: unsupported lock method ${String((lock as SealLock).method)}`);
    if (lock.password.length === 0 || lock.password !== passwordForCode(lock.password)) {
      // A raw code ('k7qm-x2pa…') would seal under a password the reader never derives.
      throw new Error('sealMessage: lock password must be passwordForCode(code)');
    }
  }
}

function envelopeFor(
  input: SealInput,
  createdAt: Date,
  replyKey: string,
): Omit<Envelope, 'payload'> {
  const locks: EnvelopeLock[] = [
    ...input.locks.map((lock): EnvelopeLock => {
      const described: EnvelopeLock = { method: lock.method, language: lock.language };
      if (lock.hint !== undefined) described.hint = lock.hint;
      if ('serverProtected' in lock) {
        described.id = lock.id;
        described.serverProtected = true;
      }
      if (lock.method === 'account' && !lock.hidden) described.fingerprint = lock.fingerprint;
      return described;
    }),
    { method: 'sender-key', language: input.languages[0] ?? 'en' },
  ];
  return {
    format: ENVELOPE_FORMAT,
    version: ENVELOPE_VERSION,
    messageId: input.envelopeMessageId ?? input.original.messageId,
    createdAt: createdAt.toISOString(),
    serverUrl: input.serverUrl,
    sender: { name: input.original.from.name, address: input.original.from.address },
    languages: [...new Set(input.languages)],
    locks,
    ...(input.locks.some((lock) => 'serverProtected' in lock) && input.mailShare
      ? { mailShare: input.mailShare }
      : {}),
    replyKey,
  };
}
