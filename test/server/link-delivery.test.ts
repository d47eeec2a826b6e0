/**
 * Link delivery: a payload registered with `upload` is uploaded with tus (tus-js-client, a
 * stream of unknown length) and downloaded byte for byte; a connection cut in the middle of a
 * PATCH resumes from the server's offset; the size limit and the quotas refuse at registration
 * and in the middle of an upload, leaving nothing; revocation, expiry and the unfinished-upload
 * limit delete the stored objects. The same tests run on the file store (PGlite and PostgreSQL)
 * and on a real S3 server (OpenStack Swift's S3 API, test/helpers/s3Server.ts).
 */
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/server/admin.ts';
import { movePayloadsToStore } from '../../src/server/payloads/movePayloadsToStore.ts';
import { openPayloadStore } from '../../src/server/payloads/payloadStore.ts';
import {
  deleteEndedPayloads,
  deleteUnfinishedUploads,
} from '../../src/server/payloads/payloadDeletion.ts';
import {
  adminIo,
  DATABASE_KINDS,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from './harness.ts';
import { signedInSender } from './messages-fixtures.ts';
import { payloadStoreKinds, type PayloadStoreKind } from './payload-stores.ts';
import {
  cuttingProxy,
  MIB,
  payloadOf,
  payloadRow,
  refusal,
  registerForUpload,
  tusUpload,
  uploadRegistration,
} from './uploads-fixtures.ts';

/** Small limits, so that refusals need only a few MiB. */
const PAYLOAD_LIMITS = {
  maxBytes: 8 * MIB,
  quotaPerSenderBytes: 12 * MIB,
  quotaTotalBytes: 100 * MIB,
  unfinishedUploadHours: 24,
};

describe.each(payloadStoreKinds(DATABASE_KINDS))(
  'link delivery on %s, payloads in %s',
  (kind, storeKind: PayloadStoreKind) => {
    let server: TestServer;
    let alice: string;
    let storeOptions: Awaited<ReturnType<PayloadStoreKind['open']>>;
    beforeAll(async () => {
      storeOptions = await storeKind.open();
      server = await startTestServer(kind, {
        ...storeOptions.serverOptions,
        config: { payloads: { ...PAYLOAD_LIMITS, ...storeOptions.config } },
      } satisfies TestServerOptions);
    }, 120_000);
    // A sender of their own per test: each starts with an empty quota.
    let senders = 0;
    beforeEach(async () => {
      senders += 1;
      alice = await signedInSender(server, `alice${senders}@example.org`);
    });
    afterAll(async () => {
      await server?.close();
      await storeOptions?.close();
    });

    const keyOf = async (messageId: string) =>
      (await payloadRow(server, messageId))?.store_key ?? null;

    it('answers uploadUrl and payloadUrl, and refuses payload and upload together', async () => {
      const registered = await registerForUpload(server, alice, 1000);
      expect(registered.uploadUrl).toBe(`${server.config.publicUrl}/api/v1/uploads`);
      expect(registered.payloadUrl).toBe(
        `${server.config.publicUrl}/api/v1/messages/${registered.messageId}/payload`,
      );
      const both = await server.request('POST', '/api/v1/messages', {
        token: alice,
        body: { ...uploadRegistration(3), payload: 'AAAA' },
      });
      expect(both.status).toBe(400);
      expect(both.body.error.message).toMatch(/not both/);
    });

    it('uploads a stream of unknown length and serves it byte for byte, only once finished', async () => {
      // Over S3's 5 MiB minimum part: a real multipart upload of two parts.
      const bytes = payloadOf(7 * MIB + 12_345);
      const { messageId, payloadUrl } = await registerForUpload(server, alice, bytes.length);
      const base = `/api/v1/messages/${messageId}`;
      // Half of it: nothing is served yet.
      await tusUpload(server, alice, messageId, bytes.subarray(0, 2 * MIB), {
        chunkSize: MIB,
        stopAfterBytes: MIB,
      });
      expect((await server.request('GET', `${base}/public`)).body.hasPayload).toBe(false);
      expect((await server.download(`${base}/payload`)).status).toBe(404);
      // Its upload exists: this message takes no second one.
      await expect(tusUpload(server, alice, messageId, bytes)).rejects.toThrow(/400/);
      // The sender starts over (the add-on would resume; here the first one is ended).
      const key = await keyOf(messageId);
      const uploadId = key!.slice(-32);
      const ended = await fetch(`${server.baseUrl}/api/v1/uploads/${uploadId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${alice}`, 'tus-resumable': '1.0.0' },
      });
      expect(ended.status).toBe(204);
      expect(await server.payloads.holdsAnything(key!)).toBe(false);

      await tusUpload(server, alice, messageId, bytes, { chunkSize: 6 * MIB });
      const row = await payloadRow(server, messageId);
      expect(Number(row!.byte_length)).toBe(bytes.length);
      expect(row!.finished_at).not.toBeNull();
      expect(row!.payload).toBeNull();
      expect((await server.request('GET', `${base}/public`)).body.hasPayload).toBe(true);
      const downloaded = await server.download(new URL(payloadUrl).pathname);
      expect(downloaded.status).toBe(200);
      expect(downloaded.headers.get('content-type')).toBe('application/octet-stream');
      expect(downloaded.headers.get('content-length')).toBe(String(bytes.length));
      expect(downloaded.bytes.equals(bytes)).toBe(true);
    });

    it('resumes from the server offset after the connection is cut in the middle of a PATCH', async () => {
      const bytes = payloadOf(3 * MIB + 777);
      const { messageId } = await registerForUpload(server, alice, bytes.length);
      const proxy = await cuttingProxy(server, Math.floor(2.5 * MIB));
      const publicUrl = server.config.publicUrl;
      // The upload's Location must lead through the proxy too.
      server.config.publicUrl = proxy.url;
      const offsetsAfterCut: number[] = [];
      try {
        await tusUpload(server, alice, messageId, bytes, {
          endpoint: `${proxy.url}/api/v1/uploads`,
          chunkSize: MIB,
          onAfterResponse: (request, response) => {
            if (request.getMethod() === 'HEAD')
              offsetsAfterCut.push(Number(response.getHeader('Upload-Offset')));
          },
        });
      } finally {
        server.config.publicUrl = publicUrl;
        await proxy.close();
      }
      expect(proxy.cuts()).toBe(1);
      // tus-js-client asked where to go on, and went on from there, not from the start.
      expect(offsetsAfterCut.length).toBeGreaterThanOrEqual(1);
      expect(offsetsAfterCut[0]).toBeGreaterThan(0);
      const downloaded = await server.download(`/api/v1/messages/${messageId}/payload`);
      expect(downloaded.bytes.equals(bytes)).toBe(true);
    });

    it('refuses over the size limit or a quota at registration, and in the middle of an upload leaves nothing', async () => {
      const bob = await signedInSender(server, 'bob@example.org');
      const register = (expectedBytes: number) =>
        server.request('POST', '/api/v1/messages', {
          token: bob,
          body: uploadRegistration(expectedBytes),
        });
      const tooLarge = await register(PAYLOAD_LIMITS.maxBytes + 1);
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.error.code).toBe('payload-too-large');

      // An estimate that was too low: the upload itself is held to the limit.
      const lying = await registerForUpload(server, bob, MIB);
      const refused = await refusal(
        tusUpload(server, bob, lying.messageId, payloadOf(9 * MIB), { chunkSize: 3 * MIB }),
      );
      expect(refused).toEqual({ status: 413, code: 'payload-too-large' });
      expect(await payloadRow(server, lying.messageId)).toBeNull();
      expect((await server.download(`/api/v1/messages/${lying.messageId}/payload`)).status).toBe(
        404,
      );

      // Bob's quota is 12 MiB: with 7 MiB stored, 7 MiB more is refused at once…
      const first = await registerForUpload(server, bob, 7 * MIB);
      await tusUpload(server, bob, first.messageId, payloadOf(7 * MIB), { chunkSize: 7 * MIB });
      const overQuota = await register(7 * MIB);
      expect(overQuota.status).toBe(413);
      expect(overQuota.body.error.code).toBe('quota-exceeded');
      // …and an upload that grows past it is stopped, and nothing of it stays.
      const second = await registerForUpload(server, bob, 4 * MIB);
      const quotaHit = await refusal(
        tusUpload(server, bob, second.messageId, payloadOf(6 * MIB), { chunkSize: 2 * MIB }),
      );
      expect(quotaHit).toEqual({ status: 413, code: 'quota-exceeded' });
      expect(await payloadRow(server, second.messageId)).toBeNull();
      // Alice's quota is her own: Bob's full one does not stop her.
      expect(
        (
          await server.request('POST', '/api/v1/messages', {
            token: alice,
            body: uploadRegistration(5 * MIB),
          })
        ).status,
      ).toBe(201);
      // Revoking frees Bob's space.
      await server.request('POST', `/api/v1/messages/${first.messageId}/revoke`, {
        body: {},
        token: bob,
      });
      expect((await register(7 * MIB)).status).toBe(201);
    });

    it('deletes the stored object on revocation, also of an upload in progress', async () => {
      const finished = await registerForUpload(server, alice, MIB);
      await tusUpload(server, alice, finished.messageId, payloadOf(MIB));
      const finishedKey = (await keyOf(finished.messageId))!;
      expect(await server.payloads.holdsAnything(finishedKey)).toBe(true);

      const running = await registerForUpload(server, alice, 3 * MIB);
      const uploadUrl = await tusUpload(server, alice, running.messageId, payloadOf(3 * MIB), {
        chunkSize: MIB,
        stopAfterBytes: MIB,
      });
      const runningKey = (await keyOf(running.messageId))!;
      expect(await server.payloads.holdsAnything(runningKey)).toBe(true);

      for (const { messageId } of [finished, running]) {
        const revoked = await server.request('POST', `/api/v1/messages/${messageId}/revoke`, {
          body: {},
          token: alice,
        });
        expect(revoked.status).toBe(200);
        expect(await payloadRow(server, messageId)).toBeNull();
        expect((await server.download(`/api/v1/messages/${messageId}/payload`)).status).toBe(410);
      }
      expect(await server.payloads.holdsAnything(finishedKey)).toBe(false);
      expect(await server.payloads.holdsAnything(runningKey)).toBe(false);
      // The add-on resuming the revoked upload finds nothing to write to.
      const resumed = await fetch(uploadUrl, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${alice}`,
          'tus-resumable': '1.0.0',
          'upload-offset': String(MIB),
          'content-type': 'application/offset+octet-stream',
        },
        body: Buffer.alloc(1000),
      });
      expect(resumed.status).toBe(404);
    });

    it('deletes the objects of expired messages and of uploads left unfinished', async () => {
      const expiring = await registerForUpload(server, alice, MIB, { expiresInDays: 1 });
      await tusUpload(server, alice, expiring.messageId, payloadOf(MIB));
      const expiringKey = (await keyOf(expiring.messageId))!;
      const abandoned = await registerForUpload(server, alice, 2 * MIB, { expiresInDays: 5 });
      await tusUpload(server, alice, abandoned.messageId, payloadOf(2 * MIB), {
        chunkSize: MIB,
        stopAfterBytes: MIB,
      });
      const abandonedKey = (await keyOf(abandoned.messageId))!;
      const lasting = await registerForUpload(server, alice, MIB, { expiresInDays: 5 });
      await tusUpload(server, alice, lasting.messageId, payloadOf(MIB));
      const lastingKey = (await keyOf(lasting.messageId))!;

      // A day on: the first message expired, the abandoned upload is 24 hours old.
      server.clock.advanceSeconds(86_400 + 60);
      const now = server.clock.now();
      expect(await deleteEndedPayloads(server.db, server.payloads, now)).toBe(1);
      expect(await deleteUnfinishedUploads(server.db, server.payloads, now, 24)).toBe(1);
      expect(await server.payloads.holdsAnything(expiringKey)).toBe(false);
      expect(await server.payloads.holdsAnything(abandonedKey)).toBe(false);
      expect(await payloadRow(server, abandoned.messageId)).toBeNull();
      // The finished payload of an active message stays.
      expect(await server.payloads.holdsAnything(lastingKey)).toBe(true);
      expect((await server.download(`/api/v1/messages/${lasting.messageId}/payload`)).status).toBe(
        200,
      );
      // The sender may upload the abandoned message's payload again.
      const again = payloadOf(MIB);
      await tusUpload(server, alice, abandoned.messageId, again);
      expect(
        (await server.download(`/api/v1/messages/${abandoned.messageId}/payload`)).bytes.equals(
          again,
        ),
      ).toBe(true);
    });

    it('moves a payload kept in the database (before the payload store) into the store', async () => {
      const legacy = uploadRegistration(10);
      delete (legacy as { upload?: unknown }).upload;
      expect(
        (await server.request('POST', '/api/v1/messages', { body: legacy, token: alice })).status,
      ).toBe(201);
      const bytes = payloadOf(50_000);
      // As migration 0009 left a payload registered before it.
      await server.db
        .insertInto('message_payloads')
        .values({
          message_id: legacy.messageId,
          payload: bytes,
          store_key: null,
          byte_length: bytes.length,
          created_at: server.clock.now(),
          finished_at: server.clock.now(),
        })
        .execute();
      expect(await movePayloadsToStore(server.db, server.payloads)).toBe(1);
      const row = await payloadRow(server, legacy.messageId);
      expect(row!.payload).toBeNull();
      expect(await server.payloads.holdsAnything(row!.store_key!)).toBe(true);
      const served = await server.download(`/api/v1/messages/${legacy.messageId}/payload`);
      expect(served.bytes.equals(bytes)).toBe(true);
      expect(await movePayloadsToStore(server.db, server.payloads)).toBe(0);
    });

    it('can take a payload now (readiness), and names the store when it cannot', async () => {
      expect(await server.payloads.problem()).toBeNull();
      // The same store with what an administrator could get wrong: a bucket that is not there,
      // a directory that is a file.
      const payloads = server.config.payloads;
      const file = join(tmpdir(), `sealpost-not-a-directory-${senders}`);
      await writeFile(file, '');
      const wrong = openPayloadStore(
        payloads.store === 's3'
          ? { ...payloads, s3: { ...payloads.s3, bucket: 'sealpost-no-such-bucket' } }
          : { ...payloads, directory: file },
      );
      try {
        expect(await wrong.problem()).toMatch(
          payloads.store === 's3'
            ? /^payloads\.s3 bucket sealpost-no-such-bucket: /
            : new RegExp(`^payloads\\.directory ${file}: `),
        );
      } finally {
        wrong.close?.();
        await rm(file, { force: true });
      }
    });

    it('lists payload bytes per sender for the admin', async () => {
      const bytes = payloadOf(MIB);
      const { messageId } = await registerForUpload(server, alice, bytes.length);
      await tusUpload(server, alice, messageId, bytes);
      const { lines, io } = adminIo(server);
      expect(await runAdminCommand(['payloads', 'usage'], io)).toBe(0);
      expect(lines[0]).toBe('sender\tpayloads\tbytes\tunfinished uploads');
      const mine = lines.find((line) => line.startsWith(`alice${senders}@`));
      expect(mine?.split('\t')).toEqual([`alice${senders}@example.org`, '1', String(MIB), '0']);
      expect(lines.at(-1)?.startsWith('(all)\t')).toBe(true);
    });
  },
);
