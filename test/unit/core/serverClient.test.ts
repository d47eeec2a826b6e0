import { describe, expect, it } from 'vitest';
import {
  createServerClient,
  validateServerUrl,
  type FetchFunction,
} from '../../../src/core/serverClient.ts';

interface Seen {
  url: string;
  init: RequestInit;
}

/** A fake `fetch` answering from a function, remembering what it was asked. */
function fakeFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fetch: FetchFunction = async (url, init) => {
    seen.push({ url, init });
    return answer(url, init);
  };
  return { fetch, seen };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('server client', () => {
  it('sends the bearer token and JSON body, and returns the typed answer', async () => {
    const { fetch, seen } = fakeFetch(() =>
      json(200, {
        messageId: 'm1',
        expiresAt: '2026-12-27T00:00:00Z',
        readerUrl: 'https://s/r/m1',
      }),
    );
    const client = createServerClient({ baseUrl: 'https://s.example/', token: 'tok', fetch });
    const result = await client.registerMessage({ messageId: 'm1', locks: [] });
    expect(result).toEqual({
      ok: true,
      value: { messageId: 'm1', expiresAt: '2026-12-27T00:00:00Z', readerUrl: 'https://s/r/m1' },
    });
    expect(seen[0]?.url).toBe('https://s.example/api/v1/messages');
    expect(seen[0]?.init.method).toBe('POST');
    expect((seen[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(JSON.parse(String(seen[0]?.init.body))).toEqual({ messageId: 'm1', locks: [] });
  });

  it('turns an API error into a value with the server code and attempts left', async () => {
    const { fetch } = fakeFetch(() =>
      json(403, { error: { code: 'forbidden', message: 'Not your domain', attemptsLeft: 2 } }),
    );
    const result = await createServerClient({ baseUrl: 'https://s', fetch }).signInStart('a@b');
    expect(result).toEqual({
      ok: false,
      code: 'forbidden',
      message: 'Not your domain',
      status: 403,
      attemptsLeft: 2,
    });
  });

  it('reports a network error as unavailable', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('NetworkError when attempting to fetch resource.');
    });
    const result = await createServerClient({ baseUrl: 'https://s', fetch }).me();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('unavailable');
    expect(result.message).toContain('NetworkError');
  });

  it('gives up after the timeout and reports unavailable', async () => {
    const { fetch } = fakeFetch(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    const result = await createServerClient({ baseUrl: 'https://s', fetch, timeoutMs: 20 }).me();
    expect(result).toMatchObject({ ok: false, code: 'unavailable' });
    if (!result.ok) expect(result.message).toMatch(/did not answer/);
  });

  it('treats a 5xx page that is not JSON as unavailable, and an unreadable 200 too', async () => {
    const proxy = fakeFetch(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
    expect(
      await createServerClient({ baseUrl: 'https://s', fetch: proxy.fetch }).me(),
    ).toMatchObject({ ok: false, code: 'unavailable', status: 502 });
    const garbage = fakeFetch(() => json(200, { something: 'else' }));
    expect(
      await createServerClient({ baseUrl: 'https://s', fetch: garbage.fetch }).me(),
    ).toMatchObject({ ok: false, code: 'unavailable' });
  });

  it('asks the directory for several addresses in one query and keeps valid entries only', async () => {
    const entry = {
      address: 'bob@partner.example',
      method: 'org-code',
      phone: null,
      orgCode: 'ABC123',
      language: null,
      updatedAt: '2026-11-27T08:00:00Z',
      updatedBy: 'carol@example.test',
    };
    const { fetch, seen } = fakeFetch(() => json(200, { entries: [entry, { nonsense: true }] }));
    const client = createServerClient({ baseUrl: 'https://s', token: 't', fetch });
    const result = await client.directory(['bob@partner.example', 'x+y@p.example']);
    expect(result).toEqual({ ok: true, value: [entry] });
    expect(seen[0]?.url).toBe(
      'https://s/api/v1/directory?address=bob%40partner.example&address=x%2By%40p.example',
    );
    expect(await client.directory([])).toEqual({ ok: true, value: [] });
    expect(seen).toHaveLength(1);
  });

  it('reads the directory entry of a PUT whether bare or wrapped as { entry }', async () => {
    const entry = {
      address: 'bob@partner.example',
      method: 'org-code',
      phone: null,
      orgCode: 'TEAM-4711',
      language: null,
      updatedAt: '2026-11-27T08:00:00Z',
      updatedBy: 'alice@example.test',
    };
    const wrapped = fakeFetch(() => json(200, { entry, changedFields: ['orgCode'] }));
    const client = createServerClient({ baseUrl: 'https://s', token: 't', fetch: wrapped.fetch });
    expect(await client.updateDirectory('bob@partner.example', { orgCode: 'TEAM-4711' })).toEqual({
      ok: true,
      value: entry,
    });
    expect(wrapped.seen[0]?.url).toBe('https://s/api/v1/directory/bob%40partner.example');
    expect(wrapped.seen[0]?.init.method).toBe('PUT');
    const bare = fakeFetch(() => json(200, entry));
    expect(
      await createServerClient({ baseUrl: 'https://s', fetch: bare.fetch }).updateDirectory(
        'b',
        {},
      ),
    ).toEqual({ ok: true, value: entry });
  });

  it('signs out with no body and accepts 204', async () => {
    const { fetch, seen } = fakeFetch(() => new Response(null, { status: 204 }));
    const result = await createServerClient({ baseUrl: 'https://s', token: 't', fetch }).signOut();
    expect(result).toEqual({ ok: true, value: null });
    expect(seen[0]?.init.body).toBeUndefined();
  });
});

describe('validateServerUrl', () => {
  it('accepts https and local http, trimming a trailing slash', () => {
    expect(validateServerUrl(' https://sealpost.example.org/ ')).toEqual({
      ok: true,
      url: 'https://sealpost.example.org',
    });
    expect(validateServerUrl('http://127.0.0.1:8787')).toEqual({
      ok: true,
      url: 'http://127.0.0.1:8787',
    });
    expect(validateServerUrl('http://localhost:8787/sealpost/')).toEqual({
      ok: true,
      url: 'http://localhost:8787/sealpost',
    });
  });

  it('refuses plain http elsewhere, other schemes, credentials and garbage', () => {
    expect(validateServerUrl('http://sealpost.example.org')).toEqual({
      ok: false,
      reason: 'insecure',
    });
    expect(validateServerUrl('ftp://s.example')).toEqual({ ok: false, reason: 'invalid' });
    expect(validateServerUrl('https://user:pw@s.example')).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(validateServerUrl('https://s.example/?a=1')).toEqual({ ok: false, reason: 'invalid' });
    expect(validateServerUrl('not a url')).toEqual({ ok: false, reason: 'invalid' });
  });
});
