/**
 * Decrypts a Sealpost `secure-message.html` with an access code, following only
 * docs/envelope.md (it deliberately imports nothing from src/): find the envelope element,
 * parse the JSON, base64-decode the payload (version 1) or fetch it from its link and check its
 * size and SHA-256 (version 2), form the password from the code, decrypt with a plain OpenPGP
 * library, and write the plaintext MIME plus its attachments.
 *
 *   npx tsx scripts/decrypt-envelope.ts <secure-message.html> <code> [outdir]
 *
 * Writes <outdir>/message.eml and <outdir>/attachments/<name> (outdir defaults to ./decrypted).
 * Exit codes: 0 done, 1 usage, 2 not a Sealpost envelope, 3 the code does not open it or the
 * payload is damaged, 4 a linked payload that could not be fetched or is not the one the
 * envelope names.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import * as openpgp from 'openpgp';
import PostalMime from 'postal-mime';

async function main(argv: string[]): Promise<number> {
  const [htmlPath, code, outdir = 'decrypted'] = argv;
  if (htmlPath === undefined || code === undefined) {
    console.error('usage: decrypt-envelope <secure-message.html> <code> [outdir]');
    return 1;
  }
  const html = await readFile(htmlPath, 'utf8');

  // 1. The envelope: the text of <script type="application/json" id="sealpost-envelope">.
  const element =
    /<script\b[^>]*\bid\s*=\s*["']?sealpost-envelope["']?[^>]*>([\s\S]*?)<\/script\s*>/i.exec(html);
  let envelope: {
    format?: unknown;
    version?: unknown;
    serverUrl?: unknown;
    payload?: unknown;
    payloadLink?: unknown;
  };
  try {
    envelope = JSON.parse(element?.[1] ?? '') as typeof envelope;
  } catch {
    console.error('no Sealpost envelope found in', htmlPath);
    return 2;
  }
  const inline = envelope.version === 1 && typeof envelope.payload === 'string';
  if (envelope.format !== 'sealpost-envelope' || (!inline && envelope.version !== 2)) {
    console.error('not a version-1 or version-2 Sealpost envelope');
    return 2;
  }

  // 2. The payload: standard base64 of one binary OpenPGP message inside the envelope, or
  //    (version 2) that binary message fetched from the link, checked before anything else.
  let payload: Uint8Array;
  if (inline) {
    payload = Buffer.from(envelope.payload as string, 'base64');
  } else {
    const link = payloadLinkOf(envelope.payloadLink, envelope.serverUrl);
    if (typeof link === 'string') {
      console.error(link);
      return 2;
    }
    const fetched = await fetchPayload(link);
    if (typeof fetched === 'string') {
      console.error(fetched);
      return 4;
    }
    payload = fetched;
  }

  // 3. The password: NFKC, remove whitespace and '-', upper-case; UTF-8.
  const password = code
    .normalize('NFKC')
    .replace(/[\s-]+/gu, '')
    .toUpperCase();

  // 4. Decrypt (RFC 9580: SKESK v6 with Argon2id, SEIPDv2), refusing absurd Argon2 memory.
  let plaintext: Uint8Array;
  try {
    const message = await openpgp.readMessage({ binaryMessage: payload });
    const decrypted = await openpgp.decrypt({
      message,
      passwords: [password],
      format: 'binary',
      config: { maxArgon2MemoryExponent: 20, maxDecompressedMessageSize: 256 * 1024 * 1024 },
    });
    plaintext = decrypted.data;
  } catch (error) {
    console.error('could not decrypt:', error instanceof Error ? error.message : error);
    return 3;
  }

  // 5. The plaintext is the original message as MIME.
  const target = resolve(outdir);
  await mkdir(join(target, 'attachments'), { recursive: true });
  await writeFile(join(target, 'message.eml'), plaintext);
  const email = await PostalMime.parse(plaintext, { attachmentEncoding: 'arraybuffer' });
  console.log(`Subject: ${email.subject ?? ''}`);
  console.log(`From: ${email.from && 'address' in email.from ? email.from.address : ''}`);
  console.log(`wrote ${join(target, 'message.eml')} (${plaintext.length} bytes)`);
  const used = new Set<string>();
  for (const [index, attachment] of email.attachments.entries()) {
    const name = uniqueName(safeFileName(attachment.filename ?? `attachment-${index + 1}`), used);
    const content = attachment.content;
    const bytes =
      typeof content === 'string' ? Buffer.from(content) : new Uint8Array(content as ArrayBuffer);
    await writeFile(join(target, 'attachments', name), bytes);
    console.log(`wrote attachments/${name} (${bytes.length} bytes)`);
  }
  return 0;
}

interface PayloadLink {
  url: string;
  bytes: number;
  sha256: string;
}

/** The envelope's link, only to a URL under its own server; else why not. */
function payloadLinkOf(value: unknown, serverUrl: unknown): PayloadLink | string {
  const link = (value ?? {}) as Partial<Record<keyof PayloadLink, unknown>>;
  const { url, bytes, sha256 } = link;
  if (
    typeof url !== 'string' ||
    typeof bytes !== 'number' ||
    !Number.isSafeInteger(bytes) ||
    bytes <= 0 ||
    typeof sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(sha256)
  ) {
    return 'the envelope has no valid payloadLink';
  }
  const base = typeof serverUrl === 'string' ? serverUrl.replace(/\/*$/, '/') : null;
  if (!base || !/^https?:\/\//.test(url) || !url.startsWith(base)) {
    return `refusing a payload link outside the envelope's server: ${url}`;
  }
  return { url, bytes, sha256 };
}

/** GET the binary payload; it must be exactly `bytes` long with that SHA-256. */
async function fetchPayload(link: PayloadLink): Promise<Uint8Array | string> {
  let response: Response;
  try {
    response = await fetch(link.url);
  } catch (error) {
    return `could not fetch the payload: ${error instanceof Error ? error.message : error}`;
  }
  if (!response.ok || !response.body) return `the server answered ${response.status}`;
  const payload = new Uint8Array(link.bytes);
  const hash = createHash('sha256');
  const reader = response.body.getReader();
  let received = 0;
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    if (received + chunk.length > link.bytes) {
      await reader.cancel().catch(() => undefined);
      return `the payload is larger than the envelope's ${link.bytes} bytes`;
    }
    payload.set(chunk, received);
    hash.update(chunk);
    received += chunk.length;
  }
  if (received !== link.bytes) return `the payload has ${received} bytes, not ${link.bytes}`;
  if (hash.digest('hex') !== link.sha256) return "the payload's SHA-256 is not the envelope's";
  console.log(`fetched ${link.url} (${received} bytes, SHA-256 checked)`);
  return payload;
}

/** A name from the message must not climb out of the output folder. */
function safeFileName(name: string): string {
  const cleaned = Array.from(basename(name.replace(/\\/g, '/')), (character) =>
    character.charCodeAt(0) < 0x20 || character === '\u007f' ? '_' : character,
  ).join('');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'attachment' : cleaned;
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let counter = 2; used.has(candidate); counter++) candidate = `${counter}-${name}`;
  used.add(candidate);
  return candidate;
}

process.exitCode = await main(process.argv.slice(2));
