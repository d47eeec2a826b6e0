/**
 * Attacks on the key routes and the Web Key Directory:
 * - a signed-in sender publishes a key for a colleague's address (or one that names the colleague
 *   beside themselves), so that mail meant for the colleague is sealed to the attacker's key;
 * - a sender pastes their private key, which must then not be kept anywhere, not even refused
 *   into a log or a table;
 * - a stranger without a device token uploads or collects keys;
 * - anyone walks the Web Key Directory to list the organisation's addresses.
 */
import * as openpgp from 'openpgp';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wkdHash } from '../../src/core/wkd.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../server/harness.ts';
import { getBytes, v4Key, v6Key, type TestKey } from '../server/keys-fixtures.ts';
import { SERVER_START_TIMEOUT_MS, signedInSender } from '../server/messages-fixtures.ts';

/** Every value of every row of every table in the public schema, as text. */
async function dumpText(server: TestServer): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
    server.db,
  );
  const values: unknown[] = [];
  for (const { table_name: table } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      server.db,
    );
    for (const row of rows.rows) {
      for (const value of Object.values(row)) {
        values.push(value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value);
      }
    }
  }
  return JSON.stringify(values);
}

/** The lines of base64 in an armored block (each a piece of the key's packets). */
function base64Lines(armored: string): string[] {
  return armored.split('\n').filter((line) => /^[A-Za-z0-9+/]{40,}={0,2}$/.test(line));
}

