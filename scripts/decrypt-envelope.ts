/**
 * Decrypts a Sealpost `secure-message.html` with an access code, following only
 * docs/envelope.md (it deliberately imports nothing from src/): find the envelope element,
 * parse the JSON, base64-decode the payload, form the password from the code, decrypt with a
 * plain OpenPGP library, and write the plaintext MIME plus its attachments.
 *
 *   npx tsx scripts/decrypt-envelope.ts <secure-message.html> <code> [outdir]
 *
 * Writes <outdir>/message.eml and <outdir>/attachments/<name> (outdir defaults to ./decrypted).
 * Exit codes: 0 done, 1 usage, 2 not a Sealpost envelope, 3 the code does not open it or the
 * payload is damaged.
 */
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
  let envelope: { format?: unknown; version?: unknown; payload?: unknown };
  try {
    envelope = JSON.parse(element?.[1] ?? '') as typeof envelope;
  } catch {
    console.error('no Sealpost envelope found in', htmlPath);
    return 2;
  }
  if (
    envelope.format !== 'sealpost-envelope' ||
    envelope.version !== 1 ||
    typeof envelope.payload !== 'string'
  ) {
    console.error('not a version-1 Sealpost envelope');
    return 2;
  }

  // 2. The payload: standard base64 of one binary OpenPGP message.
  const payload = Buffer.from(envelope.payload, 'base64');

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
