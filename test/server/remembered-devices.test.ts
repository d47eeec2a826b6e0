/**
 * Remembered browsers over real HTTP: off unless the organisation turns them on; once on, an
 * SMS or email code passed with `rememberDevice` gives a device (never a code lock), the
 * recipient is mailed with a removal link, and `verify/device` opens the address's other
 * messages without a code until the device expires or the recipient (link, reader), a sender or
 * an admin removes it. Five per address; housekeeping deletes old rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterLock } from '../../src/core/serverApi.ts';
import { runAdminCommand } from '../../src/server/admin.ts';
import {
  DEVICE_RECORD_DAYS,
  DEVICES_PER_ADDRESS,
  deleteOldDevices,
} from '../../src/server/devices/devices.ts';
import { outboxMailer } from '../../src/server/mail/mailer.ts';
import { sha256Hex } from '../../src/server/secrets.ts';
import {
  completeRemembering,
  openWith,
  rememberedDevice,
  removalLinkFor,
} from './devices-fixtures.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';
import { lock, sealedTo, signedInSender } from './messages-fixtures.ts';

const DAYS = 30;
const DAY = 86_400;
const PHONE = '+4915123456789';

describe.each(DATABASE_KINDS)(
  'remembered browsers, when the organisation does not allow them, on %s',
  (kind) => {
    let server: TestServer;
    let alice: string;
    beforeAll(async () => {
      server = await startTestServer(kind);
      alice = await signedInSender(server);
    });
    afterAll(() => server.close());

    it('are not offered, and a request to remember is ignored', async () => {
      const bob = lock({ method: 'email', address: 'bob@partner.example' });
      const message = await sealedTo(server, alice, [bob]);
      const described = await server.request('GET', `${message.base}/public`);
      expect(described.body.rememberDevice).toBeNull();
      const answer = await completeRemembering(server, message, bob);
      expect(answer.status).toBe(200);
      expect(answer.body).not.toHaveProperty('device');
      expect(answer.body.serverShare).toBe(bob.serverShare);
      expect(await server.db.selectFrom('recipient_devices').select('id').execute()).toEqual([]);
      // Only the code went to Bob.
      expect(await server.outboxFor('bob@partner.example')).toHaveLength(1);
    });
  },
);

describe.each(DATABASE_KINDS)('remembered browsers on %s', (kind) => {
  let server: TestServer;
  let alice: string;
  /** Set to make the mailer fail (an SMTP outage). */
  let mailDown = false;
  beforeAll(async () => {
    server = await startTestServer(kind, {
      config: {
        publicUrl: 'https://sealpost.example.org',
        rememberDevices: { enabled: true, days: DAYS },
      },
      mailer: (db, clock) => {
        const outbox = outboxMailer(db, clock);
        return {
          send: (mail) => (mailDown ? Promise.reject(new Error('SMTP down')) : outbox.send(mail)),
        };
      },
    });
    alice = await signedInSender(server);
  });
  afterAll(() => server.close());

  const deviceRow = (deviceId: string) =>
    server.db
      .selectFrom('recipient_devices')
      .selectAll()
      .where('id', '=', deviceId)
      .executeTakeFirstOrThrow();

  /** A fresh message from Alice with an email lock for `address` (and any other locks). */
  const messageFor = async (address: string, others: RegisterLock[] = [], extra = {}) => {
    const target = lock({ method: 'email', address });
    const message = await sealedTo(server, alice, [...others, target], extra);
    return { ...message, target };
  };

  it('verify/device and devices/forget answer the reader cross-origin; the removal page and the sender route do not', async () => {
    const preflight = (path: string, method = 'POST') =>
      fetch(`${server.baseUrl}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://sealpost.example.org',
          'access-control-request-method': method,
          'access-control-request-headers': 'content-type',
        },
      });
    for (const path of [
      `/api/v1/messages/${crypto.randomUUID()}/verify/device`,
      '/api/v1/devices/forget',
    ]) {
      const answer = await preflight(path);
      expect(answer.headers.get('access-control-allow-origin'), path).toBe(
        'https://sealpost.example.org',
      );
    }
    for (const [path, method] of [
      ['/devices/AAAAAAAAAAAAAAAAAAAAAA/remove', 'POST'],
      ['/api/v1/recipient-devices', 'DELETE'],
    ] as const) {
      const answer = await preflight(path, method);
      expect(answer.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });

  it('are offered for the configured days', async () => {
    const message = await messageFor('offer@partner.example');
    const described = await server.request('GET', `${message.base}/public`);
    expect(described.body.rememberDevice).toEqual({ days: DAYS });
  });

  it('sms: the code passed with rememberDevice gives a device, and the recipient is mailed in their language with a removal link', async () => {
    const bob = lock({
      method: 'sms',
      address: 'bob@partner.example',
      phone: PHONE,
      language: 'de',
    });
    const message = await sealedTo(server, alice, [bob]);
    const answer = await completeRemembering(server, message, bob);
    expect(answer.status).toBe(200);
    const expiresAt = new Date(server.clock.now().getTime() + DAYS * DAY * 1000);
    expect(answer.body).toEqual({
      serverShare: bob.serverShare,
      replyToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      device: {
        deviceId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        address: 'bob@partner.example',
        expiresAt: expiresAt.toISOString(),
      },
    });
    const device = answer.body.device;

    const [mail] = await server.outboxFor('bob@partner.example');
    expect(mail?.channel).toBe('email');
    expect(mail?.text).toMatch(
      /^Subject: Ein Browser wurde für Ihre sicheren Nachrichten gespeichert/,
    );
    expect(mail?.text).toContain('Example Ltd');
    expect(mail?.text).toContain(
      `Bis ${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    );
    expect(mail?.text).not.toContain(device.secret);
    const link = await removalLinkFor(server, 'bob@partner.example');
    expect(link.url).toBe(
      `https://sealpost.example.org/devices/${device.deviceId}/remove?token=${link.token}`,
    );

    // Only digests are stored.
    const row = await deviceRow(device.deviceId);
    expect(row).toEqual({
      id: device.deviceId,
      address: 'bob@partner.example',
      secret_digest: sha256Hex(device.secret),
      removal_token_digest: sha256Hex(link.token),
      language: 'de',
      created_at: server.clock.now(),
      expires_at: expiresAt,
      last_used_at: null,
      removed_at: null,
    });
    expect(server.logText()).not.toContain(device.secret);
    expect(server.logText()).not.toContain(link.token);
    expect(server.logLines().some((line) => line.msg === 'browser remembered')).toBe(true);
  });

  it('email: gives a device too; code and org-code locks, and requests without the flag, never do', async () => {
    const device = await rememberedDevice(server, alice, 'carol@partner.example');
    expect(device.address).toBe('carol@partner.example');

    const dan = lock({ method: 'code', address: 'dan@partner.example', accessCode: 'DAN-4242-QX' });
    const erin = lock({
      method: 'org-code',
      address: 'erin@partner.example',
      accessCode: 'Blue Harbour 9',
    });
    const frank = lock({ method: 'email', address: 'frank@partner.example' });
    const message = await sealedTo(server, alice, [dan, erin, frank]);
    for (const [target, flag] of [
      [dan, true],
      [erin, true],
      [frank, false],
    ] as const) {
      const answer = await completeRemembering(server, message, target, flag);
      expect(answer.status).toBe(200);
      expect(answer.body).not.toHaveProperty('device');
      expect(answer.body.serverShare).toBe(target.serverShare);
    }
    const addresses = (
      await server.db.selectFrom('recipient_devices').select('address').execute()
    ).map((row) => row.address);
    expect(addresses).not.toContain('dan@partner.example');
    expect(addresses).not.toContain('erin@partner.example');
    expect(addresses).not.toContain('frank@partner.example');
    expect(await server.outboxFor('dan@partner.example')).toEqual([]);
  });

  it('opens the address’s other messages with no code: the share, a reply token, openedAt, last used', async () => {
    const device = await rememberedDevice(server, alice, 'gina@partner.example');
    server.clock.advanceSeconds(DAY);
    // Gina is on Bcc of the next message, after someone with an access code.
    const henry = lock({
      method: 'code',
      address: 'henry@partner.example',
      accessCode: 'HEN-1234-ZZ',
    });
    const gina = lock({ method: 'email', address: 'gina@partner.example', hidden: true });
    const message = await sealedTo(server, alice, [henry, gina]);
    const mailsBefore = (await server.outboxFor('gina@partner.example')).length;

    const opened = await openWith(server, message.messageId, device);
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({
      lockId: gina.lockId,
      method: 'email',
      serverShare: gina.serverShare,
      replyToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(opened.headers.get('cache-control')).toBe('no-store');
    // No code was sent.
    expect(await server.outboxFor('gina@partner.example')).toHaveLength(mailsBefore);
    const token = await server.db
      .selectFrom('reply_tokens')
      .select('lock_id')
      .where('token_digest', '=', sha256Hex(opened.body.replyToken))
      .executeTakeFirst();
    expect(token).toEqual({ lock_id: gina.lockId });

    const status = await server.request('GET', `${message.base}/status`, { token: alice });
    const openedAt = server.clock.now().toISOString();
    expect(status.body.recipients).toMatchObject([
      { lockId: henry.lockId, openedAt: null },
      { lockId: gina.lockId, openedAt },
    ]);
    expect((await deviceRow(device.deviceId)).last_used_at).toEqual(server.clock.now());

    // Again later: the first opening stays.
    server.clock.advanceSeconds(60);
    expect((await openWith(server, message.messageId, device)).status).toBe(200);
    const again = await server.request('GET', `${message.base}/status`, { token: alice });
    expect(again.body.recipients[1].openedAt).toBe(openedAt);
    expect((await deviceRow(device.deviceId)).last_used_at).toEqual(server.clock.now());
    expect(server.logText()).not.toContain(device.secret);
  });

  it('404 where its address has no sms/email lock, 410 for ended messages, 423 while the lock is locked out', async () => {
    const device = await rememberedDevice(server, alice, 'ian@partner.example');
    const elsewhere = await messageFor('someone@partner.example');
    const notHere = await openWith(server, elsewhere.messageId, device);
    expect(notHere.status).toBe(404);
    expect(notHere.body.error.code).toBe('not-found');
    const codeOnly = await sealedTo(server, alice, [
      lock({ method: 'code', address: 'ian@partner.example', accessCode: 'IAN-5555-RR' }),
    ]);
    expect((await openWith(server, codeOnly.messageId, device)).status).toBe(404);

    const revoked = await messageFor('ian@partner.example');
    await server.request('POST', `${revoked.base}/revoke`, { body: {}, token: alice });
    const gone = await openWith(server, revoked.messageId, device);
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe('revoked');
    const expiring = await messageFor('ian@partner.example', [], { expiresInDays: 1 });
    const unknown = await openWith(server, crypto.randomUUID(), device);
    expect(unknown.status).toBe(404);

    const locked = await messageFor('ian@partner.example');
    await server.db
      .updateTable('message_locks')
      .set({
        locked_at: server.clock.now(),
        locked_until: new Date(server.clock.now().getTime() + 900_000),
      })
      .where('lock_id', '=', locked.target.lockId)
      .execute();
    const refused = await openWith(server, locked.messageId, device);
    expect(refused.status).toBe(423);
    expect(refused.body.error).toMatchObject({ code: 'locked', retryAfterSeconds: 900 });
    expect(refused.body).not.toHaveProperty('serverShare');

    server.clock.advanceSeconds(DAY);
    const expired = await openWith(server, expiring.messageId, device);
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('expired');
  });

  it(`works ${DAYS} days, then 403`, async () => {
    const device = await rememberedDevice(server, alice, 'jo@partner.example');
    const message = await messageFor('jo@partner.example', [], { expiresInDays: 90 });
    server.clock.advanceSeconds(DAYS * DAY - 1);
    expect((await openWith(server, message.messageId, device)).status).toBe(200);
    server.clock.advanceSeconds(1);
    const late = await openWith(server, message.messageId, device);
    expect(late.status).toBe(403);
    expect(late.body.error.code).toBe('forbidden');
  });

  it('the removal link: a GET shows a button and removes nothing; the POST removes', async () => {
    const device = await rememberedDevice(server, alice, 'kim@partner.example', { language: 'fr' });
    const link = await removalLinkFor(server, 'kim@partner.example');
    const message = await messageFor('kim@partner.example');

    for (let visit = 0; visit < 3; visit++) {
      const page = await fetch(`${server.baseUrl}${link.path}?token=${link.token}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).toContain('<html lang="fr">');
      expect(html).toContain('Supprimer le navigateur mémorisé ?');
      expect(html).toContain('<form method="post" action="remove">');
      expect(html).toContain(`<input type="hidden" name="token" value="${link.token}">`);
    }
    expect((await openWith(server, message.messageId, device)).status).toBe(200);

    // A wrong token: the neutral page, and nothing removed.
    const wrong = await fetch(`${server.baseUrl}${link.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'B'.repeat(43) }).toString(),
    });
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).toContain('This link is not valid');
    expect((await openWith(server, message.messageId, device)).status).toBe(200);

    const removed = await fetch(`${server.baseUrl}${link.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: link.token }).toString(),
    });
    expect(removed.status).toBe(200);
    const html = await removed.text();
    expect(html).toContain('Ce navigateur ne peut plus ouvrir de messages sans code.');
    expect(html).not.toContain('<form');
    expect((await deviceRow(device.deviceId)).removed_at).toEqual(server.clock.now());
    const refused = await openWith(server, message.messageId, device);
    expect(refused.status).toBe(403);

    // The link keeps saying so, and the first removal's time stays.
    server.clock.advanceSeconds(60);
    const later = await fetch(`${server.baseUrl}${link.path}?token=${link.token}`);
    expect(await later.text()).toContain('Ce navigateur ne peut plus ouvrir');
    const twice = await fetch(`${server.baseUrl}${link.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${link.token}`,
    });
    expect(twice.status).toBe(200);
    expect((await deviceRow(device.deviceId)).removed_at).toEqual(
      new Date(server.clock.now().getTime() - 60_000),
    );
    // The log has the path, never the token (requests are logged without their query string).
    expect(server.logText()).toContain(`"path":"${link.path}"`);
    expect(server.logText()).not.toContain(link.token);
  });

  it('redacts device secrets, removal tokens and handles wherever a log line would carry them', () => {
    const before = server.logText().length;
    server.app.log.info(
      {
        secret: 'SECRET-ONE',
        handle: 'HANDLE-ONE',
        nested: { deviceSecret: 'SECRET-TWO', removalToken: 'TOKEN-ONE', token: 'TOKEN-TWO' },
      },
      'a careless line',
    );
    const written = server.logText().slice(before);
    expect(written).toContain('a careless line');
    for (const value of ['SECRET-ONE', 'HANDLE-ONE', 'SECRET-TWO', 'TOKEN-ONE', 'TOKEN-TWO']) {
      expect(written).not.toContain(value);
    }
  });

  it('the reader forgets its own browser: 204 always, removed only with the right secret', async () => {
    const device = await rememberedDevice(server, alice, 'lea@partner.example');
    const message = await messageFor('lea@partner.example');
    const forget = (body: unknown) => server.request('POST', '/api/v1/devices/forget', { body });
    expect((await forget({ deviceId: device.deviceId, secret: 'C'.repeat(43) })).status).toBe(204);
    expect((await forget({ deviceId: 'D'.repeat(22), secret: device.secret })).status).toBe(204);
    expect((await openWith(server, message.messageId, device)).status).toBe(200);
    const forgotten = await forget({ deviceId: device.deviceId, secret: device.secret });
    expect(forgotten.status).toBe(204);
    expect((await openWith(server, message.messageId, device)).status).toBe(403);
    expect((await forget({ deviceId: device.deviceId, secret: device.secret })).status).toBe(204);
    expect((await forget({ deviceId: device.deviceId })).status).toBe(400);
    expect(server.logText()).not.toContain(device.secret);
  });

  it('any sender of the organisation removes every browser of an address', async () => {
    const first = await rememberedDevice(server, alice, 'max@partner.example');
    const second = await rememberedDevice(server, alice, 'max@partner.example');
    const other = await rememberedDevice(server, alice, 'nia@partner.example');
    const message = await messageFor('max@partner.example');
    const otherMessage = await messageFor('nia@partner.example');
    const path = '/api/v1/recipient-devices?address=Max@Partner.Example';

    expect((await server.request('DELETE', path)).status).toBe(401);
    const colleague = await signedInSender(server, 'oscar@example.org');
    const removed = await server.request('DELETE', path, { token: colleague });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ removed: 2 });
    for (const device of [first, second]) {
      expect((await openWith(server, message.messageId, device)).status).toBe(403);
    }
    expect((await openWith(server, otherMessage.messageId, other)).status).toBe(200);
    expect((await server.request('DELETE', path, { token: colleague })).body).toEqual({
      removed: 0,
    });
    expect(
      (await server.request('DELETE', '/api/v1/recipient-devices', { token: colleague })).status,
    ).toBe(400);
  });

  it('the admin lists browsers (no secrets) and removes one or all of an address', async () => {
    const first = await rememberedDevice(server, alice, 'pia@partner.example');
    const firstCreated = server.clock.now().toISOString();
    server.clock.advanceSeconds(1);
    const second = await rememberedDevice(server, alice, 'pia@partner.example');
    const message = await messageFor('pia@partner.example');
    const lines: string[] = [];
    const problems: string[] = [];
    const io = {
      db: server.db,
      secret: server.secret,
      clock: server.clock,
      out: (line: string) => lines.push(line),
      error: (line: string) => problems.push(line),
    };
    expect(await runAdminCommand(['devices', 'list', '--address', 'PIA@partner.example'], io)).toBe(
      0,
    );
    expect(lines[0]).toBe('id\taddress\tcreated\texpires\tlast used\tremoved');
    expect(lines.slice(1).map((line) => line.split('\t').slice(0, 2))).toEqual([
      [first.deviceId, 'pia@partner.example'],
      [second.deviceId, 'pia@partner.example'],
    ]);
    expect(lines[1]!.split('\t').slice(2)).toEqual([firstCreated, first.expiresAt, '-', '-']);
    const rows = await server.db.selectFrom('recipient_devices').selectAll().execute();
    for (const row of rows) {
      expect(lines.join('\n')).not.toContain(row.secret_digest);
      expect(lines.join('\n')).not.toContain(row.removal_token_digest);
    }
    expect(lines.join('\n')).not.toContain(first.secret);

    expect(await runAdminCommand(['devices', 'remove', first.deviceId], io)).toBe(0);
    expect((await openWith(server, message.messageId, first)).status).toBe(403);
    expect((await openWith(server, message.messageId, second)).status).toBe(200);
    expect(await runAdminCommand(['devices', 'remove', first.deviceId], io)).toBe(1);
    expect(
      await runAdminCommand(['devices', 'remove', '--address', 'pia@partner.example'], io),
    ).toBe(0);
    expect(lines.at(-1)).toBe('removed 1 remembered browser');
    expect((await openWith(server, message.messageId, second)).status).toBe(403);
    expect(await runAdminCommand(['devices', 'remove'], io)).toBe(2);
    expect(
      await runAdminCommand(['devices', 'remove', first.deviceId, '--address', 'a@b.c'], io),
    ).toBe(2);
  });

  it(`keeps ${DEVICES_PER_ADDRESS} browsers per address: the oldest goes`, async () => {
    const devices = [];
    for (let count = 0; count < DEVICES_PER_ADDRESS + 1; count++) {
      devices.push(await rememberedDevice(server, alice, 'quinn@partner.example'));
      server.clock.advanceSeconds(1);
    }
    const message = await messageFor('quinn@partner.example');
    expect((await openWith(server, message.messageId, devices[0]!)).status).toBe(403);
    for (const device of devices.slice(1)) {
      expect((await openWith(server, message.messageId, device)).status).toBe(200);
    }
    const live = await server.db
      .selectFrom('recipient_devices')
      .select('id')
      .where('address', '=', 'quinn@partner.example')
      .execute();
    expect(live).toHaveLength(DEVICES_PER_ADDRESS);
  });

  it('fails closed when the recipient cannot be told: the share comes, no device is kept', async () => {
    const rita = lock({ method: 'email', address: 'rita@partner.example' });
    const message = await sealedTo(server, alice, [rita]);
    expect((await message.start('rita@partner.example')).status).toBe(200);
    const [codeMail] = await server.outboxFor('rita@partner.example');
    const code = /\b(\d{6})\b/.exec(codeMail!.text)![1]!;
    mailDown = true;
    let answer;
    try {
      answer = await server.request('POST', `${message.base}/verify/complete`, {
        body: { handle: await message.handleFor(rita.lockId), code, rememberDevice: true },
      });
    } finally {
      mailDown = false;
    }
    expect(answer.status).toBe(200);
    expect(answer.body.serverShare).toBe(rita.serverShare);
    expect(answer.body).not.toHaveProperty('device');
    const rows = await server.db
      .selectFrom('recipient_devices')
      .select('id')
      .where('address', '=', 'rita@partner.example')
      .execute();
    expect(rows).toEqual([]);
  });

  it(`housekeeping deletes browsers ${DEVICE_RECORD_DAYS} days after they expired or were removed`, async () => {
    const removedEarly = await rememberedDevice(server, alice, 'sam@partner.example');
    const expiring = await rememberedDevice(server, alice, 'tara@partner.example');
    const removedLate = await rememberedDevice(server, alice, 'uma@partner.example');
    await server.request('POST', '/api/v1/devices/forget', {
      body: { deviceId: removedEarly.deviceId, secret: removedEarly.secret },
    });
    server.clock.advanceSeconds(2 * DAY);
    await server.request('POST', '/api/v1/devices/forget', {
      body: { deviceId: removedLate.deviceId, secret: removedLate.secret },
    });
    const lasting = await rememberedDevice(server, alice, 'vic@partner.example');
    const ids = async () =>
      (await server.db.selectFrom('recipient_devices').select('id').execute()).map((row) => row.id);

    // Day DEVICE_RECORD_DAYS after the first removal: the row is deleted.
    server.clock.advanceSeconds((DEVICE_RECORD_DAYS - 2) * DAY);
    await deleteOldDevices(server.db, server.clock.now());
    expect(await ids()).not.toContain(removedEarly.deviceId);
    expect(await ids()).toEqual(
      expect.arrayContaining([expiring.deviceId, removedLate.deviceId, lasting.deviceId]),
    );

    // The expired one goes DEVICE_RECORD_DAYS after its expiry; the later removal, after its own.
    server.clock.advanceSeconds(DAYS * DAY);
    await deleteOldDevices(server.db, server.clock.now());
    expect(await ids()).not.toContain(expiring.deviceId);
    expect(await ids()).not.toContain(removedLate.deviceId);
    expect(await ids()).toContain(lasting.deviceId);
  });
});
