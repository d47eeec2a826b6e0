/**
 * `npm run bench`: the seal pipeline against raw openpgp.js and gpg on the same bytes, sizes of
 * what is sent, and the reader's unlock time in Chromium, for messages of 10 KB, 1 MB and 25 MB
 * (mostly attachments of random bytes, which do not compress: the worst case for size).
 *
 * Method
 * - Every measurement of the pipeline and of raw openpgp.js runs in its own child Node process
 *   (`--expose-gc`), so one case's garbage never counts against the next. The child builds its
 *   input, collects garbage, takes the resident set size (RSS: V8 heap, ArrayBuffers, Blobs and
 *   WebAssembly memory alike) as the baseline, and runs the operation while a worker thread
 *   samples the process's RSS every 2 ms; the kernel's own peak (getrusage maxrss) is used as
 *   well whenever the operation raised it. "peak +RSS" is the highest RSS minus the baseline:
 *   what the operation needed at its worst moment. "× msg" divides it by the message size
 *   (body + attachment bytes).
 * - What the pipeline's figure counts: everything the add-on does from the attachments as
 *   Thunderbird hands them over to the File it attaches. The attachments are Files backed by
 *   files on disk (`fs.openAsBlob`), as a compose attachment's File is in Thunderbird, so they
 *   are not in the baseline's memory, and any copy of them the pipeline makes is counted; the
 *   operation ends with `new File([readerHtml], …)`, the attached file, which stays in memory
 *   and is counted. Raw openpgp.js is given the MIME bytes in memory before its baseline (it
 *   cannot stream a Blob), so its figure leaves out its 34 MB input.
 * - The peak depends on when V8 collects garbage (dead ArrayBuffers pile up by some tens of MB
 *   between full collections), so it varies from run to run: memory columns give the median
 *   and the worst run.
 * - Compression: see Compressor below (Node's CompressionStream is replaced by one that waits
 *   for its reader, as Thunderbird's does; one extra line shows the 25 MB case with Node's).
 * - Two kinds of child. "cold": the first seal of a fresh process, including the one-time
 *   cost of Argon2 (openpgp.js instantiates its Argon2 WebAssembly module on first use and
 *   keeps its memory, a 64 MiB working area, ~78 MB resident, for later derivations).
 *   "Argon2 resident": a fresh process that first seals a 1-byte message, so the Argon2 memory
 *   is already there, as in a Thunderbird that has sent a sealed message before; its peak is
 *   what the message itself costs. (A second seal of the big message in the same process
 *   would understate it: V8 reuses the pages the first one left behind.)
 * - Times are the median over all runs of both kinds.
 * - Raw openpgp.js: `openpgp.encrypt` of the very MIME bytes the pipeline builds, with the same
 *   configuration and locks (one Argon2id password + the sender's v6 key, AES-256/GCM, ZIP), so
 *   the ratio is what MIME building, base64 and the envelope add on top of the encryption.
 * - gpg: `gpg --batch --symmetric --cipher-algo AES256` with --pinentry-mode loopback in a
 *   temporary GNUPGHOME, on the same MIME bytes (its defaults otherwise: iterated S2K, ZLIB),
 *   timed with /usr/bin/time (wall time and max RSS of the process).
 * - Times are the median of several runs (the machine is shared; single runs vary).
 * - Sent mail: notification text + the reader file base64-encoded in 76-column CRLF lines, as
 *   Thunderbird sends an HTML attachment (headers not counted).
 * - Reader: dist/reader/secure-message.html (`npm run build`), opened from file:// in Debian's
 *   Chromium via playwright-core; time from pressing Enter in #access-code until
 *   [data-testid="message-body"] is shown (Argon2id with the production parameters, decryption,
 *   MIME parsing, rendering).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { installWaitingCompressionStream } from './waitingCompressionStream.ts';
import { randomFillSync } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  appendFileSync,
  openAsBlob,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = resolve(import.meta.dirname, '..');
const READER_PATH = join(root, 'dist/reader/secure-message.html');
const CODE = 'K7QM-X2PA-9FHT-3WBN-5RDE';
const CASES = [
  { label: '10 KB', size: 10_000, runs: 5 },
  { label: '1 MB', size: 1_000_000, runs: 3 },
  { label: '25 MB', size: 25_000_000, runs: 4 },
] as const;

interface Measurement {
  milliseconds: number;
  /** Highest RSS during the operation minus the RSS just before it. */
  peakRssIncrease: number;
}

