import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/server/admin.ts';
import { adminIo, DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';

describe.each(DATABASE_KINDS)('organisation directory on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  const folder = mkdtempSync(join(tmpdir(), 'sealpost-directory-'));

  async function signIn(address: string): Promise<string> {
    const start = await server.request('POST', '/api/v1/auth/start', { body: { address } });
    const [mail] = await server.outboxFor(address);
    const code = /is (\d{6})\./.exec(mail!.text)![1];
    const complete = await server.request('POST', '/api/v1/auth/complete', {
      body: { challengeId: start.body.challengeId, code, deviceName: 'test' },
    });
    return complete.body.token;
  }

  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signIn('alice@example.org');
    bob = await signIn('bob@example.org');
  });
  afterAll(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('is shared: one sender sets an entry, a colleague reads it, and the audit says who changed what when', async () => {
    const put = await server.request('PUT', '/api/v1/directory/Partner@Client.example', {
      token: alice,
      body: { method: 'sms', phone: '+49 151 23456789', language: 'de' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      address: 'partner@client.example',
      method: 'sms',
      phone: '+4915123456789',
      orgCode: null,
      language: 'de',
      updatedAt: '2026-03-01T09:00:00.000Z',
      updatedBy: 'alice@example.org',
    });

    server.clock.advanceSeconds(3600);
    const change = await server.request('PUT', '/api/v1/directory/partner@client.example', {
      token: bob,
      body: { method: 'org-code', orgCode: 'Harbour-Lantern-42', phone: null, language: 'de' },
    });
    expect(change.body).toMatchObject({
      method: 'org-code',
      orgCode: 'Harbour-Lantern-42',
      phone: null,
      updatedBy: 'bob@example.org',
    });

    const read = await server.request(
      'GET',
      '/api/v1/directory?address=PARTNER@client.example&address=nobody@client.example',
      { token: alice },
    );
    expect(read.status).toBe(200);
    expect(read.body.entries).toHaveLength(1);
    expect(read.body.entries[0]).toMatchObject({
      address: 'partner@client.example',
      orgCode: 'Harbour-Lantern-42',
    });

    const audit = await server.request('GET', '/api/v1/directory/partner@client.example/audit', {
      token: bob,
    });
    expect(audit.status).toBe(200);
    expect(audit.body.changes).toEqual([
      {
        at: '2026-03-01T09:00:00.000Z',
        by: 'alice@example.org',
        field: 'method',
        from: null,
        to: 'sms',
      },
      {
        at: '2026-03-01T09:00:00.000Z',
        by: 'alice@example.org',
        field: 'phone',
        from: null,
        to: '+4915123456789',
      },
      {
        at: '2026-03-01T09:00:00.000Z',
        by: 'alice@example.org',
        field: 'language',
        from: null,
        to: 'de',
      },
      {
        at: '2026-03-01T10:00:00.000Z',
        by: 'bob@example.org',
        field: 'method',
        from: 'sms',
        to: 'org-code',
      },
      {
        at: '2026-03-01T10:00:00.000Z',
        by: 'bob@example.org',
        field: 'phone',
        from: '+4915123456789',
        to: null,
      },
      {
        at: '2026-03-01T10:00:00.000Z',
        by: 'bob@example.org',
        field: 'orgCode',
        from: null,
        to: 'Harbour-Lantern-42',
      },
    ]);
  });

  it('lists every entry in pages', async () => {
    await server.request('PUT', '/api/v1/directory/a@client.example', {
      token: alice,
      body: { method: 'email' },
    });
    const first = await server.request('GET', '/api/v1/directory?limit=1', { token: alice });
    expect(first.body.entries.map((entry: { address: string }) => entry.address)).toEqual([
      'a@client.example',
    ]);
    const next = await server.request('GET', '/api/v1/directory?limit=5&after=a@client.example', {
      token: alice,
    });
    expect(next.body.entries.map((entry: { address: string }) => entry.address)).toEqual([
      'partner@client.example',
    ]);
  });

  it('needs a device token', async () => {
    expect((await server.request('GET', '/api/v1/directory')).status).toBe(401);
    const put = await server.request('PUT', '/api/v1/directory/x@client.example', {
      body: { method: 'sms' },
    });
    expect(put.status).toBe(401);
    expect(put.body.error.code).toBe('unauthorized');
  });

  it('refuses invalid values with clean JSON errors and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ phone: '12345' }, 'phone'],
      [{ phone: '+49 30 1' }, 'phone'],
      [{ language: 'xx' }, 'language'],
      [{ method: 'carrier-pigeon' }, 'method'],
      [{ colour: 'blue' }, 'additional'],
      [{}, 'fewer than 1'],
      [{ orgCode: '   ' }, 'orgCode'],
    ];
    for (const [body, mentions] of cases) {
      const response = await server.request('PUT', '/api/v1/directory/y@client.example', {
        token: alice,
        body,
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('bad-request');
      expect(response.body.error.message).toContain(mentions);
    }
    const badAddress = await server.request('PUT', '/api/v1/directory/not-an-address', {
      token: alice,
      body: { method: 'sms' },
    });
    expect(badAddress.status).toBe(400);
    const malformed = await server.request('PUT', '/api/v1/directory/y@client.example', {
      token: alice,
      body: '{"method":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('bad-request');
    const read = await server.request('GET', '/api/v1/directory?address=y@client.example', {
      token: alice,
    });
    expect(read.body.entries).toEqual([]);
  });

  it('refuses oversized bodies with 413 payload-too-large', async () => {
    const response = await server.request('PUT', '/api/v1/directory/z@client.example', {
      token: alice,
      body: { orgCode: 'x'.repeat(server.config.limits.bodyBytes + 10) },
    });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      error: { code: 'payload-too-large', message: expect.any(String) },
    });
  });

  it('round-trips through CSV export and import in the admin CLI, audited as the admin', async () => {
    const { lines, io } = adminIo(server);
    const exported = join(folder, 'export.csv');
    expect(await runAdminCommand(['directory', 'export', exported], io)).toBe(0);
    const csv = readFileSync(exported, 'utf8');
    expect(csv.split('\n')[0]).toBe('address,method,phone,orgCode,language,updatedAt,updatedBy');
    expect(csv).toContain(
      'partner@client.example,org-code,,Harbour-Lantern-42,de,2026-03-01T10:00:00.000Z,bob@example.org',
    );

    // Edit as a spreadsheet would: a new row with quoting, a changed row; import it back.
    const edited = join(folder, 'edited.csv');
    writeFileSync(
      edited,
      '\ufeffaddress,method,phone,orgCode,language\n' +
        'partner@client.example,org-code,,"Harbour, Lantern ""42""",de\n' +
        'new@client.example,sms,+31 6 12345678,,nl\n',
    );
    server.clock.advanceSeconds(60);
    expect(await runAdminCommand(['directory', 'import', edited, '--by', 'admin carol'], io)).toBe(
      0,
    );
    expect(lines.at(-1)).toBe('imported 2 rows (2 changed) as "admin carol"');

    const read = await server.request(
      'GET',
      '/api/v1/directory?address=partner@client.example&address=new@client.example',
      { token: alice },
    );
    expect(read.body.entries).toEqual([
      expect.objectContaining({
        address: 'new@client.example',
        method: 'sms',
        phone: '+31612345678',
        language: 'nl',
        updatedBy: 'admin carol',
      }),
      expect.objectContaining({
        address: 'partner@client.example',
        orgCode: 'Harbour, Lantern "42"',
        updatedBy: 'admin carol',
      }),
    ]);
    const audit = await server.request('GET', '/api/v1/directory/partner@client.example/audit', {
      token: alice,
    });
    expect(audit.body.changes.at(-1)).toMatchObject({
      by: 'admin carol',
      field: 'orgCode',
      from: 'Harbour-Lantern-42',
      to: 'Harbour, Lantern "42"',
    });

    // Export again: what was imported comes back out identically.
    const again = join(folder, 'again.csv');
    expect(await runAdminCommand(['directory', 'export', again], io)).toBe(0);
    expect(readFileSync(again, 'utf8')).toContain(
      'partner@client.example,org-code,,"Harbour, Lantern ""42""",de',
    );
  });

  it('imports nothing when any row is invalid, and names the lines', async () => {
    const { lines, io } = adminIo(server);
    const bad = join(folder, 'bad.csv');
    writeFileSync(
      bad,
      'address,method,phone\ngood@client.example,email,\nbad@client.example,sms,0049-nonsense\n',
    );
    expect(await runAdminCommand(['directory', 'import', bad], io)).toBe(1);
    expect(lines).toContain(
      'line 3: phone: not a valid phone number in international form (+country code …)',
    );
    const read = await server.request('GET', '/api/v1/directory?address=good@client.example', {
      token: alice,
    });
    expect(read.body.entries).toEqual([]);
  });

  it('names every problem of every line (line, column, why) and imports nothing', async () => {
    const { lines, io } = adminIo(server);
    const bad = join(folder, 'many-problems.csv');
    writeFileSync(
      bad,
      'address,method,phone,language\n' +
        'fine@client.example,email,,\n' +
        '\n' +
        'not-an-address,sms,0049-nonsense,xx\n' +
        '"fine@client.example",sms,"+49 151\n23456789",de\n' +
        'short@client.example,sms\n' +
        'other@client.example,carrier-pigeon,,en\n',
    );
    expect(await runAdminCommand(['directory', 'import', bad], io)).toBe(1);
    expect(lines).toEqual([
      'line 4: address: "not-an-address" is not an email address',
      'line 4: phone: not a valid phone number in international form (+country code …)',
      'line 4: language: "xx" is not a notification language',
      'line 5: address: fine@client.example appears twice (first on line 2)',
      'line 5: phone: not a valid phone number in international form (+country code …)',
      'line 7: expected 4 cells (as in the header), got 2',
      'line 8: method: expected one of account, sms, org-code, code, email',
      'nothing was imported: 7 problems; correct them and import the whole file again',
    ]);
    const read = await server.request(
      'GET',
      '/api/v1/directory?address=fine@client.example&address=other@client.example',
      { token: alice },
    );
    expect(read.body.entries).toEqual([]);
  });

  it('checks the header even without rows, and counts one row as one row', async () => {
    const { lines, io } = adminIo(server);
    const header = join(folder, 'header-only.csv');
    writeFileSync(header, 'adress,methode\n');
    expect(await runAdminCommand(['directory', 'import', header], io)).toBe(1);
    expect(lines.slice(0, 2)).toEqual([
      'header: no "address" column',
      'header: unknown columns: adress, methode (known: address, method, phone, orgCode, language)',
    ]);
    const one = join(folder, 'one.csv');
    writeFileSync(one, 'address,method\nsingle@client.example,email\n');
    expect(await runAdminCommand(['directory', 'import', one, '--by', 'carol'], io)).toBe(0);
    expect(lines.at(-1)).toBe('imported 1 row (1 changed) as "carol"');
  });

  it('says in one line what is wrong with a command: a missing file, an unknown option, a stray word', async () => {
    const { lines, io } = adminIo(server);
    const missing = join(folder, 'no-such-file.csv');
    expect(await runAdminCommand(['directory', 'import', missing], io)).toBe(1);
    expect(lines).toEqual([`${missing}: no such file (or its folder does not exist)`]);
    lines.length = 0;
    expect(await runAdminCommand(['directory', 'import', folder], io)).toBe(1);
    expect(lines).toEqual([`${folder}: this is a folder, give a file`]);
    lines.length = 0;
    expect(await runAdminCommand(['tokens', 'list', '--by'], io)).toBe(2);
    expect(lines[0]).toBe('--by needs a value');
    expect(lines[1]).toMatch(/^usage: npm run server:admin -- \(--config <file\.json> \| --dev\)/);
    lines.length = 0;
    expect(await runAdminCommand(['tokens', 'list', '--adress', 'a@example.org'], io)).toBe(2);
    expect(lines[0]).toBe('unexpected argument: --adress');
  });

  it('logs no phone numbers, access codes or tokens', () => {
    const log = server.logText();
    expect(log).toContain('/api/v1/directory');
    for (const secret of ['4915123456789', 'Harbour-Lantern-42', alice, bob])
      expect(log).not.toContain(secret);
  });
});
