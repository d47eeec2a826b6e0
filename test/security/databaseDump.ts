/**
 * A database dump as an attacker would take it, and a message sealed for real (a payload that
 * only the right lock password opens), for the attack tests that ask what a dump gives away
 * (server-database-dump.test.ts, server-remembered-devices.test.ts).
 */
import { sql } from 'kysely';
import { expect } from 'vitest';
import { deriveLockPassword, generateShare } from '../../src/core/serverLock.ts';
import type { RegisterLock } from '../../src/core/serverApi.ts';
import { sealPayload } from '../../src/crypto/index.ts';
import type { TestServer } from '../server/harness.ts';
import { registration } from '../server/messages-fixtures.ts';
import { LIGHT_CRYPTO_CONFIG } from '../unit/crypto/testCrypto.ts';

/** The sealed messages' plaintext. */
export const secretText = 'Merger terms, draft 7: not for anyone else.';

/** Every value of every row of every table in the public schema. */
export async function dumpDatabase(
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
export function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (typeof value !== 'string') return null;
  const fromBase64 = Buffer.from(value, 'base64');
  if (fromBase64.length > 0 && fromBase64.toString('base64') === value) return fromBase64;
  const fromBase64Url = Buffer.from(value, 'base64url');
  if (fromBase64Url.length > 0 && fromBase64Url.toString('base64url') === value)
    return fromBase64Url;
  return /^(?:[0-9a-f]{2})+$/i.test(value) ? Buffer.from(value, 'hex') : null;
}

export interface SealedMessage {
  messageId: string;
  token: string;
  mailShare: string;
  payload: Uint8Array;
  /** The lock ids, with the access code a code lock needs. */
  locks: { lockId: string; accessCode?: string }[];
}

/** Seals a payload to the given locks (their passwords from both shares and any code) and registers it with its hosted copy. */
export async function registerSealed(
  server: TestServer,
  token: string,
  registered: RegisterLock[],
  extra: { expiresInDays?: number } = {},
): Promise<SealedMessage> {
  const body = registration(registered, extra);
  const mailShare = generateShare();
  const locks = registered.map((entry) => ({
    lockId: entry.lockId,
    ...(entry.accessCode === undefined ? {} : { accessCode: entry.accessCode }),
  }));
  const passwords: string[] = [];
  for (const entry of registered) {
    const derived = await deriveLockPassword({
      messageId: body.messageId,
      lockId: entry.lockId,
      mailShare,
      serverShare: entry.serverShare,
      ...(entry.accessCode === undefined ? {} : { accessCode: entry.accessCode }),
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
  return { messageId: body.messageId, token, mailShare, payload, locks };
}
