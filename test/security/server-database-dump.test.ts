/**
 * Attack: someone has a full dump of the server's database (every row of every table) and
 * wants the content of a hosted message. The dump holds the ciphertext and the server shares,
 * but the mail share travels only in the mail and the link's #fragment, so no lock opens.
 * A positive control shows the same attempt succeeds once the mail share is added, so the test
 * would notice if the server ever stored it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveLockPassword, generateShare } from '../../src/core/serverLock.ts';
import { openWithPassword, sealPayload } from '../../src/crypto/index.ts';
import type { RegisterLock } from '../../src/messaging/serverApi.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../server/harness.ts';
import {
  latestCode,
  lock,
  registration,
  SERVER_START_TIMEOUT_MS,
  signedInSender,
} from '../server/messages-fixtures.ts';
import { LIGHT_CRYPTO_CONFIG } from '../unit/crypto/testCrypto.ts';

const secretText = 'Merger terms, draft 7: not for anyone else.';

/** Every value of every row of every table in the public schema. */
async function dumpDatabase(
  server: TestServer,
): Promise<{ table: string; column: string; value: unknown }[]> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
    server.db,
  );
  const values: { table: string; column: string; value: unknown }[] = [];
  for (const { table_name: table } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      server.db,
    );
    for (const row of rows.rows) {
      for (const [column, value] of Object.entries(row)) values.push({ table, column, value });
    }
  }
  return values;
}

/** A dump value as raw bytes: bytea as is, text when it is canonical base64 or hex. */
function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (typeof value !== 'string') return null;
  const fromBase64 = Buffer.from(value, 'base64');
  if (fromBase64.length > 0 && fromBase64.toString('base64') === value) return fromBase64;
  const fromBase64Url = Buffer.from(value, 'base64url');
  if (fromBase64Url.length > 0 && fromBase64Url.toString('base64url') === value)
    return fromBase64Url;
  return /^(?:[0-9a-f]{2})+$/i.test(value) ? Buffer.from(value, 'hex') : null;
}

describe.each(DATABASE_KINDS)('a database dump on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  }, SERVER_START_TIMEOUT_MS);
  afterAll(() => server.close());

  it('opens no lock without the mail share; with it (control) the sms lock opens', async () => {
    const token = await signedInSender(server);
    const locks: RegisterLock[] = [
      lock({ method: 'sms', address: 'bob@partner.example', phone: '+4915123456789' }),
      lock({ method: 'email', address: 'carol@partner.example', hidden: true }),
      lock({ method: 'code', address: 'dan@partner.example', accessCode: 'DAN-4242' }),
      lock({ method: 'org-code', address: 'erin@partner.example', accessCode: 'Blue Harbour' }),
    ];
    const body = registration(locks);
    const mailShare = generateShare();
    const accessCodes = [undefined, undefined, 'DAN-4242', 'Blue Harbour'];
    const passwords: string[] = [];
    for (const [index, sealedLock] of locks.entries()) {
      const accessCode = accessCodes[index];
      const derived = await deriveLockPassword({
        messageId: body.messageId,
        lockId: sealedLock.lockId,
        mailShare,
        serverShare: sealedLock.serverShare,
        ...(accessCode !== undefined ? { accessCode } : {}),
      });
      if (!derived.ok) throw new Error('damaged');
      passwords.push(derived.password);
    }
    const payload = await sealPayload({
      plaintext: new TextEncoder().encode(secretText),
      passwords,
      encryptionKeys: [],
      config: LIGHT_CRYPTO_CONFIG,
    });
    body.payload = Buffer.from(payload).toString('base64');
    expect((await server.request('POST', '/api/v1/messages', { body, token })).status).toBe(201);
    // Bob opens it for real, so the dump also holds a used lock and the outbox.
    const base = `/api/v1/messages/${body.messageId}`;
    await server.request('POST', `${base}/verify/start`, {
      body: { address: 'bob@partner.example' },
    });
    await server.request('POST', `${base}/verify/complete`, {
      body: { lockId: locks[0]!.lockId, code: await latestCode(server, '+4915123456789') },
    });

    const dump = await dumpDatabase(server);
    const dumpText = JSON.stringify(
      dump.map((entry) => [
        entry.table,
        entry.column,
        entry.value instanceof Uint8Array ? Buffer.from(entry.value).toString('hex') : entry.value,
      ]),
    );
    // Neither the mail share nor the access codes nor the content are anywhere in the dump.
    expect(dumpText).not.toContain(mailShare);
    expect(dumpText).not.toContain(Buffer.from(mailShare, 'base64').toString('hex'));
    expect(dumpText).not.toContain('DAN4242');
    expect(dumpText.toUpperCase()).not.toContain('BLUEHARBOUR');
    expect(dumpText).not.toContain('Merger terms');

    // The attacker takes the hosted payload from the dump, and tries every 32-byte value in the
    // dump as the missing mail share, with the server share of each sms and email lock (the
    // code locks would need their access code on top, which the dump does not hold either).
    const hosted = dump.find(
      (entry) => entry.table === 'message_payloads' && entry.column === 'payload',
    )?.value;
    expect(hosted).toBeInstanceOf(Uint8Array);
    const shareRows = await server.db
      .selectFrom('message_locks')
      .select(['lock_id', 'server_share'])
      .where('method', 'in', ['sms', 'email'])
      .execute();
    expect(shareRows).toHaveLength(2);
    const candidates = new Set<string>();
    for (const entry of dump) {
      const bytes = asBytes(entry.value);
      if (bytes?.length === 32) candidates.add(Buffer.from(bytes).toString('base64'));
    }
    expect(candidates.size).toBeGreaterThanOrEqual(locks.length);
    for (const row of shareRows) {
      const serverShare = Buffer.from(row.server_share).toString('base64');
      for (const guessedMailShare of candidates) {
        const derived = await deriveLockPassword({
          messageId: body.messageId,
          lockId: row.lock_id,
          mailShare: guessedMailShare,
          serverShare,
        });
        if (!derived.ok) continue;
        const opened = await openWithPassword({
          payload: hosted as Uint8Array,
          password: derived.password,
        });
        expect(opened.ok).toBe(false);
      }
    }

    // Control: with the mail share from the mail (never on the server), the dump's share opens Bob's lock.
    const bobRow = shareRows.find((row) => row.lock_id === locks[0]!.lockId)!;
    const control = await deriveLockPassword({
      messageId: body.messageId,
      lockId: bobRow.lock_id,
      mailShare,
      serverShare: Buffer.from(bobRow.server_share).toString('base64'),
    });
    const opened = control.ok
      ? await openWithPassword({ payload: hosted as Uint8Array, password: control.password })
      : null;
    expect(opened?.ok && new TextDecoder().decode(opened.plaintext)).toBe(secretText);
  }, 180_000);
});
