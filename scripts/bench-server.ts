/**
 * `npm run bench:server`: share release under concurrent recipients, over real HTTP on loopback,
 * against PostgreSQL.
 *
 * Method
 * - PostgreSQL: `SEALPOST_TEST_PG_URL` (an admin URL) if set, else a throw-away cluster started
 *   by the test helper (Debian's postgresql, fsync off: it measures the server, not the disk).
 *   A fresh database, migrated; the server is the real one (`buildServer`) on 127.0.0.1 with
 *   log level `warn`, in this process (a single Node process, as one instance behind a balancer).
 * - Setup (not timed): one signed-in sender registers `--messages` messages, each with `--locks`
 *   access-code locks (method `code`, a distinct code per lock, 32-byte shares).
 * - Measured: every lock is one recipient doing what the reader does: `verify/start` with their
 *   address, then `verify/complete` with their code (the share release). At most `--concurrency`
 *   recipients are in flight at once; no new recipient starts after `--max-seconds`.
 * - Reported: requests/s over the measured phase (both calls counted), recipients/s, and the
 *   latency percentiles (nearest rank) of `verify/complete` and of `verify/start`; every
 *   released share is compared with the one registered, and any error is counted.
 */
import { generateServerSecret } from '../src/server/serverSecret.ts';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateLockId, generateShare } from '../src/core/serverLock.ts';
import type { RegisterLock, RegisterMessageRequest } from '../src/core/serverApi.ts';
import { buildServer } from '../src/server/app.ts';
import { resolveConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/connect.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { systemClock } from '../src/server/deps.ts';
import { outboxMailer } from '../src/server/mail/mailer.ts';
import { outboxSmsSender } from '../src/server/outbox.ts';
import { randomToken, sha256Hex } from '../src/server/secrets.ts';
import { startPostgresCluster, type TestPostgresCluster } from '../test/helpers/postgres.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '200' },
    locks: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '50' },
    'max-seconds': { type: 'string', default: '60' },
  },
});
const messageCount = positive('messages', values.messages);
const locksPerMessage = positive('locks', values.locks);
const concurrency = positive('concurrency', values.concurrency);
const maxSeconds = positive('max-seconds', values['max-seconds']);

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name}: expected a positive integer`);
  return value;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

interface Recipient {
  messageId: string;
  address: string;
  accessCode: string;
  lockId: string;
  serverShare: string;
}

async function main(): Promise<void> {
  let cluster: TestPostgresCluster | null = null;
  let adminUrl = process.env.SEALPOST_TEST_PG_URL;
  if (!adminUrl) {
    console.log('starting a throw-away PostgreSQL cluster …');
    cluster = await startPostgresCluster();
    adminUrl = cluster.adminUrl;
  }
  const databaseName = `sealpost_bench_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${databaseName}`);
  await admin.end();
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();

  const resolved = resolveConfig(
    { databaseUrl, port: 0, logLevel: 'warn', developmentMode: true },
    {},
  );
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  const config = resolved.config;
  const database = await openDatabase(databaseUrl);
  try {
    await migrateToLatest(database.db);
    const app = await buildServer({
      config,
      db: database.db,
      clock: systemClock,
      mailer: outboxMailer(database.db, systemClock),
      sms: outboxSmsSender(database.db, systemClock),
      secret: generateServerSecret(),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no address');
    const baseUrl = `http://127.0.0.1:${address.port}`;

    const token = randomToken();
    const now = new Date();
    await database.db
      .insertInto('device_tokens')
      .values({
        id: randomToken(12),
        token_digest: sha256Hex(token),
        address: 'bench@example.org',
        device_name: 'bench',
        created_at: now,
        last_used_at: now,
      })
      .execute();

    const post = async (path: string, body: unknown, bearer?: string) => {
      const response = await fetch(baseUrl + path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    console.log(`registering ${messageCount} messages × ${locksPerMessage} locks …`);
    const recipients: Recipient[] = [];
    for (let index = 0; index < messageCount; index++) {
      const messageId = randomUUID();
      const locks: RegisterLock[] = [];
      for (let lockIndex = 0; lockIndex < locksPerMessage; lockIndex++) {
        const recipient: Recipient = {
          messageId,
          address: `recipient${lockIndex}@partner.example`,
          accessCode: randomToken(9).toUpperCase(),
          lockId: generateLockId(),
          serverShare: generateShare(),
        };
        recipients.push(recipient);
        locks.push({
          lockId: recipient.lockId,
          method: 'code',
          address: recipient.address,
          hidden: false,
          accessCode: recipient.accessCode,
          serverShare: recipient.serverShare,
          language: 'en',
        });
      }
      const body: RegisterMessageRequest = { messageId, locks };
      const registered = await post('/api/v1/messages', body, token);
      if (registered.status !== 201)
        throw new Error(`registration failed: ${JSON.stringify(registered.body)}`);
    }

    console.log(
      `${recipients.length} recipients, ${concurrency} at a time, at most ${maxSeconds} s …`,
    );
    const releaseLatencies: number[] = [];
    const startLatencies: number[] = [];
    let errors = 0;
    let wrongShares = 0;
    let requests = 0;
    let next = 0;
    const began = performance.now();
    const deadline = began + maxSeconds * 1000;
    const worker = async () => {
      while (next < recipients.length && performance.now() < deadline) {
        const recipient = recipients[next++]!;
        const base = `/api/v1/messages/${recipient.messageId}`;
        const startedAt = performance.now();
        const started = await post(`${base}/verify/start`, { address: recipient.address });
        startLatencies.push(performance.now() - startedAt);
        requests++;
        if (started.status !== 200) {
          errors++;
          continue;
        }
        const completeAt = performance.now();
        const released = await post(`${base}/verify/complete`, {
          handle: started.body.handle,
          code: recipient.accessCode,
        });
        releaseLatencies.push(performance.now() - completeAt);
        requests++;
        if (released.status !== 200) errors++;
        else if (released.body.serverShare !== recipient.serverShare) wrongShares++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - began) / 1000;
    await app.close();

    const sortedRelease = [...releaseLatencies].sort((a, b) => a - b);
    const sortedStart = [...startLatencies].sort((a, b) => a - b);
    const format = (value: number) => value.toFixed(1).padStart(8);
    console.log('');
    console.log(
      `PostgreSQL, loopback, concurrency ${concurrency}, ${releaseLatencies.length} share releases in ${seconds.toFixed(1)} s`,
    );
    console.log(
      `requests/s      ${(requests / seconds).toFixed(0)}   (verify/start + verify/complete)`,
    );
    console.log(`recipients/s    ${(releaseLatencies.length / seconds).toFixed(0)}`);
    console.log(`errors          ${errors}   wrong shares ${wrongShares}`);
    console.log('latency ms           p50      p95      p99      max');
    console.log(
      `verify/complete ${format(percentile(sortedRelease, 0.5))} ${format(percentile(sortedRelease, 0.95))} ${format(percentile(sortedRelease, 0.99))} ${format(sortedRelease.at(-1) ?? Number.NaN)}`,
    );
    console.log(
      `verify/start    ${format(percentile(sortedStart, 0.5))} ${format(percentile(sortedStart, 0.95))} ${format(percentile(sortedStart, 0.99))} ${format(sortedStart.at(-1) ?? Number.NaN)}`,
    );
    if (errors > 0 || wrongShares > 0) process.exitCode = 1;
  } finally {
    await database.close();
    const dropper = new pg.Client({ connectionString: adminUrl });
    await dropper.connect();
    await dropper.query(`drop database if exists ${databaseName} with (force)`);
    await dropper.end();
    await cluster?.stop();
  }
}

await main();
