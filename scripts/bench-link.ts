/**
 * `npm run bench`, second part (alone: `SEALPOST_BENCH=link npm run bench`, or
 * `npx tsx scripts/bench-link.ts [25MB] [1GB]`): link delivery against a real Sealpost server,
 * for one attachment of 25 MB and of 1 GB of random bytes (which do not compress: the worst
 * case for size and time). See README.md, "Benchmark", "Link delivery".
 *
 * Method
 * - The server is the real one (`src/server/main.ts`) in its own process on loopback: the
 *   embedded PGlite database on disk and the `file` payload store, both in a temporary
 *   directory, the development outbox for the sender's sign-in code. One sender signs in once
 *   through the API, as the add-on's options page does; every child uses its device token.
 * - The attachment is a file on disk, handed over as a Blob (`fs.openAsBlob`), as Thunderbird
 *   hands a compose attachment to the add-on (scripts/bench.ts does the same).
 * - "seal + upload" is what the add-on does for a mail sent by link (src/background/linkSend.ts):
 *   plan the server lock (an access code, `code`), seal to a stream (`sealToStream`), register
 *   with `upload: {expectedBytes}`, upload the payload as it is sealed with tus
 *   (`createServerClient(…).uploadPayload`, 8 MiB chunks, SHA-256 on the way), and make the
 *   attached file (`linkedEnvelopeHtml`, as a File). "plain tus upload" registers a message the
 *   same way and uploads the attachment file itself with tus-js-client (`fs.ReadStream`, its
 *   length known) to the same endpoint with the same chunk size. "seal alone" is the same
 *   sealing with no server: the payload stream read to its end and dropped (how much of
 *   "seal + upload" is the sealing).
 * - Each run of each is a fresh child Node process (`--expose-gc`) that first sends a 1-byte
 *   message the same way (modules loaded, connections and JIT warm, as in a Thunderbird that has
 *   sent before), collects garbage, then measures. Memory is the kernel's own peak: the child
 *   resets its peak RSS (`/proc/self/clear_refs` 5) at the baseline and reads VmHWM at the end,
 *   so nothing between samples is missed. The compressor is one that waits for its reader, as
 *   Thunderbird's does (scripts/waitingCompressionStream.ts; Node's own has no backpressure).
 * - Sent mail: the notification text (with the link) + the envelope-only `secure-message.html`
 *   base64-encoded in 76-column CRLF lines (headers not counted), as scripts/bench.ts counts it.
 * - Reader: Debian's Chromium (playwright-core, test/helpers/chromium.ts), the hosted reader
 *   `/r/<id>?lang=en#<mail share>` of the last sealed message, a fresh browser context per run.
 *   The bench confirms the address as soon as it is asked, waits until the reader has the whole
 *   payload (or gave its request up), then types the code. Times come from the page's own
 *   clock: "download" from the payload request's start (Resource Timing) until the reader shows
 *   the payload is ready (it has read and hashed every byte); "unlock → shown" from Enter in the
 *   code field until the message body is shown (the server's answer, decryption, MIME parsing,
 *   rendering). A reader that refuses (a payload over its cap) is reported with what it says
 *   and when, not skipped. "plain download" is a `fetch` of the same payload URL in the same
 *   Chromium (a page of the same origin), its body read to the end and dropped.
 * - Chromium memory: the peak RSS (VmHWM, reset before the page navigates) of the renderer
 *   process the page ran in, and the peak of the summed RSS of all Chromium processes (sampled
 *   every 20 ms) above the sum before navigating.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomFillSync, randomUUID } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  openAsBlob,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { PlannedServerLock } from '../src/core/decideSend.ts';

const root = resolve(import.meta.dirname, '..');
const READER_PATH = join(root, 'dist/reader/secure-message.html');
const SENDER = { name: 'Alice Example', address: 'alice@example.org' };
const RECIPIENT = { address: 'erik@client.example', code: '739152' };
const CASES = [
  { label: '25 MB', size: 25_000_000, uploadRuns: 3, sealAloneRuns: 3, readerRuns: 3 },
  { label: '1 GB', size: 1_000_000_000, uploadRuns: 2, sealAloneRuns: 1, readerRuns: 1 },
] as const;
type BenchCase = (typeof CASES)[number];

interface Measurement {
  milliseconds: number;
  /** Peak RSS during the operation minus the RSS just before it. */
  peakRssIncrease: number;
}

