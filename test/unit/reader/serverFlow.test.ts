/**
 * The reader's server flow without a browser: the fetch wrapper, the hosted envelope and the
 * state machine's mapping of every server answer to what the recipient is told. `fetch` is
 * replaced by a recorder; the real server is exercised by test/e2e/reader-server.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReaderEnvelope } from '../../../src/reader/unlock.ts';
import { loadHostedEnvelope, mailShareFromHash } from '../../../src/reader/hostedMessage.ts';
import { ReaderState, usesServer } from '../../../src/reader/readerState.svelte.ts';
import { callServer } from '../../../src/reader/serverClient.ts';

const SHARE = Buffer.alloc(32, 7).toString('base64');
const MESSAGE_ID = '0b6c1d52-8a4e-4f55-9b8e-3f1f0e7b6a21';

interface Recorded {
  url: string;
  init: RequestInit;
}

/** Replaces fetch with one answering `answers` in turn; returns what was asked. */
function fakeFetch(...answers: Array<{ status: number; body: unknown } | Error>): Recorded[] {
  const calls: Recorded[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const answer = answers.shift();
    if (!answer) throw new Error('unexpected request');
    if (answer instanceof Error) throw answer;
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(text, { status: answer.status });
  });
  return calls;
}

function apiError(code: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message: code, ...extra } };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('mailShareFromHash', () => {
  it('takes a 32-byte base64 share from the fragment, percent-encoded or not', () => {
    expect(mailShareFromHash(`#${SHARE}`)).toBe(SHARE);
    expect(mailShareFromHash(`#${encodeURIComponent(SHARE)}`)).toBe(SHARE);
  });

  it('refuses a missing, short, malformed or badly escaped share', () => {
    expect(mailShareFromHash('')).toBeNull();
    expect(mailShareFromHash('#')).toBeNull();
    expect(mailShareFromHash(`#${Buffer.alloc(16).toString('base64')}`)).toBeNull();
    expect(mailShareFromHash('#not base64 at all!')).toBeNull();
    expect(mailShareFromHash('#%E0%A4%A')).toBeNull();
  });
});

describe('callServer', () => {
  it('POSTs JSON to the message route without cookies or referrer, and returns the answer', async () => {
    const calls = fakeFetch({ status: 200, body: { lockId: 'l1' } });
    const result = await callServer('https://s.example/', 'a/b', '/verify/start', { address: 'x' });
    expect(result).toEqual({ ok: true, value: { lockId: 'l1' } });
    expect(calls[0]?.url).toBe('https://s.example/api/v1/messages/a%2Fb/verify/start');
    expect(calls[0]?.init).toMatchObject({
      method: 'POST',
      body: JSON.stringify({ address: 'x' }),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    });
  });

  it('GETs without a body', async () => {
    const calls = fakeFetch({ status: 200, body: { payload: 'AA==' } });
    await callServer('https://s.example', MESSAGE_ID, '/payload');
    expect(calls[0]?.init.method).toBe('GET');
    expect(calls[0]?.init.body).toBeUndefined();
  });

  it('returns the contract error with its details', async () => {
    fakeFetch({ status: 403, body: apiError('wrong-code', { attemptsLeft: 2 }) });
    expect(await callServer('https://s.example', MESSAGE_ID, '/verify/complete', {})).toEqual({
      ok: false,
      code: 'wrong-code',
      message: 'wrong-code',
      attemptsLeft: 2,
    });
  });

  it('calls anything else unreachable: network failure, HTML error pages, JSON without a code', async () => {
    fakeFetch(
      new TypeError('Failed to fetch'),
      { status: 502, body: '<html>Bad gateway</html>' },
      { status: 500, body: { oops: true } },
    );
    for (let index = 0; index < 3; index++) {
      expect(await callServer('https://s.example', MESSAGE_ID, '/public')).toEqual({
        ok: false,
        code: 'unreachable',
      });
    }
  });
});

describe('loadHostedEnvelope', () => {
  const described = {
    messageId: MESSAGE_ID,
    state: 'active',
    expiresAt: '2026-12-01T00:00:00.000Z',
    hasPayload: true,
    sender: { name: 'Alice', address: 'alice@example.org' },
    locks: [{ method: 'sms', hint: 'b•••@partner.example' }],
  };

  it('builds a server envelope from the description, the payload and the fragment share', async () => {
    fakeFetch({ status: 200, body: described }, { status: 200, body: { payload: 'AAAA' } });
    const result = await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.envelope).toMatchObject({
      messageId: MESSAGE_ID,
      serverUrl: 'https://s.example',
      sender: described.sender,
      mailShare: SHARE,
      payload: 'AAAA',
    });
    expect(result.envelope.locks).toEqual([
      { method: 'sms', hint: 'b•••@partner.example', language: 'en', serverProtected: true },
    ]);
    expect(usesServer(result.envelope)).toBe(true);
  });

  it('a Bcc copy lists no lock at all, and still asks for the address', async () => {
    fakeFetch(
      { status: 200, body: { ...described, locks: [] } },
      { status: 200, body: { payload: 'AAAA' } },
    );
    const result = await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE);
    if (!result.ok) throw new Error('expected an envelope');
    expect(result.envelope.locks).toEqual([]);
    expect(usesServer(result.envelope)).toBe(true);
  });

  it('says revoked or expired from the description, without fetching the payload', async () => {
    const calls = fakeFetch({ status: 200, body: { ...described, state: 'revoked' } });
    expect(await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE)).toEqual({
      ok: false,
      reason: 'revoked',
    });
    expect(calls).toHaveLength(1);
  });

  it('maps an unknown message to a broken link and a failing server to unavailable', async () => {
    fakeFetch({ status: 404, body: apiError('not-found') });
    expect(await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE)).toEqual({
      ok: false,
      reason: 'link',
    });
    fakeFetch({ status: 200, body: described }, { status: 503, body: apiError('unavailable') });
    expect(await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE)).toEqual({
      ok: false,
      reason: 'unavailable',
    });
  });
});

