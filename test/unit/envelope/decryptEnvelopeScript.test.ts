import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generateSenderKey } from '../../../src/crypto/index.ts';
import { passwordForCode } from '../../../src/core/accessCode.ts';
import { parseOriginalMime } from '../../../src/core/mime/parseMime.ts';
import { sealMessage } from '../../../src/core/sealPipeline.ts';
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