interface SealResult {
  measurement: Measurement;
  messageId: string;
  mailShare: string;
  readerUrl: string;
  payloadUrl: string;
  payloadBytes: number;
  envelopeFileBytes: number;
  notificationBytes: number;
  sentMailBytes: number;
}

interface PlainResult {
  measurement: Measurement;
  messageId: string;
}

// ---------------------------------------------------------------- child process side

function procStatusKib(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/** Resets the kernel's peak RSS of a process to its current RSS (Linux ≥ 4.0). */
function resetPeakRss(pid: number | 'self'): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

async function measure(operation: () => Promise<unknown>): Promise<Measurement> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the child with --expose-gc');
  gc();
  await sleep(30);
  resetPeakRss('self');
  const baseline = procStatusKib('self', 'VmRSS');
  const started = performance.now();
  await operation();
  const milliseconds = performance.now() - started;
  return { milliseconds, peakRssIncrease: (procStatusKib('self', 'VmHWM') - baseline) * 1024 };
}

const sleep = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

/** The recipient's lock: an access code the sender gives them, kept by the server. */
const RECIPIENT_LOCK: PlannedServerLock = {
  address: RECIPIENT.address,
  field: 'to',
  method: 'code',
  serverProtected: true,
  language: 'en',
  accessCode: RECIPIENT.code,
};
const BODY_TEXT = 'Hello Erik,\n\nthe recordings are attached.\n\nAlice\n';

/**
 * What the add-on does for one mail sent by link, from its attachment to the attached File; or,
 * with `upload` false, the sealing alone (the payload stream read to its end and dropped).
 */
