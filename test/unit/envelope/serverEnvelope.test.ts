import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../../src/core/envelopeCodec.ts';

/** An envelope with server-protected locks, as the add-on writes it with a server. */
function serverEnvelope(): Record<string, unknown> {
  return {
    format: 'sealpost-envelope',
    version: 1,
    messageId: '0b8f6a0e-1111-4222-8333-444455556666',
    createdAt: '2026-11-27T09:00:01.000Z',
    serverUrl: 'https://sealpost.example.org',
    sender: { name: 'Alice', address: 'alice@example.test' },
    languages: ['en'],
    locks: [
      {
        method: 'sms',
        hint: 'b•••@partner.example',
        language: 'en',
        id: 'rFVd-78_TF1R2nIdb3jfiw',
        serverProtected: true,
      },
      { method: 'email', language: 'en', id: 'UoeV7t2c9z7It9VZlVMr8Q', serverProtected: true },
      { method: 'sender-key', language: 'en' },
    ],
    mailShare: 'q'.repeat(43) + '=',
    payload: 'wW0GIQa0',
  };
}

const parse = (value: unknown) => parseEnvelope(JSON.stringify(value));

describe('parseEnvelope with server-protected locks', () => {
  it('reads the mail share, lock ids and the server flag', () => {
    const parsed = parse(serverEnvelope());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.envelope.mailShare).toBe('q'.repeat(43) + '=');
    expect(parsed.envelope.locks[0]).toEqual({
      method: 'sms',
      hint: 'b•••@partner.example',
      language: 'en',
      id: 'rFVd-78_TF1R2nIdb3jfiw',
      serverProtected: true,
    });
    expect(parsed.envelope.locks[2]).toEqual({ method: 'sender-key', language: 'en' });
  });

  it.each([
    ['a server lock without the mail share', (e: Record<string, unknown>) => delete e.mailShare],
    ['a mail share of the wrong size', (e: Record<string, unknown>) => (e.mailShare = 'AAAA')],
    ['server locks without a server', (e: Record<string, unknown>) => (e.serverUrl = null)],
    [
      'a server lock without an id',
      (e: Record<string, unknown>) => delete (e.locks as Record<string, unknown>[])[1]!.id,
    ],
    [
      'serverProtected other than true',
      (e: Record<string, unknown>) =>
        ((e.locks as Record<string, unknown>[])[1]!.serverProtected = 'yes'),
    ],
    [
      'a server-protected sender key',
      (e: Record<string, unknown>) =>
        Object.assign((e.locks as Record<string, unknown>[])[2]!, {
          id: 'AAAAAAAAAAAAAAAAAAAAAA',
          serverProtected: true,
        }),
    ],
    [
      'two locks with one id',
      (e: Record<string, unknown>) =>
        ((e.locks as Record<string, unknown>[])[1]!.id = 'rFVd-78_TF1R2nIdb3jfiw'),
    ],
    [
      'an id with other characters',
      (e: Record<string, unknown>) =>
        ((e.locks as Record<string, unknown>[])[1]!.id = '<script>alert(1)</script>'),
    ],
  ])('refuses %s as damaged', (_name, damage) => {
    const envelope = serverEnvelope();
    damage(envelope);
    expect(parse(envelope)).toEqual({ ok: false, reason: 'damaged' });
  });

  it('refuses a mail share when no lock is server-protected', () => {
    const envelope = serverEnvelope();
    envelope.locks = [{ method: 'sender-key', language: 'en' }];
    expect(parse(envelope)).toEqual({ ok: false, reason: 'damaged' });
    delete envelope.mailShare;
    expect(parse(envelope).ok).toBe(true);
  });
});
