import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generateSenderKey } from '../../../src/crypto/index.ts';
import { passwordForCode } from '../../../src/core/accessCode.ts';
import { parseOriginalMime } from '../../../src/core/mime/parseMime.ts';
import { sealMessage } from '../../../src/core/sealPipeline.ts';
import { ENVELOPE_PLACEHOLDER, linkedEnvelopeJson } from '../../../src/core/envelopeCodec.ts';
import { LIGHT_CRYPTO_CONFIG } from '../crypto/testCrypto.ts';
import { SAMPLE_TEMPLATE } from './envelopeFixture.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const script = join(root, 'scripts/decrypt-envelope.ts');
const tsx = join(root, 'node_modules/.bin/tsx');

/** The independent decryptor of docs/envelope.md, run as a user would. */
describe('scripts/decrypt-envelope.ts', () => {
  let folder: string;
  let readerPath: string;
  const pdf = new Uint8Array(randomBytes(150_000));
  const photo = new Uint8Array(randomBytes(70_000));

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sealpost-decrypt-'));
    const sender = await generateSenderKey({ name: 'Alice', address: 'alice@example.test' });
    const sealed = await sealMessage({
      original: {
        messageId: '<doc-example@sealpost>',
        date: new Date('2026-11-27T08:00:00Z'),
        from: { name: 'Alice', address: 'alice@example.test' },
        to: ['Bob <bob@partner.example>'],
        cc: [],
        subject: 'Unterlagen für Bob',
        body: { kind: 'html', html: '<p>Hallo Bob</p>', text: 'Hallo Bob' },
        attachments: [
          { name: 'Überweisung.pdf', contentType: 'application/pdf', bytes: pdf },
          { name: '../../etc/passwd', contentType: 'image/jpeg', bytes: photo },
        ],
      },
      locks: [
        { method: 'code', password: passwordForCode('K7QM-X2PA-9FHT-3WBN-5RDE'), language: 'de' },
      ],
      senderPublicKey: sender.armoredPublicKey,
      readerTemplate: SAMPLE_TEMPLATE,
      serverUrl: null,
      languages: ['de'],
      cryptoConfig: LIGHT_CRYPTO_CONFIG,
    });
    readerPath = join(folder, 'secure-message.html');
    await writeFile(readerPath, Buffer.from(await sealed.readerHtml.arrayBuffer()));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes message.eml and byte-identical attachments for the right code, typed loosely', async () => {
    const outdir = join(folder, 'out');
    const { stdout } = await run(tsx, [script, readerPath, 'k7qm x2pa-9fht 3wbn 5rde', outdir]);
    expect(stdout).toContain('Subject: Unterlagen für Bob');
    const eml = await readFile(join(outdir, 'message.eml'));
    const parsed = await parseOriginalMime(new Uint8Array(eml));
    expect(parsed.html?.trim()).toBe('<p>Hallo Bob</p>');
    expect((await readdir(join(outdir, 'attachments'))).sort()).toEqual(
      ['passwd', 'Überweisung.pdf'].sort(),
    );
    expect(
      (await readFile(join(outdir, 'attachments', 'Überweisung.pdf'))).equals(Buffer.from(pdf)),
    ).toBe(true);
    expect((await readFile(join(outdir, 'attachments', 'passwd'))).equals(Buffer.from(photo))).toBe(
      true,
    );
  });

  it('exits with 3 for a wrong code and 2 for a file without an envelope', async () => {
    await expect(
      run(tsx, [script, readerPath, 'WRONG', join(folder, 'wrong')]),
    ).rejects.toMatchObject({ code: 3 });
    const plain = join(folder, 'plain.html');
    await writeFile(plain, '<html><body>nothing here</body></html>');
    await expect(run(tsx, [script, plain, 'K7QM', join(folder, 'none')])).rejects.toMatchObject({
      code: 2,
    });
  });
});