async function sealChild(
  attachmentPath: string,
  serverUrl: string,
  token: string,
  upload: boolean,
): Promise<void> {
  // Before openpgp.js is loaded: it looks for CompressionStream once, when it loads.
  const { installWaitingCompressionStream } = await import('./waitingCompressionStream.ts');
  await installWaitingCompressionStream();
  const { generateSenderKey } = await import('../src/crypto/index.ts');
  const { createServerClient } = await import('../src/core/serverClient.ts');
  const { planServerSeal } = await import('../src/core/serverSeal.ts');
  const { linkedEnvelope, sealToStream } = await import('../src/core/sealPipeline.ts');
  const { linkedEnvelopeHtml } = await import('../src/i18n/linkedEnvelopePage.ts');
  const { buildNotificationText } = await import('../src/i18n/notification.ts');
  const client = createServerClient({ baseUrl: serverUrl, token, fetch });
  const sender = await generateSenderKey(SENDER);
  // The add-on holds the reader template anyway; sealToStream takes it but a link needs none.
  const readerTemplate = readFileSync(READER_PATH, 'utf8');

  const seal = async (attachment: Blob) => {
    const messageId = randomUUID();
    const plan = await planServerSeal({ messageId, locks: [RECIPIENT_LOCK] });
    const sealed = await sealToStream({
      original: {
        messageId: `<${messageId}@sealpost>`,
        date: new Date(),
        from: SENDER,
        to: [RECIPIENT.address],
        cc: [],
        subject: 'Benchmark — Aufnahmen',
        body: { kind: 'plain', text: BODY_TEXT },
        attachments: [
          { name: 'Aufnahme 1.bin', contentType: 'application/octet-stream', bytes: attachment },
        ],
      },
      locks: plan.sealLocks,
      mailShare: plan.mailShare,
      envelopeMessageId: messageId,
      // As the add-on seals a mail by link (src/background/sealMail.ts): not compressed.
      compress: false,
      senderPublicKey: sender.armoredPublicKey,
      readerTemplate,
      serverUrl,
      languages: ['en'],
    });
    return { messageId, plan, sealed };
  };
  const sealAlone = async (attachment: Blob) => {
    const reader = (await seal(attachment)).sealed.payload.getReader();
    while (!(await reader.read()).done);
  };
  const sendByLink = async (attachment: Blob) => {
    const { messageId, plan, sealed } = await seal(attachment);
    const registration = await client.registerMessage({
      messageId,
      locks: plan.registerLocks,
      senderName: SENDER.name,
      senderLanguage: 'en',
      upload: { expectedBytes: attachment.size + BODY_TEXT.length },
    });
    if (!registration.ok) throw new Error(`registration: ${registration.message}`);
    const { uploadUrl, payloadUrl, readerUrl } = registration.value;
    if (!uploadUrl || !payloadUrl) throw new Error('registration: no uploadUrl/payloadUrl');
    const upload = await client.uploadPayload({ uploadUrl, messageId, payload: sealed.payload });
    if (!upload.ok) throw new Error(`upload: ${upload.reason} ${upload.message}`);
    const readerLink = `${readerUrl}#${plan.mailShare}`;
    const envelope = linkedEnvelope(sealed.envelope, {
      url: payloadUrl,
      bytes: upload.bytes,
      sha256: upload.sha256,
    });
    const file = new File([linkedEnvelopeHtml(envelope, readerLink)], 'secure-message.html', {
      type: 'text/html',
    });
    return {
      messageId,
      mailShare: plan.mailShare,
      readerUrl,
      readerLink,
      payloadUrl,
      upload,
      file,
    };
  };

  const attachment = await openAsBlob(attachmentPath);
  if (!upload) {
    await sealAlone(new Blob([new Uint8Array(1)]));
    report({ measurement: await measure(() => sealAlone(attachment)), messageId: '' });
    return;
  }
  const warm = await sendByLink(new Blob([new Uint8Array(1)]));
  await client.revokeMessage(warm.messageId);
  let sent: Awaited<ReturnType<typeof sendByLink>> | undefined;
  const measurement = await measure(async () => {
    sent = await sendByLink(attachment);
  });
  const notification = buildNotificationText({
    senderName: SENDER.name,
    senderAddress: SENDER.address,
    sections: [{ language: 'en', methods: ['code'] }],
    serverUrl,
    readerLink: sent!.readerLink,
    byLink: true,
  });
  const notificationBytes = new TextEncoder().encode(notification).length;
  const result: SealResult = {
    measurement,
    messageId: sent!.messageId,
    mailShare: sent!.mailShare,
    readerUrl: sent!.readerUrl,
    payloadUrl: sent!.payloadUrl,
    payloadBytes: sent!.upload.ok ? sent!.upload.bytes : 0,
    envelopeFileBytes: sent!.file.size,
    notificationBytes,
    sentMailBytes: notificationBytes + mimeBase64Length(sent!.file.size),
  };
  report(result);
}

/** A plain tus upload of the attachment file, to the same endpoint with the same chunk size. */
async function plainChild(attachmentPath: string, serverUrl: string, token: string): Promise<void> {
  const { Upload } = await import('tus-js-client');
  const { createServerClient } = await import('../src/core/serverClient.ts');
  const { planServerSeal } = await import('../src/core/serverSeal.ts');
  const { UPLOAD_CHUNK_BYTES } = await import('../src/core/payloadUpload.ts');
  const client = createServerClient({ baseUrl: serverUrl, token, fetch });

  const upload = async (path: string) => {
    const messageId = randomUUID();
    const size = statSync(path).size;
    const plan = await planServerSeal({ messageId, locks: [RECIPIENT_LOCK] });
    const registration = await client.registerMessage({
      messageId,
      locks: plan.registerLocks,
      senderName: SENDER.name,
      upload: { expectedBytes: size },
    });
    if (!registration.ok) throw new Error(`registration: ${registration.message}`);
    const uploadUrl = registration.value.uploadUrl;
    if (!uploadUrl) throw new Error('registration: no uploadUrl');
    await new Promise<void>((done, fail) => {
      new Upload(createReadStream(path), {
        endpoint: uploadUrl,
        headers: { Authorization: `Bearer ${token}` },
        metadata: { messageId },
        chunkSize: UPLOAD_CHUNK_BYTES,
        uploadSize: size,
        retryDelays: [],
        storeFingerprintForResuming: false,
        onSuccess: () => done(),
        onError: fail,
      }).start();
    });
    return messageId;
  };

  const warmPath = `${attachmentPath}.warm`;
  writeFileSync(warmPath, new Uint8Array(1));
  const warmId = await upload(warmPath);
  rmSync(warmPath);
  await client.revokeMessage(warmId);
  let messageId = '';
  const measurement = await measure(async () => {
    messageId = await upload(attachmentPath);
  });
  report({ measurement, messageId } satisfies PlainResult);
}