describe('ReaderState with server locks', () => {
  const envelope: ReaderEnvelope = {
    format: 'sealpost-envelope',
    version: 1,
    messageId: MESSAGE_ID,
    createdAt: '2026-11-27T09:00:00.000Z',
    serverUrl: 'https://s.example',
    sender: { name: 'Alice', address: 'alice@example.org' },
    languages: ['en'],
    locks: [{ method: 'sms', id: 'lock-sms-000000001', serverProtected: true, language: 'en' }],
    mailShare: SHARE,
    payload: 'AAAA',
  };
  const started = {
    handle: 'H'.repeat(43),
    lockId: 'lock-sms-000000001',
    method: 'sms',
    sentTo: '+49 ••• •••• 89',
    codeExpiresAt: '2026-11-27T09:10:00.000Z',
  };
  const locked = () => new ReaderState({ kind: 'locked', envelope, fatal: null }, 'en');

  it('asks the server with the trimmed address and keeps where the code went', async () => {
    const calls = fakeFetch({ status: 200, body: started });
    const reader = locked();
    await reader.verify('  bob@partner.example ');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ address: 'bob@partner.example' });
    expect(reader.verification).toEqual(started);
    expect(reader.retry).toBeNull();
  });

  it('explains each answer: unknown address, throttle, wrong code with tries left, expired code', async () => {
    const reader = locked();
    fakeFetch({ status: 404, body: apiError('not-found') });
    await reader.verify('mallory@partner.example');
    expect(reader.retryText()).toBe('This message was not sent to this address.');

    fakeFetch(
      { status: 200, body: started },
      { status: 429, body: apiError('rate-limited', { retryAfterSeconds: 42 }) },
    );
    await reader.verify('bob@partner.example');
    await reader.resend();
    expect(reader.retryText()).toBe('Wait 42 seconds, then try again.');

    fakeFetch({ status: 403, body: apiError('wrong-code', { attemptsLeft: 3 }) });
    await reader.unlock('000000');
    expect(reader.retryText()).toBe('Wrong code. Attempts left: 3.');

    fakeFetch({ status: 410, body: apiError('code-expired') });
    await reader.unlock('111111');
    expect(reader.retry).toBe('code-expired');

    // The last wrong try of a sent code: asking for a new code is the only way on.
    fakeFetch({ status: 403, body: apiError('wrong-code', { attemptsLeft: 0 }) });
    await reader.unlock('222222');
    expect(reader.retryText()).toBe('The code has expired. Request a new one.');
    expect(reader.screen).toMatchObject({ kind: 'locked', fatal: null });
  });

  it('ends the flow for locked, revoked and expired, and retries when unreachable', async () => {
    for (const code of ['locked', 'revoked', 'expired'] as const) {
      const reader = locked();
      fakeFetch({ status: 410, body: apiError(code) });
      await reader.verify('bob@partner.example');
      expect(reader.screen).toMatchObject({ kind: 'locked', fatal: code });
    }
    const reader = locked();
    fakeFetch(new TypeError('Failed to fetch'));
    await reader.verify('bob@partner.example');
    expect(reader.retry).toBe('unavailable');
    expect(reader.screen).toMatchObject({ fatal: null });
  });

  it('sends the handle, never the lock id, with the code and with a resend', async () => {
    const calls = fakeFetch(
      { status: 200, body: started },
      { status: 200, body: started },
      { status: 403, body: apiError('wrong-code', { attemptsLeft: 4 }) },
    );
    const reader = locked();
    await reader.verify('bob@partner.example');
    await reader.resend();
    await reader.unlock('123456');
    expect(calls.map((call) => call.url.replace(/^.*\/verify\//, ''))).toEqual([
      'start',
      'resend',
      'complete',
    ]);
    expect(JSON.parse(String(calls[1]?.init.body))).toEqual({ handle: started.handle });
    expect(JSON.parse(String(calls[2]?.init.body))).toEqual({
      handle: started.handle,
      code: '123456',
    });
  });

  it('goes back to the address step when the handle has ended', async () => {
    fakeFetch({ status: 200, body: started }, { status: 404, body: apiError('not-found') });
    const reader = locked();
    await reader.verify('bob@partner.example');
    await reader.unlock('123456');
    expect(reader.verification).toBeNull();
    expect(reader.retry).toBe('start-again');
    expect(reader.retryText()).toMatch(/Type your address again/);
    expect(reader.screen).toMatchObject({ kind: 'locked', fatal: null });
  });

  it('sends nothing for an empty code', async () => {
    const calls = fakeFetch();
    const reader = locked();
    await reader.unlock('   ');
    expect(reader.retry).toBe('empty-code');
    expect(calls).toEqual([]);
  });
});