interface ChildResult {
  measurement: Measurement;
  originalMimeSize: number;
  payloadSize: number;
  readerHtmlBytes: number;
  sentMailBytes: number;
}

// ---------------------------------------------------------------- child process side

/** Samples process RSS (KiB) from a worker thread, which runs while the main thread is busy. */
function startRssSampler(): { reset(): void; peak(): number } {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const peak = new Int32Array(workerData);
     setInterval(() => {
       const kib = Math.round(process.memoryUsage.rss() / 1024);
       if (kib > Atomics.load(peak, 0)) Atomics.store(peak, 0, kib);
     }, 2);`,
    { eval: true, workerData: shared.buffer },
  );
  worker.unref();
  return {
    reset: () => Atomics.store(shared, 0, 0),
    peak: () => Atomics.load(shared, 0) * 1024,
  };
}

async function measure(
  sampler: ReturnType<typeof startRssSampler>,
  operation: () => Promise<unknown>,
): Promise<Measurement> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the child with --expose-gc');
  gc();
  await sleep(30);
  const baseline = process.memoryUsage.rss();
  const kernelPeakBefore = maxRss();
  sampler.reset();
  const started = performance.now();
  await operation();
  const milliseconds = performance.now() - started;
  await sleep(10); // one more sample
  const kernelPeakAfter = maxRss();
  const peak = Math.max(sampler.peak(), kernelPeakAfter > kernelPeakBefore ? kernelPeakAfter : 0);
  return { milliseconds, peakRssIncrease: peak - baseline };
}

const sleep = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

/**
 * Which CompressionStream openpgp.js compresses with (it takes the platform's when there is one).
 * Node 20's does not apply backpressure: it reads its whole input ahead of a slower reader and
 * queues the compressed output (32 MB of random data piped into it with the reader paused: all
 * 32 MB read and held; a plain TransformStream reads 0.2 MB). Thunderbird's (Firefox's) is a
 * standard TransformStream over zlib that compresses each chunk when it is written and waits for
 * its reader. 'waiting' (the default) puts the same in place of Node's for the measured children:
 * a TransformStream over node:zlib with the same defaults, so the bytes (and the payload size)
 * are zlib's, as in Thunderbird. 'node' keeps Node's, to show what its missing backpressure costs.
 */
type Compressor = 'waiting' | 'node';

async function child(
  mode: 'pipeline' | 'openpgp',
  argon2Resident: boolean,
  size: number,
  outputPath: string,
  compressor: Compressor,
): Promise<void> {
  // Before openpgp.js is loaded: it looks for CompressionStream once, when it loads.
  if (compressor === 'waiting') await installWaitingCompressionStream();
  const { generateSenderKey } = await import('../src/crypto/index.ts');
  const { buildOriginalMime } = await import('../src/core/mime/buildMime.ts');
  const { passwordForCode } = await import('../src/core/accessCode.ts');
  // The pipeline gets its attachments as Files backed by files on disk, as Thunderbird hands a
  // compose attachment to the add-on; raw openpgp.js gets the MIME bytes built before its
  // measurement starts.
  const attachmentFolder = mkdtempSync(join(tmpdir(), 'sealpost-bench-attachments-'));
  process.on('exit', () => rmSync(attachmentFolder, { recursive: true, force: true }));
  const original = await benchMessage(
    size,
    mode === 'pipeline' ? attachmentFolder : 'bytes in memory',
  );
  const sender = await generateSenderKey({ name: 'Alice Example', address: 'alice@example.test' });
  const password = passwordForCode(CODE);
  const sampler = startRssSampler();

  if (mode === 'pipeline') {
    const { sealMessage } = await import('../src/core/sealPipeline.ts');
    const { buildNotificationText } = await import('../src/i18n/notification.ts');
    const readerTemplate = existsSync(READER_PATH)
      ? readFileSync(READER_PATH, 'utf8')
      : '<!doctype html><script type="application/json" id="sealpost-envelope">SEALPOST_ENVELOPE</script>';
    const seal = (message: typeof original) =>
      sealMessage({
        original: message,
        locks: [{ method: 'code', password, hint: 'b•••@partner.example', language: 'en' }],
        senderPublicKey: sender.armoredPublicKey,
        readerTemplate,
        serverUrl: null,
        languages: ['en'],
      });
    if (argon2Resident) await seal(await benchMessage(1, attachmentFolder));
    let sealed: Awaited<ReturnType<typeof sealMessage>> | undefined;
    let readerFile: File | undefined;
    const measurement = await measure(sampler, async () => {
      sealed = await seal(original);
      readerFile = new File([sealed.readerHtml], 'secure-message.html', { type: 'text/html' });
    });
    writeFileSync(outputPath, '');
    const readerHtmlBytes = readerFile!.size;
    const stream = readerFile!.stream() as unknown as AsyncIterable<Uint8Array>;
    for await (const chunk of stream) appendFileSync(outputPath, chunk);
    const encoder = new TextEncoder();
    const notification = buildNotificationText({
      senderName: 'Alice Example',
      senderAddress: 'alice@example.test',
      sections: [{ language: 'en', methods: ['code'] }],
      serverUrl: null,
    });
    const sentMailBytes = encoder.encode(notification).length + mimeBase64Length(readerHtmlBytes);
    report({
      measurement,
      originalMimeSize: sealed!.originalMimeSize,
      payloadSize: sealed!.payloadSize,
      readerHtmlBytes,
      sentMailBytes,
    });
  } else {
    const openpgp = await import('openpgp');
    const { sealingOpenpgpConfig } = await import('../src/crypto/config.ts');
    const mime = buildOriginalMime(original);
    const config = sealingOpenpgpConfig();
    const encryptionKey = await openpgp.readKey({ armoredKey: sender.armoredPublicKey });
    const encrypt = async (plaintext: Uint8Array) =>
      openpgp.encrypt({
        message: await openpgp.createMessage({ binary: plaintext, format: 'binary' }),
        passwords: [password],
        encryptionKeys: [encryptionKey],
        format: 'binary',
        config,
      });
    if (argon2Resident) await encrypt(new Uint8Array(1));
    let encrypted: Uint8Array | undefined;
    const measurement = await measure(sampler, async () => {
      encrypted = await encrypt(mime);
    });
    writeFileSync(outputPath, mime); // for gpg, the same bytes
    report({
      measurement,
      originalMimeSize: mime.length,
      payloadSize: encrypted!.length,
      readerHtmlBytes: 0,
      sentMailBytes: 0,
    });
  }
}

function maxRss(): number {
  return process.resourceUsage().maxRSS * 1024; // getrusage reports KiB
}

function report(result: ChildResult): void {
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
}

/** Size of base64 in 76-character lines with CRLF after each line. */
function mimeBase64Length(bytes: number): number {
  const characters = Math.ceil(bytes / 3) * 4;
  return characters + 2 * Math.ceil(characters / 76);
}

/**
 * A message of `size` bytes: a short text body, the rest in up to three random attachments,
 * given as bytes in memory or as Files backed by files written to `attachmentsAs` (a folder).
 */
async function benchMessage(size: number, attachmentsAs: 'bytes in memory' | string) {
  const bodyText = 'Hello Bob,\n\nplease find the documents attached.\n\nAlice\n'.padEnd(1000, '.');
  const attachmentTotal = Math.max(0, size - bodyText.length);
  const shares = size >= 1_000_000 ? [0.5, 0.3, 0.2] : [1];
  let left = attachmentTotal;
  const attachments = shares.map(async (share, index) => {
    const length = index === shares.length - 1 ? left : Math.floor(attachmentTotal * share);
    left -= length;
    const bytes = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 65536) {
      randomFillSync(bytes, offset, Math.min(65536, length - offset));
    }
    const name = `Anhang ${index + 1} — Überweisung.bin`;
    if (attachmentsAs === 'bytes in memory') {
      return { name, contentType: 'application/octet-stream', bytes };
    }
    const path = join(attachmentsAs, `attachment-${size}-${index}.bin`);
    writeFileSync(path, bytes);
    return { name, contentType: 'application/octet-stream', bytes: await openAsBlob(path) };
  });
  return {
    messageId: '<bench@sealpost>',
    date: new Date(),
    from: { name: 'Alice Example', address: 'alice@example.test' },
    to: ['Bob <bob@partner.example>'],
    cc: [],
    subject: 'Benchmark — Unterlagen',
    body: { kind: 'plain' as const, text: bodyText },
    attachments: await Promise.all(attachments),
  };
}

// ---------------------------------------------------------------- parent side

function runChild(
  mode: 'pipeline' | 'openpgp',
  argon2Resident: boolean,
  size: number,
  outputPath: string,
  compressor: Compressor = 'waiting',
): ChildResult {
  const result = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      import.meta.filename,
      '--child',
      mode,
      argon2Resident ? 'argon2-resident' : 'cold',
      String(size),
      outputPath,
      compressor,
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const line = result.stdout.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
  if (result.status !== 0 || !line) {
    throw new Error(`bench child ${mode} ${size} failed:\n${result.stderr}`);
  }
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as ChildResult;
}

function runGpg(inputPath: string, home: string): { milliseconds: number; peakRss: number } | null {
  if (!existsSync('/usr/bin/gpg') || !existsSync('/usr/bin/time')) return null;
  const output = `${inputPath}.gpg`;
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'TIME %e %M',
      '/usr/bin/gpg',
      '--homedir',
      home,
      '--batch',
      '--yes',
      '--quiet',
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      CODE.replace(/-/g, ''),
      '--cipher-algo',
      'AES256',
      '--symmetric',
      '--output',
      output,
      inputPath,
    ],
    { encoding: 'utf8' },
  );
  const match = /TIME ([\d.]+) (\d+)/.exec(result.stderr);
  rmSync(output, { force: true });
  if (result.status !== 0 || !match) return null;
  return { milliseconds: Number(match[1]) * 1000, peakRss: Number(match[2]) * 1024 };
}

interface ReaderTiming {
  loadMilliseconds: number;
  unlockMilliseconds: number;
}

async function readerTimings(
  files: Map<string, string>,
): Promise<Map<string, ReaderTiming | string>> {
  const timings = new Map<string, ReaderTiming | string>();
  if (!existsSync(READER_PATH)) {
    for (const label of files.keys()) timings.set(label, 'reader not built');
    return timings;
  }
  // The same Chromium launch as the reader's end-to-end tests (Debian's binary, no downloads).
  const { launchChromium } = await import('../test/helpers/chromium.ts');
  const browser = await launchChromium();
  try {
    for (const [label, path] of files) {
      const page = await browser.newPage();
      try {
        const loadStarted = performance.now();
        await page.goto(pathToFileURL(path).href, { timeout: 180_000 });
        const codeInput = page.locator('#access-code');
        await codeInput.waitFor({ timeout: 180_000 });
        const loadMilliseconds = performance.now() - loadStarted;
        await codeInput.fill(CODE);
        const unlockStarted = performance.now();
        await codeInput.press('Enter');
        await page.locator('[data-testid="message-body"]').first().waitFor({ timeout: 300_000 });
        timings.set(label, {
          loadMilliseconds,
          unlockMilliseconds: performance.now() - unlockStarted,
        });
      } catch (error) {
        timings.set(
          label,
          `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        );
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  return timings;
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)} MB`;
const seconds = (milliseconds: number) =>
  milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(2)} s`;