function report(result: SealResult | PlainResult): void {
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
}

/** Size of base64 in 76-character lines with CRLF after each line (as scripts/bench.ts). */
function mimeBase64Length(bytes: number): number {
  const characters = Math.ceil(bytes / 3) * 4;
  return characters + 2 * Math.ceil(characters / 76);
}

// ---------------------------------------------------------------- the server

interface BenchServer {
  url: string;
  token: string;
  revoke(messageId: string): Promise<void>;
  stop(): Promise<void>;
}

/** The real server in its own process, everything it keeps under `folder`; one sender signed in. */
async function startServer(folder: string): Promise<BenchServer> {
  const { findFreePort } = await import('../test/e2e/harness/freePort.ts');
  const { oneTimeCodeIn, postJson, signInSender } =
    await import('../test/e2e/harness/sealpostServer.ts');
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(join(folder, 'server.log'));
  const server: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/server/main.ts')],
    {
      // tsx resolves from the project; everything the server keeps is under `folder`.
      cwd: root,
      env: {
        ...process.env,
        SEALPOST_DATABASE_URL: `pglite:${join(folder, 'database')}`,
        SEALPOST_PAYLOADS_STORE: 'file',
        SEALPOST_PAYLOADS_DIRECTORY: join(folder, 'payloads'),
        SEALPOST_HOST: '127.0.0.1',
        SEALPOST_PORT: String(port),
        SEALPOST_PUBLIC_URL: url,
        SEALPOST_ORGANISATION_NAME: 'Benchmark',
        SEALPOST_ORGANISATION_DOMAINS: 'example.org',
        SEALPOST_DEVELOPMENT_MODE: 'true',
        SEALPOST_DEV_OUTBOX: 'true',
        SEALPOST_SECRET_KEY_FILE: join(folder, 'secret.key'),
        SEALPOST_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout!.pipe(log);
  server.stderr!.pipe(log);
  const exited = new Promise<void>((done) => server.once('exit', () => done()));
  const stop = async () => {
    if (server.exitCode === null) server.kill('SIGTERM');
    await exited;
  };
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error('the server stopped');
      const healthy = await fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) break;
      if (Date.now() > deadline) throw new Error('the server did not start in 2 minutes');
      await sleep(250);
    }
    const token = await signInSender({ url }, SENDER.address, async () => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const response = await fetch(`${url}/api/v1/dev/outbox`);
        const { messages } = (await response.json()) as {
          messages: { to: string; text: string }[];
        };
        const code = oneTimeCodeIn(messages.find((each) => each.to === SENDER.address)?.text ?? '');
        if (code) return code;
        await sleep(100);
      }
      throw new Error('no sign-in code in the development outbox');
    });
    return {
      url,
      token,
      revoke: async (messageId) => {
        const revoke = () => postJson(`${url}/api/v1/messages/${messageId}/revoke`, {}, token);
        // While a child ran (spawnSync), the server closed this process's idle keep-alive
        // connection unseen: the first request on it fails, a second gets a new one.
        await revoke().catch(() => revoke());
      },
      stop,
    };
  } catch (error) {
    await stop();
    const logText = existsSync(join(folder, 'server.log'))
      ? readFileSync(join(folder, 'server.log'), 'utf8').slice(-4000)
      : '';
    throw new Error(
      `the server did not get ready: ${error instanceof Error ? error.message : String(error)}\n${logText}`,
      { cause: error },
    );
  }
}

