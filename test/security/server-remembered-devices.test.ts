/**
 * Attack: remembered browsers abused.
 * - A stranger with the message link tries device ids and secrets at `verify/device`: each is
 *   refused and counted with the unknown addresses of `verify/start`, then every try is 429.
 * - Someone who read the recipient's mail (the removal link) or knows a device's id tries it
 *   with a wrong secret, or with the removal token: refused.
 * - A device of one address is used on another recipient's lock, or on an access-code lock:
 *   refused (a device never stands in for an access code, which is part of the key).
 * - A full database dump: it holds neither a device secret nor a removal token, and none of its
 *   values works as either.
 * - A device, even with the server share it releases, opens no payload without the mail share
 *   (the link's #fragment, never on the server).
 * - The removal page: no script, a strict policy, no cache, and a GET that removes nothing.
 * Positive controls show the real device and the real mail share do work.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveLockPassword } from '../../src/core/serverLock.ts';
import type { RememberedDevice } from '../../src/core/serverApi.ts';
import { openWithPassword } from '../../src/crypto/index.ts';
import { liveDevice } from '../../src/server/devices/devices.ts';
import { MAX_ADDRESS_MISSES_PER_HOUR } from '../../src/server/messages/verificationStart.ts';
import { openWith, rememberedDevice, removalLinkFor } from '../server/devices-fixtures.ts';
import { DATABASE_KINDS, postFrom, startTestServer, type TestServer } from '../server/harness.ts';
import {
  lock,
  sealedTo,
  SERVER_START_TIMEOUT_MS,
  signedInSender,
} from '../server/messages-fixtures.ts';
import { asBytes, dumpDatabase, registerSealed, secretText } from './databaseDump.ts';

const STRANGER = '127.0.0.2';

/** A 32-byte secret in every form a dump might hold it. */
function forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'base64url');
  return [secret, bytes.toString('hex'), bytes.toString('base64')];
}