async function parent(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'sealpost-bench-'));
  const gnupgHome = join(scratch, 'gnupg');
  execFileSync('mkdir', ['-m', '700', gnupgHome]);
  const readerSize = existsSync(READER_PATH) ? statSync(READER_PATH).size : null;
  console.log(`Sealpost benchmark — node ${process.version}, ${new Date().toISOString()}`);
  console.log(
    `reader file: ${readerSize === null ? 'n/a (reader not built: run npm run build)' : `${readerSize} bytes (${(readerSize / 1024).toFixed(1)} KiB)`}`,
  );
  const rows: string[][] = [];
  const nodeCompressorRuns: ChildResult[] = [];
  let nodeCompressorLabel = '';
  let nodeCompressorSize = 1;
  const readerFiles = new Map<string, string>();
  try {
    for (const benchCase of CASES) {
      process.stderr.write(`bench: ${benchCase.label} `);
      const pipelineRuns: ChildResult[] = [];
      const openpgpRuns: ChildResult[] = [];
      const pipelineResidentRuns: ChildResult[] = [];
      const openpgpResidentRuns: ChildResult[] = [];
      const gpgRuns: { milliseconds: number; peakRss: number }[] = [];
      const readerPath = join(scratch, `reader-${benchCase.size}.html`);
      const mimePath = join(scratch, `mime-${benchCase.size}.eml`);
      for (let run = 0; run < benchCase.runs; run++) {
        // Alternate, so a burst of load from other processes hits both sides alike.
        pipelineRuns.push(runChild('pipeline', false, benchCase.size, readerPath));
        openpgpRuns.push(runChild('openpgp', false, benchCase.size, mimePath));
        pipelineResidentRuns.push(runChild('pipeline', true, benchCase.size, readerPath));
        openpgpResidentRuns.push(runChild('openpgp', true, benchCase.size, mimePath));
        const gpg = runGpg(mimePath, gnupgHome);
        if (gpg) gpgRuns.push(gpg);
        process.stderr.write('.');
      }
      process.stderr.write('\n');
      if (benchCase === CASES.at(-1)) {
        process.stderr.write(`bench: ${benchCase.label} with Node's CompressionStream `);
        for (let run = 0; run < 2; run++) {
          nodeCompressorRuns.push(
            runChild('pipeline', true, benchCase.size, readerPath, 'node'),
            runChild('openpgp', true, benchCase.size, mimePath, 'node'),
          );
          process.stderr.write('.');
        }
        process.stderr.write('\n');
        nodeCompressorLabel = benchCase.label;
        nodeCompressorSize = benchCase.size;
      }
      readerFiles.set(benchCase.label, readerPath);
      const time = (runs: ChildResult[]) => median(runs.map((run) => run.measurement.milliseconds));
      const pipelineTime = time([...pipelineRuns, ...pipelineResidentRuns]);
      const openpgpTime = time([...openpgpRuns, ...openpgpResidentRuns]);
      const gpgTime = gpgRuns.length ? median(gpgRuns.map((run) => run.milliseconds)) : null;
      const ratio = (bytes: number) => `${(bytes / benchCase.size).toFixed(1)}×`;
      const memory = (runs: ChildResult[]) => {
        const peaks = runs.map((run) => run.measurement.peakRssIncrease);
        const [middle, worst] = [median(peaks), Math.max(...peaks)];
        return `${megabytes(middle)} (${ratio(middle)}); worst ${megabytes(worst)} (${ratio(worst)})`;
      };
      const last = pipelineRuns.at(-1)!;
      rows.push([
        benchCase.label,
        megabytes(last.originalMimeSize),
        seconds(pipelineTime),
        seconds(openpgpTime),
        `${(pipelineTime / openpgpTime).toFixed(2)}×`,
        gpgTime === null ? 'n/a' : seconds(gpgTime),
        gpgTime === null ? 'n/a' : `${(pipelineTime / gpgTime).toFixed(2)}×`,
        memory(pipelineRuns),
        memory(openpgpRuns),
        memory(pipelineResidentRuns),
        memory(openpgpResidentRuns),
        gpgRuns.length ? megabytes(Math.max(...gpgRuns.map((run) => run.peakRss))) : 'n/a',
        megabytes(last.payloadSize),
        megabytes(last.sentMailBytes),
        `${(last.sentMailBytes / last.originalMimeSize).toFixed(3)}×`,
        readerSize === null
          ? 'n/a'
          : `${(last.sentMailBytes / (last.originalMimeSize + readerSize)).toFixed(3)}×`,
      ]);
    }
    process.stderr.write('bench: reader in Chromium\n');
    const timings = await readerTimings(readerFiles);
    const header = [
      'message',
      'original MIME',
      'seal pipeline',
      'raw openpgp.js',
      'pipeline / openpgp.js',
      'gpg --symmetric',
      'pipeline / gpg',
      'pipeline peak +RSS, cold: median; worst (× msg)',
      'openpgp.js peak +RSS, cold',
      'pipeline peak +RSS, Argon2 resident: median; worst (× msg)',
      'openpgp.js peak +RSS, Argon2 resident',
      'gpg max RSS',
      'payload',
      'sent mail',
      'sent / MIME',
      'sent / (MIME + reader)',
      'reader load',
      'reader unlock + decrypt',
    ];
    console.log('');
    console.log(`| ${header.join(' | ')} |`);
    console.log(`|${header.map(() => '---').join('|')}|`);
    for (const [index, row] of rows.entries()) {
      const timing = timings.get(CASES[index]!.label);
      const readerColumns =
        timing === undefined
          ? ['n/a', 'n/a']
          : typeof timing === 'string'
            ? [timing, timing]
            : [seconds(timing.loadMilliseconds), seconds(timing.unlockMilliseconds)];
      console.log(`| ${[...row, ...readerColumns].join(' | ')} |`);
    }
    if (nodeCompressorRuns.length > 0) {
      const describe = (runs: ChildResult[]) => {
        const peaks = runs.map((run) => run.measurement.peakRssIncrease);
        return peaks
          .map((peak) => `${megabytes(peak)} (${(peak / nodeCompressorSize).toFixed(1)}×)`)
          .join(', ');
      };
      const pipeline = nodeCompressorRuns.filter((_, index) => index % 2 === 0);
      const openpgp = nodeCompressorRuns.filter((_, index) => index % 2 === 1);
      const time = (runs: ChildResult[]) =>
        seconds(median(runs.map((run) => run.measurement.milliseconds)));
      console.log('');
      console.log(
        `${nodeCompressorLabel} with Node's own CompressionStream (no backpressure), Argon2 resident: ` +
          `pipeline ${time(pipeline)}, peak +RSS ${describe(pipeline)}; ` +
          `raw openpgp.js ${time(openpgp)}, peak +RSS ${describe(openpgp)}.`,
      );
    }
    console.log('');
    console.log(
      'Targets: pipeline ≤ 1.3× raw openpgp.js; sent mail ≤ 1.4× (original MIME + reader); reader ≤ 350 KB; peak memory for 25 MB ≤ 4× the message.',
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, , , mode, warmth, size, outputPath, compressor] = process.argv;
  await child(
    mode as 'pipeline' | 'openpgp',
    warmth === 'argon2-resident',
    Number(size),
    outputPath!,
    compressor === 'node' ? 'node' : 'waiting',
  );
} else {
  await parent();
}
