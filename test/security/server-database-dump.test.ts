/**
 * Attack: someone has a full dump of the server's database (every row of every table), and
 * perhaps the notification mail too, and wants the content of a message.
 * - The dump alone: the mail share travels only in the mail and the link's #fragment, so no lock
 *   opens; the code verifiers are keyed with the server's secret (kept outside the database), so
 *   guesses cannot be tested against them; organisation codes are encrypted.
 * - The dump plus the mail, while the message is active: an sms or email lock opens (the server
 *   share is in the dump). That is the documented limit (docs/server.md).
 * - The dump plus the mail after revocation or expiry: nothing opens, the shares are erased.
 * Positive controls show each attempt succeeds where it should, so the test would notice if the
 * server ever stored the mail share, or stopped erasing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveLockPassword } from '../../src/core/serverLock.ts';
import { openWithPassword } from '../../src/crypto/index.ts';
import type { RegisterLock } from '../../src/core/serverApi.ts';
import { eraseLockSecrets } from '../../src/server/messages/registration.ts';
import { verifierMatches } from '../../src/server/serverSecret.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../server/harness.ts';
import {
  latestCode,
  lock,
  recipientFlow,
  SERVER_START_TIMEOUT_MS,
  signedInSender,
} from '../server/messages-fixtures.ts';
import {
  asBytes,
  dumpDatabase,
  registerSealed,
  secretText,
  type SealedMessage,
} from './databaseDump.ts';
import { payloadRow, registerForUpload, tusUpload } from '../server/uploads-fixtures.ts';

/**
 * Whether any value of the dump holds a piece of `payload`: 64 bytes from its middle, as bytes,
 * hex or base64 (whatever encoding a column might keep it in).
 */
function dumpHoldsBytesOf(
  dump: { table: string; column: string; value: unknown }[],
  payload: Uint8Array,
): boolean {
  const middle = Buffer.from(payload).subarray(
    Math.floor(payload.length / 2),
    Math.floor(payload.length / 2) + 64,
  );
  return dump.some(({ value }) => {
    if (value instanceof Uint8Array) return Buffer.from(value).includes(middle);
    if (typeof value !== 'string') return false;
    const bytes = asBytes(value);
    return bytes !== null && Buffer.from(bytes).includes(middle);
  });
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
    const sealed = await registerSealed(server, token, locks);
    const body = { messageId: sealed.messageId };
    const mailShare = sealed.mailShare;
    // Bob opens it for real, so the dump also holds a used lock and the outbox.
    const bob = recipientFlow(server, body.messageId, locks);
    expect((await bob.start('bob@partner.example')).status).toBe(200);
    const released = await bob.complete(
      locks[0]!.lockId,
      await latestCode(server, '+4915123456789'),
    );
    expect(released.status).toBe(200);
    const bobsHandle = await bob.handleFor(locks[0]!.lockId);

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
    // Verification handles are kept only as digests: the dump holds none that works.
    expect(dumpText).not.toContain(bobsHandle);
    expect(dumpText).not.toContain(Buffer.from(bobsHandle, 'base64url').toString('hex'));
    expect(dump.some((entry) => entry.table === 'verification_handles')).toBe(true);

    // The dump holds no payload bytes (they live in the payload store): the attacker takes the
    // hosted payload from its public URL, and tries every 32-byte value in the dump as the
    // missing mail share, with the server share of each sms and email lock (the code locks
    // would need their access code on top, which the dump does not hold either).
    expect(dumpHoldsBytesOf(dump, sealed.payload)).toBe(false);
    const hosted = (await server.download(`/api/v1/messages/${body.messageId}/payload`)).bytes;
    expect(hosted.equals(Buffer.from(sealed.payload))).toBe(true);
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
      const serverShare = Buffer.from(row.server_share!).toString('base64');
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
      serverShare: Buffer.from(bobRow.server_share!).toString('base64'),
    });
    const opened = control.ok
      ? await openWithPassword({ payload: hosted as Uint8Array, password: control.password })
      : null;
    expect(opened?.ok && new TextDecoder().decode(opened.plaintext)).toBe(secretText);

    // The dump's access-code verifiers cannot be tested without the server's secret: the old
    // attack (HMAC under the row's own salt, ~10⁵ guesses/s) finds nothing even for the right
    // code; with the secret (which is not in the dump) the same check does match (control).
    const codeRow = await server.db
      .selectFrom('message_locks')
      .select(['access_code_salt', 'access_code_digest'])
      .where('lock_id', '=', locks[2]!.lockId)
      .executeTakeFirstOrThrow();
    const unkeyed = createHmac('sha256', codeRow.access_code_salt!).update('DAN4242').digest();
    expect(unkeyed.equals(Buffer.from(codeRow.access_code_digest!))).toBe(false);
    const stored = { salt: codeRow.access_code_salt!, digest: codeRow.access_code_digest! };
    expect(verifierMatches(server.secret, stored, 'DAN4242')).toBe(true);
  }, 180_000);

  it('holds no bytes of a payload delivered by link (uploaded with tus), only its key and length', async () => {
    const token = await signedInSender(server, 'erin@example.org');
    const bytes = randomBytes(300_000);
    const { messageId } = await registerForUpload(server, token, bytes.length);
    await tusUpload(server, token, messageId, bytes, { chunkSize: 100_000 });
    expect(
      (await server.download(`/api/v1/messages/${messageId}/payload`)).bytes.equals(bytes),
    ).toBe(true);
    const dump = await dumpDatabase(server);
    expect(dumpHoldsBytesOf(dump, bytes)).toBe(false);
    // What the dump does say: that the message has a payload, where, and how long it is.
    const row = await payloadRow(server, messageId);
    expect(Number(row!.byte_length)).toBe(bytes.length);
    expect(row!.payload).toBeNull();
    // Control: the check finds a payload's bytes where they are (the store).
    const key = (await payloadRow(server, messageId))!.store_key!;
    const stored = await server.payloads.read(key);
    const chunks: Buffer[] = [];
    for await (const chunk of stored!) chunks.push(chunk as Buffer);
    expect(
      dumpHoldsBytesOf([{ table: 'store', column: key, value: Buffer.concat(chunks) }], bytes),
    ).toBe(true);
  }, 180_000);

  it('opens nothing with the dump plus the mail once the message is revoked', async () => {
    const sealed = await sealedMessage(server);
    const revoked = await server.request('POST', `/api/v1/messages/${sealed.messageId}/revoke`, {
      body: {},
      token: sealed.token,
    });
    expect(revoked.status).toBe(200);
    await expectNothingOpens(server, sealed);
  }, 180_000);

  it('opens nothing with the dump plus the mail once the message expired and housekeeping ran', async () => {
    const sealed = await sealedMessage(server, { expiresInDays: 1 });
    server.clock.advanceSeconds(2 * 24 * 3600);
    // Housekeeping as the schedule runs it (the schedule itself: test/server/housekeeping.test.ts).
    await eraseLockSecrets(server.db, { endedBy: server.clock.now() });
    await expectNothingOpens(server, sealed);
  }, 180_000);

  it('keeps organisation-wide codes encrypted: the dump does not show them, colleagues do', async () => {
    const token = await signedInSender(server);
    const address = 'frank@client.example';
    const saved = await server.request('PUT', `/api/v1/directory/${address}`, {
      body: { method: 'org-code', orgCode: 'Violet Lantern 77' },
      token,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.orgCode).toBe('Violet Lantern 77');
    const dumpText = JSON.stringify(await dumpDatabase(server));
    expect(dumpText).not.toMatch(/violet\s*lantern/i);
    const colleague = await signedInSender(server, 'grace@example.org');
    const seen = await server.request('GET', `/api/v1/directory?address=${address}`, {
      token: colleague,
    });
    expect(seen.body.entries[0].orgCode).toBe('Violet Lantern 77');
  });
});