describe.each(DATABASE_KINDS)('remembered browsers under attack on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { config: { rememberDevices: { enabled: true } } });
    alice = await signedInSender(server);
  }, SERVER_START_TIMEOUT_MS);
  afterAll(() => server.close());

  const emailLock = (address: string, extra = {}) => lock({ method: 'email', address, ...extra });
  const deviceFor = (address: string) => rememberedDevice(server, alice, address);

  it(`a stranger with the link is refused and counted, then shut out after ${MAX_ADDRESS_MISSES_PER_HOUR} tries; the recipient is not`, async () => {
    const bob = await deviceFor('bob@partner.example');
    const link = await removalLinkFor(server, 'bob@partner.example');
    const bobsLock = emailLock('bob@partner.example');
    const message = await sealedTo(server, alice, [bobsLock]);
    const path = `${message.base}/verify/device`;
    const guesses: { deviceId: string; secret: string }[] = [
      // The id from the removal link with made-up secrets, and with the link's own token.
      { deviceId: bob.deviceId, secret: 'A'.repeat(43) },
      { deviceId: bob.deviceId, secret: link.token },
      // Made-up ids with Bob's real secret (a secret alone names no device).
      { deviceId: 'B'.repeat(22), secret: bob.secret },
    ];
    while (guesses.length < MAX_ADDRESS_MISSES_PER_HOUR) {
      guesses.push({
        deviceId: crypto.randomUUID().slice(0, 22),
        secret: `${guesses.length}`.padEnd(43, 'x'),
      });
    }
    for (const guess of guesses) {
      const answer = await postFrom(server, STRANGER, path, guess);
      expect(answer.status).toBe(403);
      expect(answer.body.error?.code).toBe('forbidden');
      expect(answer.body).not.toHaveProperty('serverShare');
    }
    const shut = await postFrom(server, STRANGER, path, guesses[0]);
    expect(shut.status).toBe(429);
    expect(shut.body.error?.code).toBe('rate-limited');
    // From then on even a real device is refused from there until the hour is over.
    const real = { deviceId: bob.deviceId, secret: bob.secret };
    expect((await postFrom(server, STRANGER, path, real)).status).toBe(429);
    // The same counter guards verify/start: the stranger cannot switch to guessing addresses.
    const start = await postFrom(server, STRANGER, `${message.base}/verify/start`, {
      address: 'bob@partner.example',
    });
    expect(start.status).toBe(429);
    // Bob, from his own browser, is not affected, and his device was never spent.
    const opened = await openWith(server, message.messageId, bob);
    expect(opened.status).toBe(200);
    expect(opened.body.serverShare).toBe(bobsLock.serverShare);
  });

  it("a device's own address only: never another recipient's lock, never an access-code lock", async () => {
    const carol = await deviceFor('carol@partner.example');
    const dan = emailLock('dan@partner.example');
    const carolsLock = emailLock('carol@partner.example', { hidden: true });
    const both = await sealedTo(server, alice, [dan, carolsLock]);
    const opened = await openWith(server, both.messageId, carol);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      lockId: carolsLock.lockId,
      serverShare: carolsLock.serverShare,
    });

    const dansOnly = await sealedTo(server, alice, [emailLock('dan@partner.example')]);
    const crossed = await openWith(server, dansOnly.messageId, carol);
    expect(crossed.status).toBe(404);
    expect(crossed.body).not.toHaveProperty('serverShare');

    const codeLocks = await sealedTo(server, alice, [
      lock({ method: 'code', address: 'carol@partner.example', accessCode: 'CAR-4444-PQ' }),
      lock({ method: 'org-code', address: 'carol@partner.example', accessCode: 'Green Quay 5' }),
    ]);
    const refused = await openWith(server, codeLocks.messageId, carol);
    expect(refused.status).toBe(404);
    expect(refused.body).not.toHaveProperty('serverShare');
    const opens = await server.db
      .selectFrom('message_locks')
      .select('opened_at')
      .where('message_id', '=', codeLocks.messageId)
      .execute();
    expect(opens.every((row) => row.opened_at === null)).toBe(true);
  });

  it('a wrong secret for a real device is refused, and the device still works for its owner', async () => {
    const erin = await deviceFor('erin@partner.example');
    const message = await sealedTo(server, alice, [emailLock('erin@partner.example')]);
    const flipped = erin.secret.slice(0, -1) + (erin.secret.endsWith('A') ? 'B' : 'A');
    const wrong = await openWith(server, message.messageId, { ...erin, secret: flipped });
    expect(wrong.status).toBe(403);
    expect((await openWith(server, message.messageId, erin)).status).toBe(200);
  });

  it('a database dump holds no device secret and no removal token, and none of its values works as either', async () => {
    const frank = await deviceFor('frank@partner.example');
    const link = await removalLinkFor(server, 'frank@partner.example');
    const message = await sealedTo(server, alice, [emailLock('frank@partner.example')]);
    expect((await openWith(server, message.messageId, frank)).status).toBe(200);

    // The development outbox (mail that SMTP would have sent) is the recipient's mailbox, not the
    // server's storage: production servers send mail and keep none.
    const dump = (await dumpDatabase(server)).filter((entry) => entry.table !== 'outbox');
    const dumpText = JSON.stringify(
      dump.map((entry) =>
        entry.value instanceof Uint8Array ? Buffer.from(entry.value).toString('hex') : entry.value,
      ),
    );
    expect(dump.some((entry) => entry.table === 'recipient_devices')).toBe(true);
    for (const secret of [...forms(frank.secret), ...forms(link.token)]) {
      expect(dumpText).not.toContain(secret);
    }

    // Every text and every 32-byte value of the dump, tried as the device's secret and as the
    // removal link's token.
    const candidates = new Set<string>();
    for (const entry of dump) {
      if (typeof entry.value === 'string') candidates.add(entry.value);
      const bytes = asBytes(entry.value);
      if (bytes?.length === 32) candidates.add(Buffer.from(bytes).toString('base64url'));
    }
    expect(candidates.size).toBeGreaterThan(50);
    const now = server.clock.now();
    for (const candidate of candidates) {
      expect(await liveDevice(server.db, frank.deviceId, candidate, now)).toBeUndefined();
    }
    // The device row's own digests, over HTTP (a handful: the misses are counted).
    const row = await server.db
      .selectFrom('recipient_devices')
      .selectAll()
      .where('id', '=', frank.deviceId)
      .executeTakeFirstOrThrow();
    for (const digest of [row.secret_digest, row.removal_token_digest]) {
      const asSecret = Buffer.from(digest, 'hex').toString('base64url');
      const tried = await openWith(server, message.messageId, { ...frank, secret: asSecret });
      expect(tried.status).toBe(403);
      const removal = await fetch(`${server.baseUrl}${link.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${asSecret}`,
      });
      expect(removal.status).toBe(404);
    }
    // Control: nothing was removed, and the real secret still works.
    expect((await openWith(server, message.messageId, frank)).status).toBe(200);
  });

  it('the device and the share it releases open nothing without the mail share', async () => {
    const gina = await deviceFor('gina@partner.example');
    const sealed = await registerSealed(server, alice, [emailLock('gina@partner.example')]);
    const lockId = sealed.locks[0]!.lockId;
    const opened = await openWith(server, sealed.messageId, gina);
    expect(opened.status).toBe(200);
    const serverShare: string = opened.body.serverShare;

    // Every 32-byte value the attacker has (the dump, the device, the answer) as the mail share.
    const candidates = new Set<string>([
      Buffer.from(gina.secret, 'base64url').toString('base64'),
      Buffer.from(opened.body.replyToken, 'base64url').toString('base64'),
    ]);
    for (const entry of await dumpDatabase(server)) {
      const bytes = asBytes(entry.value);
      if (bytes?.length === 32) candidates.add(Buffer.from(bytes).toString('base64'));
    }
    for (const mailShare of candidates) {
      const derived = await deriveLockPassword({
        messageId: sealed.messageId,
        lockId,
        mailShare,
        serverShare,
      });
      if (!derived.ok) continue;
      const attempt = await openWithPassword({
        payload: sealed.payload,
        password: derived.password,
      });
      expect(attempt.ok).toBe(false);
    }
    // Control: with the mail's share the same server share opens it.
    const control = await deriveLockPassword({
      messageId: sealed.messageId,
      lockId,
      mailShare: sealed.mailShare,
      serverShare,
    });
    const plain = control.ok
      ? await openWithPassword({ payload: sealed.payload, password: control.password })
      : null;
    expect(plain?.ok && new TextDecoder().decode(plain.plaintext)).toBe(secretText);
  }, 180_000);

  it('the removal page runs no script, is cached nowhere, and a GET (or HEAD) removes nothing', async () => {
    const hal: RememberedDevice = await deviceFor('hal@partner.example');
    const link = await removalLinkFor(server, 'hal@partner.example');
    const message = await sealedTo(server, alice, [emailLock('hal@partner.example')]);
    const pages = [
      await fetch(`${server.baseUrl}${link.path}?token=${link.token}`),
      await fetch(`${server.baseUrl}${link.path}?token=${'Z'.repeat(43)}`),
      await fetch(`${server.baseUrl}${link.path}`),
      await fetch(`${server.baseUrl}${link.path}?token=${link.token}`, { method: 'HEAD' }),
    ];
    for (const page of pages) {
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      const policy = page.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("form-action 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain('script-src');
      expect(policy).not.toContain('unsafe-inline');
      if (page.status === 200 && page.headers.get('content-length') !== '0') {
        const html = await page.text();
        if (html.length === 0) continue;
        expect(html).not.toMatch(/<script|javascript:|\son\w+=/i);
        // The one style block is what the policy allows by hash.
        const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? '';
        const hash = createHash('sha256').update(style).digest('base64');
        expect(policy).toContain(`'sha256-${hash}'`);
      }
    }
    expect(pages.map((page) => page.status)).toEqual([200, 404, 404, 200]);
    expect((await openWith(server, message.messageId, hal)).status).toBe(200);
    const row = await server.db
      .selectFrom('recipient_devices')
      .select('removed_at')
      .where('id', '=', hal.deviceId)
      .executeTakeFirstOrThrow();
    expect(row.removed_at).toBeNull();
    expect(server.logText()).not.toContain(link.token);
  });
});