describe.each(DATABASE_KINDS)('attacks on senders’ public keys on %s', (kind) => {
  let server: TestServer;
  let mallory: string;
  let bobsWkdPath: string;

  const stored = async () =>
    server.db.selectFrom('public_keys').select(['address', 'fingerprint']).execute();

  beforeAll(async () => {
    server = await startTestServer(kind);
    mallory = await signedInSender(server, 'mallory@example.org');
    bobsWkdPath = `/.well-known/openpgpkey/example.org/hu/${await wkdHash('bob')}`;
  }, SERVER_START_TIMEOUT_MS);
  afterAll(() => server.close());

  it('attack: a sender uploads a key with only a colleague’s address → refused, nothing stored', async () => {
    for (const forged of [await v4Key('bob@example.org'), await v6Key('BOB@example.org')]) {
      const answer = await server.request('PUT', '/api/v1/me/key', {
        token: mallory,
        body: { publicKey: forged.publicKey },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(
        /no user ID with your address mallory@example\.org/,
      );
    }
    expect(await stored()).toEqual([]);
    const lookup = await server.request(
      'GET',
      '/api/v1/keys?address=bob@example.org&address=mallory@example.org',
      { token: mallory },
    );
    expect(lookup.body.keys).toEqual([]);
    expect((await getBytes(server, bobsWkdPath)).status).toBe(404);
  });

  it('attack: a key naming the colleague beside the sender is kept for the sender’s address only', async () => {
    const both: TestKey = await v6Key('mallory@example.org', 'bob@example.org');
    const answer = await server.request('PUT', '/api/v1/me/key', {
      token: mallory,
      body: { publicKey: both.publicKey },
    });
    expect(answer.status).toBe(200);
    expect(await stored()).toEqual([
      { address: 'mallory@example.org', fingerprint: both.fingerprint },
    ]);
    const lookup = await server.request('GET', '/api/v1/keys?address=bob@example.org', {
      token: mallory,
    });
    expect(lookup.body.keys).toEqual([]);
    expect((await getBytes(server, bobsWkdPath)).status).toBe(404);
    // What the server passes on names only the sender: not the colleague's address.
    const own = await server.request('GET', '/api/v1/keys?address=mallory@example.org', {
      token: mallory,
    });
    const passedOn = await openpgp.readKey({ armoredKey: own.body.keys[0].publicKey });
    expect(passedOn.getUserIDs().join()).not.toContain('bob@example.org');
    await server.request('DELETE', '/api/v1/me/key', { token: mallory });
  });

  it('attack: a sender pastes their private key → refused, and it is nowhere in the database or the log', async () => {
    const own = await v4Key('mallory@example.org');
    const ownV6 = await v6Key('mallory@example.org');
    for (const privateKey of [own.privateKey, ownV6.privateKey]) {
      const answer = await server.request('PUT', '/api/v1/me/key', {
        token: mallory,
        body: { publicKey: privateKey },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(/private key/);
    }
    expect(await stored()).toEqual([]);

    const dump = await dumpText(server);
    const log = server.logText();
    for (const privateKey of [own.privateKey, ownV6.privateKey]) {
      const lines = base64Lines(privateKey);
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) {
        expect(dump).not.toContain(line);
        expect(log).not.toContain(line);
      }
    }
    expect(dump).not.toContain('PRIVATE KEY BLOCK');
    expect(log).not.toContain('PRIVATE KEY BLOCK');
    // Control: a published public key is found in the dump this way, so the search would see it.
    await server.request('PUT', '/api/v1/me/key', {
      token: mallory,
      body: { publicKey: own.publicKey },
    });
    expect(await dumpText(server)).toContain(base64Lines(own.publicKey)[1]);
    await server.request('DELETE', '/api/v1/me/key', { token: mallory });
  });

  it('attack: a stranger without a device token can neither publish, withdraw nor look up keys', async () => {
    const key = await v4Key('mallory@example.org');
    for (const token of [undefined, 'A'.repeat(43)]) {
      const options = token === undefined ? {} : { token };
      const put = await server.request('PUT', '/api/v1/me/key', {
        ...options,
        body: { publicKey: key.publicKey },
      });
      const remove = await server.request('DELETE', '/api/v1/me/key', options);
      const lookup = await server.request('GET', '/api/v1/keys?address=bob@example.org', options);
      for (const answer of [put, remove, lookup]) {
        expect(answer.status).toBe(401);
        expect(answer.body.error.code).toBe('unauthorized');
        // Sender routes answer no other origin.
        expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      }
    }
    expect(await stored()).toEqual([]);
  });

  it('attack: the Web Key Directory lists nothing: only an exact hash finds a key', async () => {
    const key = await v4Key('mallory@example.org');
    await server.request('PUT', '/api/v1/me/key', {
      token: mallory,
      body: { publicKey: key.publicKey },
    });
    const hash = await wkdHash('mallory');
    const exact = `/.well-known/openpgpkey/example.org/hu/${hash}`;
    expect((await getBytes(server, exact)).status).toBe(200);

    const probes = [
      '/.well-known/openpgpkey/',
      '/.well-known/openpgpkey/example.org/',
      '/.well-known/openpgpkey/example.org/hu',
      '/.well-known/openpgpkey/example.org/hu/',
      '/.well-known/openpgpkey/hu/',
      `/.well-known/openpgpkey/example.org/hu/${hash.slice(0, 31)}`,
      `/.well-known/openpgpkey/example.org/hu/${hash.slice(0, 31)}%25`,
      `/.well-known/openpgpkey/example.org/hu/${hash.slice(0, 31)}_`,
      `/.well-known/openpgpkey/example.org/hu/%25`,
      `/.well-known/openpgpkey/example.org/hu/${hash.toUpperCase()}`,
      `/.well-known/openpgpkey/example.org/hu/${hash}x`,
      // `?l=` names the address, but the server trusts only the hash.
      `/.well-known/openpgpkey/example.org/hu/${await wkdHash('nobody')}?l=mallory`,
      `/.well-known/openpgpkey/example.org/hu/*`,
      `/.well-known/openpgpkey/%25/hu/${hash}`,
    ];
    for (const probe of probes) {
      const answer = await getBytes(server, probe);
      expect(answer.status, probe).toBe(404);
      expect(Buffer.from(answer.body).toString('utf8'), probe).not.toContain('mallory');
    }
    await server.request('DELETE', '/api/v1/me/key', { token: mallory });
  });
});