/** Registers a message with sms, email and code locks and a hosted payload; returns the mail's half. */
async function sealedMessage(
  server: TestServer,
  extra: { expiresInDays?: number } = {},
): Promise<SealedMessage> {
  const token = await signedInSender(server);
  return registerSealed(
    server,
    token,
    [
      lock({ method: 'sms', address: 'bob@partner.example', phone: '+4915123456789' }),
      lock({ method: 'email', address: 'carol@partner.example', hidden: true }),
      lock({ method: 'code', address: 'dan@partner.example', accessCode: 'DAN-4242' }),
    ],
    extra,
  );
}

/**
 * The attacker holds the mail (its payload and mail share, the access code even) and a dump
 * taken now: every lock row of the message has lost its share and verifiers, and no 32-byte
 * value anywhere in the dump, used as a server share, opens the payload with the mail's share.
 */
async function expectNothingOpens(server: TestServer, sealed: SealedMessage): Promise<void> {
  const rows = await server.db
    .selectFrom('message_locks')
    .select(['server_share', 'access_code_digest', 'code_digest', 'opened_at'])
    .where('message_id', '=', sealed.messageId)
    .execute();
  expect(rows).toHaveLength(sealed.locks.length);
  for (const row of rows) {
    expect(row.server_share).toBeNull();
    expect(row.access_code_digest).toBeNull();
    expect(row.code_digest).toBeNull();
  }
  const candidates = new Set<string>();
  for (const entry of await dumpDatabase(server)) {
    const bytes = asBytes(entry.value);
    if (bytes?.length === 32) candidates.add(Buffer.from(bytes).toString('base64'));
  }
  for (const sealedLock of sealed.locks) {
    for (const serverShare of candidates) {
      const derived = await deriveLockPassword({
        messageId: sealed.messageId,
        lockId: sealedLock.lockId,
        mailShare: sealed.mailShare,
        serverShare,
        ...(sealedLock.accessCode ? { accessCode: sealedLock.accessCode } : {}),
      });
      if (!derived.ok) continue;
      const opened = await openWithPassword({
        payload: sealed.payload,
        password: derived.password,
      });
      expect(opened.ok).toBe(false);
    }
  }
  // And the server refuses the recipient, as it does for any ended message.
  const started = await server.request(
    'POST',
    `/api/v1/messages/${sealed.messageId}/verify/start`,
    {
      body: { address: 'bob@partner.example' },
    },
  );
  expect(started.status).toBeGreaterThanOrEqual(400);
}
