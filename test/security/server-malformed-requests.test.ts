/**
 * Attack: oversized and malformed requests against the message routes. Each is refused with the
 * contract's error shape and status, nothing is stored, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, startTestServer, type TestServer } from '../server/harness.ts';
import {
  ensureReaderBuild,
  lock,
  READER_BUILD_TIMEOUT_MS,
  recipientFlow,
  registration,
  SERVER_START_TIMEOUT_MS,
  signedInSender,
} from '../server/messages-fixtures.ts';

const PAYLOAD_LIMIT = 4096;

describe.each(DATABASE_KINDS)('oversized and malformed requests on %s', (kind) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { config: { limits: { payloadBytes: PAYLOAD_LIMIT } } });
    token = await signedInSender(server);
  }, SERVER_START_TIMEOUT_MS);
  afterAll(() => server.close());

  const messageCount = async () =>
    (await server.db.selectFrom('messages').select('id').execute()).length;
  const expectError = (
    response: { status: number; body: unknown },
    status: number,
    code: string,
  ) => {
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
  };

  it('refuses a stranger before reading the body, and keeps anonymous bodies small', async () => {
    // Without a token the registration is refused before its body is parsed: a malformed body
    // of several MB gets 401, not the 400 a parsed body would get.
    const junk = '{"messageId":' + ' '.repeat(3 * 1024 * 1024);
    for (const [method, path] of [
      ['POST', '/api/v1/messages'],
      ['PUT', '/api/v1/directory/bob@partner.example'],
      ['POST', `/api/v1/messages/${crypto.randomUUID()}/revoke`],
    ] as const) {
      const response = await fetch(`${server.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: junk,
      });
      expect(response.status, `${method} ${path}`).toBe(401);
    }
    // Routes anyone may call take small bodies only.
    const address = `${'a'.repeat(5000)}@partner.example`;
    for (const path of [
      '/api/v1/auth/start',
      `/api/v1/messages/${crypto.randomUUID()}/verify/start`,
    ]) {
      const response = await server.request('POST', path, { body: { address } });
      expectError(response, 413, 'payload-too-large');
    }
  });

  it('refuses a NUL character anywhere with 400, on every route, and keeps serving', async () => {
    const nul = 'bob\u0000@partner.example';
    const registered = registration([lock({ method: 'email', address: 'bob@partner.example' })]);
    expect(
      (await server.request('POST', '/api/v1/messages', { body: registered, token })).status,
    ).toBe(201);
    const probes: [string, string, unknown, string?][] = [
      ['POST', '/api/v1/auth/start', { address: 'a\u0000@example.org' }],
      ['POST', `/api/v1/messages/${registered.messageId}/verify/start`, { address: nul }],
      ['POST', '/api/v1/messages', registration([lock({ method: 'email', address: nul })]), token],
      [
        'POST',
        '/api/v1/messages',
        registration([lock({ method: 'email', address: 'x@y.example' })], {
          senderName: 'A\u0000',
        }),
        token,
      ],
      ['PUT', `/api/v1/directory/${encodeURIComponent(nul)}`, { method: 'email' }, token],
      ['PUT', '/api/v1/directory/bob@partner.example', { orgCode: 'abc\u0000def' }, token],
      ['GET', `/api/v1/directory?address=${encodeURIComponent(nul)}`, undefined, token],
      ['GET', `/api/v1/directory/${encodeURIComponent(nul)}/audit`, undefined, token],
    ];
    for (const [method, path, body, bearer] of probes) {
      const response = await server.request(method, path, {
        ...(body === undefined ? {} : { body }),
        ...(bearer ? { token: bearer } : {}),
      });
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(response.body.error.code).toBe('bad-request');
    }
    expect((await server.request('GET', '/healthz')).status).toBe(200);
  });

  it('refuses a hosted payload over the limit, and a body over the route limit, storing nothing', async () => {
    const before = await messageCount();
    const justOver = registration([lock({ method: 'email', address: 'bob@partner.example' })], {
      payload: Buffer.alloc(PAYLOAD_LIMIT + 1, 7).toString('base64'),
    });
    expectError(
      await server.request('POST', '/api/v1/messages', { body: justOver, token }),
      413,
      'payload-too-large',
    );
    const huge = registration([lock({ method: 'email', address: 'bob@partner.example' })], {
      payload: Buffer.alloc(3 * 1024 * 1024, 7).toString('base64'),
    });
    expectError(
      await server.request('POST', '/api/v1/messages', { body: huge, token }),
      413,
      'payload-too-large',
    );
    const atLimit = registration([lock({ method: 'email', address: 'bob@partner.example' })], {
      payload: Buffer.alloc(PAYLOAD_LIMIT, 7).toString('base64'),
    });
    expect(
      (await server.request('POST', '/api/v1/messages', { body: atLimit, token })).status,
    ).toBe(201);
    expect(await messageCount()).toBe(before + 1);
  });

  it('refuses oversized recipient requests (the ordinary body limit applies to them)', async () => {
    const body = registration([lock({ method: 'email', address: 'bob@partner.example' })]);
    await server.request('POST', '/api/v1/messages', { body, token });
    const big = 'a'.repeat(server.config.limits.bodyBytes + 1);
    const response = await server.request(
      'POST',
      `/api/v1/messages/${body.messageId}/verify/start`,
      {
        body: { address: big },
      },
    );
    expectError(response, 413, 'payload-too-large');
  });

  it('refuses malformed registrations with bad-request and stores nothing', async () => {
    const before = await messageCount();
    const valid = registration([lock({ method: 'email', address: 'bob@partner.example' })]);
    const validLock = valid.locks[0]!;
    const malformed: unknown[] = [
      '{"messageId": ',
      '[]',
      'null',
      { ...valid, messageId: 'not-a-uuid' },
      { ...valid, messageId: valid.messageId.toUpperCase() },
      { ...valid, extra: true },
      { ...valid, locks: [] },
      { ...valid, locks: [{ ...validLock, lockId: 'short' }] },
      { ...valid, locks: [{ ...validLock, method: 'account' }] },
      { ...valid, locks: [{ ...validLock, serverShare: Buffer.alloc(16).toString('base64') }] },
      { ...valid, locks: [{ ...validLock, serverShare: '!'.repeat(43) + '=' }] },
      { ...valid, locks: [{ ...validLock, language: 'xx' }] },
      { ...valid, locks: [{ ...validLock, hidden: 'yes' }] },
      { ...valid, locks: [{ ...validLock, secret: 'x' }] },
      { ...valid, payload: 'not base64!' },
      { ...valid, payload: 'QUJD=' },
      { ...valid, expiresInDays: 0 },
      { ...valid, expiresInDays: 1.5 },
      {
        ...valid,
        locks: Array.from({ length: 501 }, () => lock({ method: 'email', address: 'b@x.example' })),
      },
    ];
    for (const body of malformed) {
      const response = await server.request('POST', '/api/v1/messages', { body, token });
      expect(response.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(response.body).toEqual({
        error: { code: 'bad-request', message: expect.any(String) },
      });
    }
    expect(await messageCount()).toBe(before);
  });

  it('refuses malformed recipient requests with bad-request', async () => {
    const body = registration([
      lock({ method: 'code', address: 'bob@partner.example', accessCode: 'CODE-12' }),
    ]);
    await server.request('POST', '/api/v1/messages', { body, token });
    const base = `/api/v1/messages/${body.messageId}`;
    const recipient = recipientFlow(server, body.messageId, body.locks);
    const handle = await recipient.handleFor(body.locks[0]!.lockId);
    const lockId = body.locks[0]!.lockId;
    const cases: [string, string, unknown][] = [
      ['POST', `${base}/verify/start`, {}],
      ['POST', `${base}/verify/start`, { address: { nested: true } }],
      ['POST', `${base}/verify/start`, '{"address":'],
      ['POST', `${base}/verify/complete`, { handle, code: '' }],
      ['POST', `${base}/verify/complete`, { handle, code: 'x'.repeat(257) }],
      ['POST', `${base}/verify/complete`, { handle: '../../etc', code: 'CODE-12' }],
      ['POST', `${base}/verify/complete`, { handle, code: 'CODE-12', extra: 1 }],
      // The lock id alone is no longer a way in.
      ['POST', `${base}/verify/complete`, { lockId, code: 'CODE-12' }],
      ['POST', `${base}/verify/complete`, { handle, lockId, code: 'CODE-12' }],
      ['POST', `${base}/verify/resend`, { handle: 7 }],
      ['POST', `${base}/verify/resend`, { lockId }],
      ['POST', `/api/v1/messages/not-a-uuid/verify/complete`, { handle, code: 'CODE-12' }],
      ['GET', `/api/v1/messages/'%20or%201=1--/public`, undefined],
    ];
    for (const [method, path, requestBody] of cases) {
      const response = await server.request(
        method,
        path,
        requestBody === undefined ? {} : { body: requestBody },
      );
      expect(response.status, `${method} ${path} ${JSON.stringify(requestBody)}`).toBe(400);
      expect(response.body).toEqual({
        error: { code: 'bad-request', message: expect.any(String) },
      });
    }
    // None of that counted as a try; the right code still opens.
    const right = await recipient.complete(lockId, 'code-12');
    expect(right.body.serverShare).toBe(body.locks[0]!.serverShare);
  });

  it(
    'keeps serving afterwards',
    async () => {
      // Ready needs the reader build too (src/server/readiness.ts).
      ensureReaderBuild();
      expect((await server.request('GET', '/readyz')).status).toBe(200);
    },
    READER_BUILD_TIMEOUT_MS,
  );
});
