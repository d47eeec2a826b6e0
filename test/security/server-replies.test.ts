/**
 * Attack: replies through the server, abused or read.
 * - A reply token of one message is tried on another: refused (a token is bound to its message
 *   and lock), however many recipients the two share.
 * - A token is kept after the message was revoked or expired: refused, and the server deletes
 *   the token rows (at revocation; for expiry, housekeeping: test/server/housekeeping.test.ts),
 *   so a later copy of the database holds no token, not even its hash.
 * - The server (or whoever reads its mail and database) wants the reply's content: the reply is
 *   encrypted in the recipient's browser to the sender's key, so neither the mail nor the
 *   database holds its plaintext, and the database keeps no payload after mailing.
 * Positive controls show each search looks where the secret would be.
 */
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { sql } from 'kysely';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractEnvelopeJson, parseEnvelope } from '../../src/core/envelopeCodec.ts';
import type { RegisterLock } from '../../src/core/serverApi.ts';
import { sha256Hex } from '../../src/server/secrets.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../server/harness.ts';
import {
  ensureReaderBuild,
  lock,
  READER_BUILD_TIMEOUT_MS,
  recipientFlow,
  registration,
  signedInSender,
} from '../server/messages-fixtures.ts';
import { inlineEnvelope } from '../helpers/inlineEnvelope.ts';

const PLAINTEXT = 'Re: merger terms — we accept draft 7, signed copy follows. Ref ZX-5521-QP.';
const BOB_CODE = 'K7QM-X2PA-9FHT';

/** Every value of every row of every table in the public schema, as text (bytes both ways). */
async function dumpDatabase(server: TestServer): Promise<{ table: string; text: string }[]> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(
    server.db,
  );
  const values: { table: string; text: string }[] = [];
  for (const { table_name: table } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      server.db,
    );
    for (const row of rows.rows) {
      for (const value of Object.values(row)) {
        if (value instanceof Uint8Array) {
          const bytes = Buffer.from(value);
          values.push({ table, text: `${bytes.toString('utf8')}\n${bytes.toString('latin1')}` });
        } else if (value instanceof Date) {
          values.push({ table, text: value.toISOString() });
        } else if (value !== null) {
          values.push({ table, text: String(value) });
        }
      }
    }
  }
  return values;
}

