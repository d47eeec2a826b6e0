/**
 * The reader's server flow without a browser: the fetch wrapper, the hosted envelope and the
 * state machine's mapping of every server answer to what the recipient is told. `fetch` is
 * replaced by a recorder; the real server is exercised by test/e2e/reader-server.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReaderEnvelope } from '../../../src/reader/unlock.ts';
import {
  languageFromLink,
  loadHostedEnvelope,
  mailShareFromHash,
} from '../../../src/reader/hostedMessage.ts';
import { ReaderState, usesServer } from '../../../src/reader/readerState.svelte.ts';
import { ONE_TIME_CODE_DIGITS, replyProblemKey } from '../../../src/reader/readerProblems.ts';
import { ONE_TIME_CODE_DIGITS as SERVER_ONE_TIME_CODE_DIGITS } from '../../../src/server/messages/secrets.ts';
import { callServer } from '../../../src/reader/serverClient.ts';
import {
  DEVICES_KEY,
  rememberDevice,
  rememberedDevices,
  type DeviceStorage,
} from '../../../src/reader/rememberedDevices.ts';

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

describe('languageFromLink', () => {
  it("takes the notification section's language from the link, and nothing else", () => {
    expect(languageFromLink('?lang=de')).toBe('de');
    expect(languageFromLink('?x=1&lang=it')).toBe('it');
    expect(languageFromLink('?lang=xx')).toBeNull();
    expect(languageFromLink('?lang=DE')).toBeNull();
    expect(languageFromLink('')).toBeNull();
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
    const calls = fakeFetch({ status: 200, body: { state: 'active' } });
    await callServer('https://s.example', MESSAGE_ID, '/public');
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

  it('builds a server envelope from the description and the fragment share; the payload waits', async () => {
    const calls = fakeFetch({ status: 200, body: described });
    const result = await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE);
    expect(calls.map((call) => call.url)).toEqual([
      `https://s.example/api/v1/messages/${MESSAGE_ID}/public`,
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.envelope).toMatchObject({
      messageId: MESSAGE_ID,
      serverUrl: 'https://s.example',
      sender: described.sender,
      mailShare: SHARE,
      hostedPayloadUrl: `https://s.example/api/v1/messages/${MESSAGE_ID}/payload`,
    });
    expect(result.envelope).not.toHaveProperty('payload');
    expect(result.envelope.locks).toEqual([
      { method: 'sms', hint: 'b•••@partner.example', language: 'en', serverProtected: true },
    ]);
    expect(usesServer(result.envelope)).toBe(true);
  });

  it('carries the remembered-browser offer and the reply key when the server gives them', async () => {
    fakeFetch({
      status: 200,
      body: { ...described, rememberDevice: { days: 30 }, replyKey: 'S0VZ' },
    });
    const offered = await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE);
    if (!offered.ok) throw new Error('expected an envelope');
    expect(offered.envelope.rememberDevice).toEqual({ days: 30 });
    expect(offered.envelope.replyKey).toBe('S0VZ');
    fakeFetch({ status: 200, body: { ...described, rememberDevice: null } });
    const plain = await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE);
    if (!plain.ok) throw new Error('expected an envelope');
    expect(plain.envelope).not.toHaveProperty('rememberDevice');
    expect(plain.envelope).not.toHaveProperty('replyKey');
  });

  it('a Bcc copy lists no lock at all, and still asks for the address', async () => {
    fakeFetch({ status: 200, body: { ...described, locks: [] } });
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

  it('maps an unknown message to a broken link, a failing server to a server error, no answer to unavailable', async () => {
    fakeFetch({ status: 404, body: apiError('not-found') });
    expect(await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE)).toEqual({
      ok: false,
      reason: 'link',
    });
    for (const [status, code] of [
      [503, 'unavailable'],
      [500, 'internal'],
    ] as const) {
      fakeFetch({ status, body: apiError(code) });
      expect(await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE)).toEqual({
        ok: false,
        reason: 'server-error',
      });
    }
    fakeFetch(new TypeError('Failed to fetch'));
    expect(await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE)).toEqual({
      ok: false,
      reason: 'unavailable',
    });
  });

  it('says at once when the server holds no payload for the message (too large, upload unfinished)', async () => {
    const calls = fakeFetch({ status: 200, body: { ...described, hasPayload: false } });
    expect(await loadHostedEnvelope('https://s.example', MESSAGE_ID, SHARE)).toEqual({
      ok: false,
      reason: 'not-hosted',
    });
    expect(calls).toHaveLength(1);
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

  it('checks the address in the page: empty or malformed is said as such, and the server is not asked', async () => {
    const calls = fakeFetch();
    const reader = locked();
    await reader.verify('   ');
    expect(reader.retry).toBe('empty-address');
    expect(reader.retryText()).toBe('Please enter your email address.');
    for (const typed of ['bob', 'bob@', '@partner.example', 'bob partner@example.org']) {
      await reader.verify(typed);
      expect(reader.retry, typed).toBe('invalid-address');
    }
    expect(reader.retryText()).toBe('Check your email address: it looks like name@example.org.');
    expect(calls).toEqual([]);
  });

  it('says what the server could not do, never "not sent to this address" for a refused input', async () => {
    const reader = locked();
    fakeFetch({ status: 400, body: apiError('bad-request') });
    await reader.verify('bob@partner.example');
    expect(reader.retry).toBe('rejected');
    for (const [status, code] of [
      [500, 'internal'],
      [503, 'unavailable'],
      [401, 'unauthorized'],
    ] as const) {
      fakeFetch({ status, body: apiError(code) });
      await reader.verify('bob@partner.example');
      expect(reader.retry, code).toBe('server-error');
      expect(reader.retryText()).toBe(
        'The server could not do this just now. Try again in a few minutes.',
      );
    }
    // An access code (nothing was sent) the server refuses as malformed.
    const accessCode = { ...started, method: 'org-code', sentTo: null, codeExpiresAt: null };
    fakeFetch({ status: 200, body: accessCode }, { status: 400, body: apiError('bad-request') });
    await reader.verify('bob@partner.example');
    await reader.unlock('x'.repeat(300));
    expect(reader.retry).toBe('rejected');
    expect(reader.verification).toEqual(accessCode);
  });

  it('checks a sent code in the page: not its six digits spends no try on the server', async () => {
    const calls = fakeFetch(
      { status: 200, body: started },
      { status: 403, body: apiError('wrong-code', { attemptsLeft: 4 }) },
    );
    const reader = locked();
    await reader.verify('bob@partner.example');
    for (const typed of ['12345', '1234567', '12345a', 'abcdef']) {
      await reader.unlock(typed);
      expect(reader.retry, typed).toBe('code-digits');
    }
    expect(reader.retryText()).toBe('The code has 6 digits.');
    expect(calls).toHaveLength(1);
    // Spaces and dashes are left out, as the server does.
    await reader.unlock(' 123-456 ');
    expect(calls).toHaveLength(2);
    expect(reader.retry).toBe('wrong-code');
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

  it('"I don\'t have the code" sends the handle and says the sender was told', async () => {
    const calls = fakeFetch(
      { status: 200, body: started },
      { status: 200, body: { senderToldAt: '2026-11-27T09:05:00.000Z' } },
    );
    const reader = locked();
    await reader.verify('bob@partner.example');
    await reader.noCode();
    expect(calls[1]?.url).toBe(`https://s.example/api/v1/messages/${MESSAGE_ID}/verify/no-code`);
    expect(JSON.parse(String(calls[1]?.init.body))).toEqual({ handle: started.handle });
    expect(reader.senderToldAt).toBe('2026-11-27T09:05:00.000Z');
    expect(reader.retry).toBeNull();
  });

  it('"I don\'t have the code" asked too often says when to try again', async () => {
    fakeFetch(
      { status: 200, body: started },
      { status: 429, body: apiError('rate-limited', { retryAfterSeconds: 3600 }) },
    );
    const reader = locked();
    await reader.verify('bob@partner.example');
    await reader.noCode();
    expect(reader.senderToldAt).toBeNull();
    expect(reader.retryText()).toBe('Wait 3600 seconds, then try again.');
  });
});

describe('ReaderState with remembered browsers', () => {
  // Opening waits for a paint before Argon2; there is no browser here.
  beforeEach(() => {
    vi.stubGlobal('requestAnimationFrame', (paint: () => void) => setTimeout(paint, 0));
  });

  const envelope: ReaderEnvelope = {
    format: 'sealpost-envelope',
    version: 1,
    messageId: MESSAGE_ID,
    createdAt: '2026-11-27T09:00:00.000Z',
    serverUrl: 'https://s.example',
    sender: { name: 'Alice', address: 'alice@example.org' },
    languages: ['en'],
    serverOnly: true,
    rememberDevice: { days: 30 },
    locks: [{ method: 'sms', serverProtected: true, language: 'en' }],
    mailShare: SHARE,
    payload: 'AAAA',
  };
  const started = (method: string) => ({
    handle: 'H'.repeat(43),
    lockId: 'lock-000000000001',
    method,
    sentTo: method === 'sms' ? '+49 ••• •••• 89' : null,
    codeExpiresAt: null,
  });
  const future = '2099-01-01T00:00:00.000Z';
  const device = (id: string, address: string) => ({
    deviceId: id,
    secret: `secret-${id}`,
    address,
    expiresAt: future,
  });

  function memoryStorage(): DeviceStorage & { map: Map<string, string> } {
    const map = new Map<string, string>();
    return {
      map,
      getItem: (key) => map.get(key) ?? null,
      setItem: (key, value) => void map.set(key, value),
      removeItem: (key) => void map.delete(key),
    };
  }
  function reader(storage: DeviceStorage | null, shown: ReaderEnvelope = envelope) {
    const state = new ReaderState({ kind: 'locked', envelope: shown, fatal: null }, 'en');
    state.deviceStorage = storage;
    return state;
  }

  it('offers remembering only for sms/email locks, on a page that may keep it, when allowed', () => {
    expect(reader(memoryStorage()).canRememberDevice('sms')).toBe(true);
    expect(reader(memoryStorage()).canRememberDevice('email')).toBe(true);
    expect(reader(memoryStorage()).canRememberDevice('code')).toBe(false);
    expect(reader(memoryStorage()).canRememberDevice('org-code')).toBe(false);
    expect(reader(null).canRememberDevice('sms')).toBe(false);
    const notOffered: ReaderEnvelope = { ...envelope };
    delete notOffered.rememberDevice;
    expect(reader(memoryStorage(), notOffered).canRememberDevice('sms')).toBe(false);
  });

  it('asks to remember only when ticked, and keeps the device the server gives', async () => {
    const storage = memoryStorage();
    const calls = fakeFetch(
      { status: 200, body: started('sms') },
      { status: 403, body: apiError('wrong-code', { attemptsLeft: 4 }) },
      {
        status: 200,
        body: { serverShare: SHARE, device: device('d1', 'bob@partner.example') },
      },
    );
    const state = reader(storage);
    await state.verify('bob@partner.example');
    await state.unlock('000000');
    expect(JSON.parse(String(calls[1]?.init.body))).not.toHaveProperty('rememberDevice');
    state.rememberThisDevice = true;
    await state.unlock('123456');
    expect(JSON.parse(String(calls[2]?.init.body))).toMatchObject({ rememberDevice: true });
    expect(rememberedDevices(storage, Date.now()).map((kept) => kept.deviceId)).toEqual(['d1']);
  });

  it('never asks to remember for an access code, even when ticked', async () => {
    const calls = fakeFetch(
      { status: 200, body: started('code') },
      { status: 403, body: apiError('wrong-code', { attemptsLeft: 9 }) },
    );
    const state = reader(memoryStorage());
    state.rememberThisDevice = true;
    await state.verify('bob@partner.example');
    await state.unlock('ABCDEF');
    expect(JSON.parse(String(calls[1]?.init.body))).not.toHaveProperty('rememberDevice');
  });

  it('tries remembered devices newest first: forgets a refused one, keeps one for another address', async () => {
    const storage = memoryStorage();
    rememberDevice(storage, device('other', 'carol@partner.example'));
    rememberDevice(storage, device('gone', 'dave@partner.example'));
    rememberDevice(storage, device('bob', 'bob@partner.example'));
    const calls = fakeFetch(
      { status: 403, body: apiError('forbidden') },
      { status: 404, body: apiError('not-found') },
      { status: 404, body: apiError('not-found') },
    );
    // 'bob' is refused (removed on the server); the other two are not on this message.
    const state = reader(storage);
    await state.openWithRememberedDevice();
    expect(calls.map((call) => JSON.parse(String(call.init.body)))).toEqual([
      { deviceId: 'bob', secret: 'secret-bob' },
      { deviceId: 'gone', secret: 'secret-gone' },
      { deviceId: 'other', secret: 'secret-other' },
    ]);
    expect(calls[0]?.url).toBe(`https://s.example/api/v1/messages/${MESSAGE_ID}/verify/device`);
    expect(rememberedDevices(storage, Date.now()).map((kept) => kept.deviceId)).toEqual([
      'gone',
      'other',
    ]);
    expect(state.openedWithDevice).toBeNull();
    expect(state.screen).toMatchObject({ kind: 'locked', fatal: null });
    expect(state.retry).toBeNull();
  });

  it('stops at a locked lock, and opens with the released share (a damaged payload here)', async () => {
    const storage = memoryStorage();
    rememberDevice(storage, device('bob', 'bob@partner.example'));
    fakeFetch({ status: 423, body: apiError('locked', { retryAfterSeconds: 900 }) });
    const lockedOut = reader(storage);
    await lockedOut.openWithRememberedDevice();
    expect(lockedOut.screen).toMatchObject({ fatal: 'locked' });

    fakeFetch({
      status: 200,
      body: { lockId: 'lock-000000000001', method: 'sms', serverShare: SHARE, replyToken: 'R' },
    });
    const opened = reader(storage);
    await opened.openWithRememberedDevice();
    // The payload 'AAAA' is no OpenPGP message: the share was taken and the payload tried.
    expect(opened.screen).toMatchObject({ fatal: 'damaged' });
    expect(opened.openedWithDevice?.deviceId).toBe('bob');
    expect(opened.recipientAddress).toBe('bob@partner.example');
    expect(opened.replyToken).toBe('R');
  });

  it('does nothing without storage or without devices', async () => {
    const calls = fakeFetch();
    await reader(null).openWithRememberedDevice();
    await reader(memoryStorage()).openWithRememberedDevice();
    expect(calls).toEqual([]);
  });

  it('forgetting the device removes it here at once and tells the server its secret', async () => {
    const storage = memoryStorage();
    rememberDevice(storage, device('bob', 'bob@partner.example'));
    const calls = fakeFetch(
      {
        status: 200,
        body: { lockId: 'lock-000000000001', method: 'sms', serverShare: SHARE },
      },
      { status: 204, body: '' },
    );
    const state = reader(storage);
    await state.openWithRememberedDevice();
    await state.forgetThisDevice('https://s.example');
    expect(calls[1]?.url).toBe('https://s.example/api/v1/devices/forget');
    expect(JSON.parse(String(calls[1]?.init.body))).toEqual({
      deviceId: 'bob',
      secret: 'secret-bob',
    });
    expect(storage.map.has(DEVICES_KEY)).toBe(false);
    expect(state.deviceForgotten).toBe(true);
    // Once is enough: a second press sends nothing.
    await state.forgetThisDevice('https://s.example');
    expect(calls).toHaveLength(2);
  });
});

describe('replyProblemKey', () => {
  it('explains an ended message, a lost connection and a failing server, else "not sent"', () => {
    expect(replyProblemKey('expired')).toBe('reader.error.expired');
    expect(replyProblemKey('revoked')).toBe('reader.error.revoked');
    expect(replyProblemKey('unreachable')).toBe('reader.error.unavailable');
    expect(replyProblemKey('internal')).toBe('reader.error.server-error');
    expect(replyProblemKey('unavailable')).toBe('reader.error.server-error');
    expect(replyProblemKey('forbidden')).toBe('reader.reply.failed');
  });
});

describe('ONE_TIME_CODE_DIGITS', () => {
  it("is the server's", () => {
    expect(ONE_TIME_CODE_DIGITS).toBe(SERVER_ONE_TIME_CODE_DIGITS);
  });
});
