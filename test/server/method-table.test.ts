/**
 * The method table (src/core/methods.ts) is the one source of truth: the server's request
 * schemas take their lists from it, and the database's CHECK constraints (written once, in
 * migrations) must agree with it. A method added to the table without a migration fails here.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  METHODS,
  SERVER_LOCK_METHODS,
  SERVER_METHODS,
  VERIFICATION_METHODS,
  takesAccessCode,
} from '../../src/core/methods.ts';
import { directoryUpdateSchema } from '../../src/server/directory/routes.ts';
import { registerSchema } from '../../src/server/messages/schemas.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';

/** The quoted values a CHECK constraint on `table.column` allows. */
async function allowedByCheck(server: TestServer, table: string, column: string) {
  const rows = await sql<{ definition: string }>`
    select pg_get_constraintdef(c.oid) as definition
    from pg_constraint c join pg_class t on t.oid = c.conrelid
    where c.contype = 'c' and t.relname = ${table}`.execute(server.db);
  const definition = rows.rows.map((row) => row.definition).find((text) => text.includes(column));
  if (definition === undefined) throw new Error(`no CHECK constraint on ${table}.${column}`);
  return [...definition.matchAll(/'([^']+)'/g)].map((match) => match[1]).sort();
}

describe('the method table', () => {
  it('derives its lists in the guide order', () => {
    expect(VERIFICATION_METHODS).toEqual(['account', 'sms', 'org-code', 'code', 'email']);
    expect(SERVER_LOCK_METHODS).toEqual(['sms', 'org-code', 'code', 'email']);
    expect(SERVER_METHODS).toEqual(['sms', 'org-code', 'email']);
    expect(VERIFICATION_METHODS.filter(takesAccessCode)).toEqual(['org-code', 'code']);
    const ranks = VERIFICATION_METHODS.map((method) => METHODS[method].rank);
    expect(ranks).toEqual([...ranks].sort((left, right) => left - right));
  });

  it("is what the server's request schemas allow", () => {
    expect(registerSchema.body.properties.locks.items.properties.method.enum).toEqual(
      SERVER_LOCK_METHODS,
    );
    expect(directoryUpdateSchema.body.properties.method.enum).toEqual([
      ...VERIFICATION_METHODS,
      null,
    ]);
  });
});

describe.each(DATABASE_KINDS)("the database's constraints on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.close());

  it('allow exactly the methods of the table', async () => {
    expect(await allowedByCheck(server, 'message_locks', 'method')).toEqual(
      [...SERVER_LOCK_METHODS].sort(),
    );
    expect(await allowedByCheck(server, 'directory_entries', 'method')).toEqual(
      [...VERIFICATION_METHODS].sort(),
    );
  });
});