describe.each(DATABASE_KINDS)('replies under attack on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  beforeAll(async () => {
    ensureReaderBuild();
    server = await startTestServer(kind);
    alice = await signedInSender(server, 'alice@example.org');
  }, READER_BUILD_TIMEOUT_MS);
  afterAll(() => server.close());

  async function sealedToBob(extra: Parameters<typeof registration>[1] = {}) {
    const bob: RegisterLock = lock({
      method: 'code',
      address: 'bob@partner.example',
      accessCode: BOB_CODE,
    });
    const body = registration([bob], extra);
    expect((await server.request('POST', '/api/v1/messages', { body, token: alice })).status).toBe(
      201,
    );
    const flow = recipientFlow(server, body.messageId, [bob]);
    const opened = await flow.complete(bob.lockId, BOB_CODE);
    expect(opened.status).toBe(200);
    return { messageId: body.messageId, base: flow.base, token: opened.body.replyToken as string };
  }

  const reply = (replyToken: string, payload = randomBytes(500).toString('base64')) => ({
    replyToken,
    payload,
    keyFingerprint: 'A'.repeat(40),
  });
  const postReply = (base: string, body: unknown) =>
    server.request('POST', `${base}/replies`, { body });
  const tokenRows = (messageId: string) =>
    server.db.selectFrom('reply_tokens').selectAll().where('message_id', '=', messageId).execute();

  it('refuses a token of one message on another, though Bob is a recipient of both', async () => {
    const first = await sealedToBob();
    const second = await sealedToBob();
    const crossed = await postReply(second.base, reply(first.token));
    expect(crossed.status).toBe(403);
    expect(crossed.body.error.code).toBe('forbidden');
    // Control: each token works where it belongs.
    expect((await postReply(first.base, reply(first.token))).status).toBe(201);
    expect((await postReply(second.base, reply(second.token))).status).toBe(201);
  });

  it('refuses a kept token after revocation, and the dump holds neither the token nor its hash', async () => {
    const message = await sealedToBob();
    const digest = sha256Hex(message.token);
    // Control: while the message is active the digest is in the dump, where the search looks.
    expect((await dumpDatabase(server)).some((value) => value.text.includes(digest))).toBe(true);

    const revoked = await server.request('POST', `${message.base}/revoke`, { token: alice });
    expect(revoked.status).toBe(200);
    const refused = await postReply(message.base, reply(message.token));
    expect(refused.status).toBe(410);
    expect(refused.body.error.code).toBe('revoked');
    expect(await tokenRows(message.messageId)).toEqual([]);
    const dump = await dumpDatabase(server);
    expect(dump.some((value) => value.text.includes(digest))).toBe(false);
    expect(dump.some((value) => value.text.includes(message.token))).toBe(false);
  });

  it('refuses a kept token after expiry (housekeeping then deletes it: test/server/housekeeping.test.ts)', async () => {
    const message = await sealedToBob({ expiresInDays: 1 });
    server.clock.advanceSeconds(86_400);
    const refused = await postReply(message.base, reply(message.token));
    expect(refused.status).toBe(410);
    expect(refused.body.error.code).toBe('expired');
  });

  it('neither the reply mail nor the database holds the plaintext; the database keeps no payload', async () => {
    const { privateKey, publicKey } = await openpgp.generateKey({
      type: 'curve25519',
      userIDs: [{ email: 'alice@example.org' }],
      format: 'armored',
    });
    const senderKey = await openpgp.readKey({ armoredKey: publicKey });
    const sealed = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: PLAINTEXT }),
      encryptionKeys: senderKey,
      format: 'binary',
    });
    const payload = Buffer.from(sealed).toString('base64');
    const message = await sealedToBob();
    const sent = await postReply(message.base, {
      replyToken: message.token,
      payload,
      keyFingerprint: senderKey.getFingerprint().toUpperCase(),
    });
    expect(sent.status).toBe(201);

    // The mail as SMTP would carry it, and every part of it decoded.
    const [row] = await server.outboxFor('alice@example.org');
    const raw = row?.text ?? '';
    const mail = await simpleParser(raw);
    const attachment = mail.attachments[0]!.content.toString('utf8');
    const parsed = parseEnvelope(extractEnvelopeJson(attachment) ?? '');
    if (!parsed.ok) throw new Error('the reply envelope does not parse');
    const sealedBytes = Buffer.from(inlineEnvelope(parsed.envelope).payload, 'base64');
    const mailTexts = [
      raw,
      mail.text ?? '',
      mail.subject ?? '',
      attachment,
      sealedBytes.toString('utf8'),
      sealedBytes.toString('latin1'),
    ];
    for (const text of mailTexts) {
      expect(text).not.toContain(PLAINTEXT);
      expect(text).not.toContain('ZX-5521-QP');
    }
    // Controls: the search sees the attachment (the ciphertext is there, as posted), and the
    // sender's key opens it to the plaintext.
    expect(attachment).toContain(payload);
    const opened = await openpgp.decrypt({
      message: await openpgp.readMessage({ binaryMessage: new Uint8Array(sealedBytes) }),
      decryptionKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }),
    });
    expect(opened.data).toBe(PLAINTEXT);

    // The database: no plaintext anywhere (the development outbox holds the mail, searched
    // decoded above), and no ciphertext outside it: a reply is a row of ids, size and time.
    const dump = await dumpDatabase(server);
    expect(dump.some((value) => value.text.includes('ZX-5521-QP'))).toBe(false);
    const own = dump.filter((value) => value.table !== 'outbox');
    const slice = payload.slice(40, 120);
    expect(own.some((value) => value.text.includes(slice))).toBe(false);
    expect(
      own.some((value) => value.text.includes(sealedBytes.toString('latin1').slice(40, 120))),
    ).toBe(false);
    // Control: the dump reaches the replies' table.
    expect(
      own.some((value) => value.table === 'message_replies' && value.text === sent.body.replyId),
    ).toBe(true);
    // The log names neither the token nor the payload.
    expect(server.logText()).not.toContain(message.token);
    expect(server.logText()).not.toContain(slice);
  });
});