// ---------------------------------------------------------------- Chromium

/** Chromium processes started by this process (children, grandchildren, …), by /proc. */
function chromiumProcesses(): { pid: number; renderer: boolean }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended meanwhile.
    }
  }
  const found: { pid: number; renderer: boolean }[] = [];
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    queue.push(...(children.get(pid) ?? []));
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!commandLine.includes('chromium')) continue;
      found.push({ pid, renderer: commandLine.includes('--type=renderer') });
    } catch {
      // Ended meanwhile.
    }
  }
  return found;
}

const kibOr0 = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  try {
    return procStatusKib(pid, field);
  } catch {
    return 0;
  }
};

interface ChromiumMemory {
  /** Highest peak RSS of one renderer process. */
  rendererPeak: number;
  /** Peak of the summed RSS of every Chromium process, above the sum at the start. */
  browserPeakIncrease: number;
}

/**
 * Watches Chromium's memory from now until `stop()`: resets each process's peak RSS, samples the
 * summed RSS every 20 ms, and reads every renderer's peak at the end (renderers that started
 * meanwhile count from their start).
 */
function watchChromiumMemory(): { stop(): ChromiumMemory } {
  let processes = chromiumProcesses();
  for (const each of processes) {
    try {
      resetPeakRss(each.pid);
    } catch {
      // Ended meanwhile.
    }
  }
  const sum = () => processes.reduce((total, each) => total + kibOr0(each.pid, 'VmRSS'), 0);
  const baseline = sum();
  let peak = baseline;
  let samples = 0;
  const timer = setInterval(() => {
    if (++samples % 10 === 0) processes = chromiumProcesses();
    peak = Math.max(peak, sum());
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      processes = chromiumProcesses();
      peak = Math.max(peak, sum());
      const rendererPeaks = processes
        .filter((each) => each.renderer)
        .map((each) => kibOr0(each.pid, 'VmHWM'));
      return {
        rendererPeak: Math.max(0, ...rendererPeaks) * 1024,
        browserPeakIncrease: (peak - baseline) * 1024,
      };
    },
  };
}

interface ReaderRun {
  /** Payload request start → the reader shows the payload is ready; null when it never was. */
  downloadMilliseconds: number | null;
  /** Enter in the code field → the message body shown. */
  unlockMilliseconds: number | null;
  /** Page navigation → the message body shown (the bench types at once). */
  openToShownMilliseconds: number | null;
  /** What the reader said instead of opening, when it did not. */
  refusal: string | null;
  /** Page navigation → the reader's first error shown. */
  errorAtMilliseconds: number | null;
  memory: ChromiumMemory;
}

interface PlainDownloadRun {
  milliseconds: number;
  bytes: number;
  memory: ChromiumMemory;
}

/** Records, on the page's clock, when each of the reader's landmarks first appears. */
const LANDMARK_SCRIPT = `
  window.__benchMarks = {};
  const landmarks = {
    ready: '[data-testid="payload-ready"]',
    body: '[data-testid="message-body"]',
    error: '[data-testid="error"]',
  };
  // The ready line is on the page from the start (a status region), empty until the payload is.
  const look = () => {
    for (const [name, selector] of Object.entries(landmarks)) {
      const element = document.querySelector(selector);
      if (!(name in window.__benchMarks) && element && (name !== 'ready' || element.textContent.trim())) {
        window.__benchMarks[name] = performance.now();
      }
    }
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target && event.target.id === 'access-code') {
      window.__benchMarks.codeEntered = performance.now();
    }
  }, true);
`;