/** Version 2: the payload behind a link on a real HTTP server (loopback), checked before use. */
describe('scripts/decrypt-envelope.ts with a linked payload', () => {
  const MESSAGE_ID = '5b0f7c1e-2d4a-4f7b-9a51-0c6e8d2f3a41';
  const CODE = 'ZX4N-8JRT-QW2M-7HKP-D3SA';
  const report = new Uint8Array(randomBytes(120_000));
  let folder: string;
  let server: Server;
  let serverUrl: string;
  let payload: Uint8Array;
  /** What the server hands out; a test may swap it. */
  let served: Uint8Array;
  let requests: string[];
  let envelopeJson: (link?: { url?: string }) => string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sealpost-decrypt-link-'));
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      if (request.url !== `/api/v1/messages/${MESSAGE_ID}/payload`) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': served.length,
      });
      response.end(served);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sender = await generateSenderKey({ name: 'Alice', address: 'alice@example.test' });
    const sealed = await sealMessage({
      original: {
        messageId: `<${MESSAGE_ID}@sealpost>`,
        date: new Date('2026-11-27T08:00:00Z'),
        from: { name: 'Alice', address: 'alice@example.test' },
        to: ['bob@partner.example'],
        cc: [],
        subject: 'Per Link',
        body: { kind: 'plain', text: 'Der Bericht.' },
        attachments: [{ name: 'Bericht.pdf', contentType: 'application/pdf', bytes: report }],
      },
      locks: [{ method: 'code', password: passwordForCode(CODE), language: 'de' }],
      senderPublicKey: sender.armoredPublicKey,
      readerTemplate: SAMPLE_TEMPLATE,
      serverUrl,
      languages: ['de'],
      cryptoConfig: LIGHT_CRYPTO_CONFIG,
    });
    payload = new Uint8Array(Buffer.from(await sealed.payloadBase64.text(), 'base64'));
    envelopeJson = (link = {}) =>
      linkedEnvelopeJson({
        ...sealed.envelope,
        messageId: MESSAGE_ID,
        version: 2,
        payloadLink: {
          url: link.url ?? `${serverUrl}/api/v1/messages/${MESSAGE_ID}/payload`,
          bytes: payload.length,
          sha256: createHash('sha256').update(payload).digest('hex'),
        },
      });
  });
  beforeEach(() => {
    served = payload;
    requests = [];
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  async function envelopeFile(name: string, link?: { url?: string }): Promise<string> {
    const path = join(folder, name);
    await writeFile(path, SAMPLE_TEMPLATE.replace(ENVELOPE_PLACEHOLDER, envelopeJson(link)));
    return path;
  }

  it('fetches the payload, checks its size and SHA-256, and decrypts it', async () => {
    const outdir = join(folder, 'linked');
    const file = await envelopeFile('linked.html');
    const { stdout } = await run(tsx, [script, file, CODE, outdir]);
    expect(stdout).toContain(`(${payload.length} bytes, SHA-256 checked)`);
    expect(stdout).toContain('Subject: Per Link');
    expect(requests).toEqual([`/api/v1/messages/${MESSAGE_ID}/payload`]);
    const written = await readFile(join(outdir, 'attachments', 'Bericht.pdf'));
    expect(written.equals(Buffer.from(report))).toBe(true);
  });

  it("refuses served bytes that are not the envelope's, and decrypts nothing", async () => {
    const file = await envelopeFile('altered.html');
    const altered = payload.slice();
    altered[altered.length - 20]! ^= 0x01;
    served = altered;
    const outdir = join(folder, 'altered');
    const refused = run(tsx, [script, file, CODE, outdir]);
    await expect(refused).rejects.toMatchObject({ code: 4 });
    await expect(refused.catch((error: { stderr: string }) => error.stderr)).resolves.toContain(
      'SHA-256',
    );
    served = new Uint8Array([...payload, 0]);
    await expect(run(tsx, [script, file, CODE, outdir])).rejects.toMatchObject({ code: 4 });
    await expect(readdir(outdir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("refuses a link outside the envelope's server without asking anyone", async () => {
    const file = await envelopeFile('elsewhere.html', {
      url: `http://127.0.0.1:1/api/v1/messages/${MESSAGE_ID}/payload`,
    });
    const refused = run(tsx, [script, file, CODE, join(folder, 'elsewhere')]);
    await expect(refused).rejects.toMatchObject({ code: 2 });
    expect(requests).toEqual([]);
  });
});