async function readerRun(browser: Browser, sealed: SealResult): Promise<ReaderRun> {
  const { errorText } = await import('../test/helpers/chromium.ts');
  const { confirmAddress } = await import('../test/e2e/harness/readerServerFlow.ts');
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addInitScript(LANDMARK_SCRIPT);
  const page = await context.newPage();
  // The reader's first payload request: finished (then the reader reads and checks it), or
  // failed (the reader gave it up, e.g. over its size cap; it tries again on the code).
  const payloadRequest = new Promise<'finished' | 'failed'>((settle) => {
    page.on('requestfinished', (request) => {
      if (request.url().endsWith('/payload')) settle('finished');
    });
    page.on('requestfailed', (request) => {
      if (request.url().endsWith('/payload')) settle('failed');
    });
  });
  const memory = watchChromiumMemory();
  let refusal: string | null = null;
  try {
    await page.goto(`${sealed.readerUrl}?lang=en#${sealed.mailShare}`);
    const timeout = 600_000;
    const first = page.locator('#recipient-address, [data-testid="error"]').first();
    await first.waitFor({ timeout });
    // An error before the address is asked for: the reader gave up on the payload already.
    if ((await page.locator('#recipient-address').count()) === 0) {
      refusal = await errorText(page);
    } else if ((await confirmAddress(page, RECIPIENT.address)) !== 'code') {
      refusal = await errorText(page);
    } else {
      if ((await payloadRequest) === 'finished') {
        await page
          .locator('[data-testid="payload-ready"]')
          .filter({ hasText: /\S/ })
          .or(page.locator('[data-testid="error"]'))
          .first()
          .waitFor({ timeout });
      }
      // As readerServerFlow's typeCode, with room for a large message's decryption (its 90 s
      // are for the tests' small ones).
      await page.locator('#access-code').fill(RECIPIENT.code);
      await page.locator('#access-code').press('Enter');
      const outcome = page.locator('[data-testid="subject"], [data-testid="error"]').first();
      await outcome.waitFor({ timeout });
      if ((await page.locator('[data-testid="subject"]').count()) > 0) {
        await page.locator('[data-testid="message-body"]').first().waitFor({ timeout });
      } else {
        refusal = await errorText(page);
      }
    }
  } catch (error) {
    refusal = `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  const chromiumMemory = memory.stop();
  const times = await page.evaluate(() => {
    const marks = (window as unknown as { __benchMarks: Record<string, number> }).__benchMarks;
    const request = performance
      .getEntriesByType('resource')
      .find((entry) => entry.name.endsWith('/payload'));
    return { marks, requestStart: request?.startTime ?? null };
  });
  await context.close();
  const { marks, requestStart } = times;
  const between = (from: number | null | undefined, to: number | undefined) =>
    from === null || from === undefined || to === undefined ? null : to - from;
  return {
    downloadMilliseconds: between(requestStart, marks.ready),
    unlockMilliseconds: refusal === null ? between(marks.codeEntered, marks.body) : null,
    openToShownMilliseconds: refusal === null ? between(0, marks.body) : null,
    refusal,
    errorAtMilliseconds: between(0, marks.error),
    memory: chromiumMemory,
  };
}

async function plainDownloadRun(browser: Browser, sealed: SealResult): Promise<PlainDownloadRun> {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const memory = watchChromiumMemory();
  // A page of the server's origin, so the fetch is what the hosted reader's is.
  await page.goto(`${new URL(sealed.payloadUrl).origin}/healthz`);
  const measured = await page.evaluate(async (url) => {
    const started = performance.now();
    const response = await fetch(url, { credentials: 'omit', cache: 'no-store' });
    const reader = response.body!.getReader();
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
    }
    return { milliseconds: performance.now() - started, bytes };
  }, sealed.payloadUrl);
  const chromiumMemory = memory.stop();
  await context.close();
  return { ...measured, memory: chromiumMemory };
}

// ---------------------------------------------------------------- parent side

function runChild<Result>(
  mode: 'seal' | 'seal-alone' | 'plain',
  attachmentPath: string,
  server: BenchServer,
): Result {
  const result = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      import.meta.filename,
      '--child',
      mode,
      attachmentPath,
      server.url,
      server.token,
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const line = result.stdout.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
  if (result.status !== 0 || !line) {
    throw new Error(`bench-link child ${mode} failed:\n${result.stderr}`);
  }
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as Result;
}

/** Writes `size` random bytes to `path`, 16 MiB at a time. */
function writeRandomFile(path: string, size: number): void {
  const block = new Uint8Array(16 * 1024 * 1024);
  const file = openSync(path, 'w');
  try {
    for (let written = 0; written < size;) {
      const length = Math.min(block.length, size - written);
      for (let offset = 0; offset < length; offset += 65536) {
        randomFillSync(block, offset, Math.min(65536, length - offset));
      }
      writeSync(file, block, 0, length);
      written += length;
    }
  } finally {
    closeSync(file);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e6 ? 2 : 1)} MB`;
const kilobytes = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const seconds = (milliseconds: number) =>
  milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(2)} s`;
/** Median and, with more than one run, the worst. */
const medianAndWorst = (values: number[], format: (value: number) => string) =>
  values.length > 1
    ? `${format(median(values))}; worst ${format(Math.max(...values))}`
    : format(values[0]!);
const runs = (count: number) => (count === 1 ? '1 run' : `median of ${count}`);

interface CaseResult {
  benchCase: BenchCase;
  seals: SealResult[];
  plains: PlainResult[];
  /** The sealing alone, no upload (the payload read and dropped). */
  sealsAlone: PlainResult[];
  readers: ReaderRun[];
  plainDownloads: PlainDownloadRun[];
}

async function runCase(
  benchCase: BenchCase,
  server: BenchServer,
  browser: Browser,
  scratch: string,
): Promise<CaseResult> {
  const attachmentPath = join(scratch, `attachment-${benchCase.size}.bin`);
  process.stderr.write(`bench-link: ${benchCase.label}: writing the attachment\n`);
  writeRandomFile(attachmentPath, benchCase.size);
  const seals: SealResult[] = [];
  const plains: PlainResult[] = [];
  const sealsAlone: PlainResult[] = [];
  try {
    process.stderr.write(`bench-link: ${benchCase.label}: seal + upload, plain upload `);
    for (let run = 0; run < benchCase.uploadRuns; run++) {
      // Alternate, so a burst of load from other processes hits both sides alike. Only the
      // last sealed message stays on the server (for the reader): the rest is revoked, which
      // deletes its payload, so the disk holds at most three copies.
      const sealed = runChild<SealResult>('seal', attachmentPath, server);
      if (seals.length > 0) await server.revoke(seals.at(-1)!.messageId);
      seals.push(sealed);
      const plain = runChild<PlainResult>('plain', attachmentPath, server);
      await server.revoke(plain.messageId);
      plains.push(plain);
      if (run < benchCase.sealAloneRuns) {
        sealsAlone.push(runChild<PlainResult>('seal-alone', attachmentPath, server));
      }
      process.stderr.write('.');
    }
    process.stderr.write('\n');
  } finally {
    rmSync(attachmentPath, { force: true });
  }
  process.stderr.write(`bench-link: ${benchCase.label}: reader and plain download in Chromium `);
  const last = seals.at(-1)!;
  const readers: ReaderRun[] = [];
  const plainDownloads: PlainDownloadRun[] = [];
  for (let run = 0; run < benchCase.readerRuns; run++) {
    plainDownloads.push(await plainDownloadRun(browser, last));
    readers.push(await readerRun(browser, last));
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  await server.revoke(last.messageId);
  return { benchCase, seals, plains, sealsAlone, readers, plainDownloads };
}

function tableRow(result: CaseResult): string[] {
  const { benchCase, seals, plains, sealsAlone, readers, plainDownloads } = result;
  const last = seals.at(-1)!;
  const time = (each: { measurement: Measurement }[]) =>
    median(each.map((one) => one.measurement.milliseconds));
  const sealTime = time(seals);
  const plainTime = time(plains);
  const peaks = (each: { measurement: Measurement }[]) =>
    medianAndWorst(
      each.map((one) => one.measurement.peakRssIncrease),
      (bytes) => `+${megabytes(bytes)}`,
    );
  const plainDownload = median(plainDownloads.map((run) => run.milliseconds));
  const opened = readers.filter((run) => run.refusal === null);
  let readerColumns: string[];
  if (opened.length === readers.length) {
    const download = median(opened.map((run) => run.downloadMilliseconds ?? Number.NaN));
    const unlock = median(opened.map((run) => run.unlockMilliseconds ?? Number.NaN));
    readerColumns = [
      `${seconds(download + unlock)} (${seconds(download)} + ${seconds(unlock)})`,
      `${((download + unlock) / plainDownload).toFixed(2)}×`,
      seconds(median(opened.map((run) => run.openToShownMilliseconds ?? Number.NaN))),
    ];
  } else {
    const refused = readers.find((run) => run.refusal !== null)!;
    const after =
      refused.errorAtMilliseconds === null
        ? ''
        : ` (shown ${seconds(refused.errorAtMilliseconds)} after opening)`;
    readerColumns = [`refused: “${refused.refusal}”${after}`, 'n/a', 'n/a'];
  }
  return [
    benchCase.label,
    megabytes(last.payloadBytes),
    `${kilobytes(last.sentMailBytes)} (${kilobytes(last.envelopeFileBytes)} file)`,
    `${seconds(sealTime)} (${runs(seals.length)})`,
    seconds(plainTime),
    `${(sealTime / plainTime).toFixed(2)}×`,
    `${seconds(time(sealsAlone))} (${runs(sealsAlone.length)})`,
    peaks(seals),
    peaks(plains),
    peaks(sealsAlone),
    ...readerColumns.slice(0, 1),
    `${seconds(plainDownload)} (${runs(plainDownloads.length)})`,
    ...readerColumns.slice(1),
    medianAndWorst(
      readers.map((run) => run.memory.rendererPeak),
      megabytes,
    ),
    medianAndWorst(
      readers.map((run) => run.memory.browserPeakIncrease),
      (bytes) => `+${megabytes(bytes)}`,
    ),
    medianAndWorst(
      plainDownloads.map((run) => run.memory.rendererPeak),
      megabytes,
    ),
  ];
}

async function parent(labels: string[]): Promise<void> {
  if (!existsSync(READER_PATH)) throw new Error('the reader is not built: run npm run build');
  const cases = CASES.filter(
    (each) => labels.length === 0 || labels.includes(each.label.replace(' ', '')),
  );
  const scratch = mkdtempSync(join(tmpdir(), 'sealpost-bench-link-'));
  console.log(
    `Sealpost link-delivery benchmark — node ${process.version}, ${new Date().toISOString()}`,
  );
  const { launchChromium } = await import('../test/helpers/chromium.ts');
  let server: BenchServer | null = null;
  let browser: Browser | null = null;
  const rows: string[][] = [];
  try {
    server = await startServer(scratch);
    browser = await launchChromium();
    for (const benchCase of cases) {
      rows.push(tableRow(await runCase(benchCase, server, browser, scratch)));
    }
  } finally {
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  const header = [
    'attachment',
    'payload',
    'sent mail (envelope file)',
    'seal + upload',
    'plain tus upload',
    'seal+upload / plain',
    'seal alone (no upload)',
    'add-on peak +RSS, seal + upload: median; worst',
    'plain upload peak +RSS',
    'seal alone peak +RSS',
    'reader download + unlock → shown',
    'plain download (Chromium fetch)',
    'reader / plain',
    'reader: open → shown',
    'reader renderer peak RSS',
    'Chromium, all processes: peak +RSS',
    'plain download: renderer peak RSS',
  ];
  console.log('');
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('');
  console.log(
    'Targets: sent mail < 400 KB; seal + upload ≤ 1.5× a plain tus upload; add-on peak memory constant, ≤ 200 MB for 1 GB; reader download + decrypt ≤ 2× a plain download.',
  );
}

if (process.argv[2] === '--child') {
  const [, , , mode, attachmentPath, serverUrl, token] = process.argv;
  if (mode === 'seal' || mode === 'seal-alone') {
    await sealChild(attachmentPath!, serverUrl!, token!, mode === 'seal');
  } else await plainChild(attachmentPath!, serverUrl!, token!);
  // tus-js-client and fetch keep sockets alive; the result is out.
  process.exit(0);
} else {
  await parent(process.argv.slice(2));
}
