/**
 * The envelope parser's edges, one field at a time: what it must refuse as damaged, what it must
 * still accept at the limits, and that accepted envelopes carry no field they did not have.
 * (Found by mutation testing: each case fails when its check in envelopeCodec.ts is weakened.)
 */
import { describe, expect, it } from 'vitest';
import {
  ENVELOPE_ELEMENT,
  extractEnvelopeJson,
  parseEnvelope,
  renderReaderHtml,
} from '../../../src/core/envelopeCodec.ts';
import { sampleEnvelope } from './envelopeFixture.ts';

const SHARE = Buffer.alloc(32, 7).toString('base64');
const LOCK_ID = 'rFVd-78_TF1R2nIdb3jfiw';

/** The sample envelope as JSON, with fields replaced (undefined removes one). */
function json(changes: Record<string, unknown> = {}): string {
  const envelope: Record<string, unknown> = { ...sampleEnvelope(), ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete envelope[key];
  return JSON.stringify(envelope);
}

/** A server envelope: one server-protected lock, a server and the mail's share. */
function serverJson(changes: Record<string, unknown> = {}, lock: Record<string, unknown> = {}) {
  return json({
    serverUrl: 'https://sealpost.example.org',
    locks: [{ method: 'sms', language: 'de', id: LOCK_ID, serverProtected: true, ...lock }],
    mailShare: SHARE,
    ...changes,
  });
}

const damaged = { ok: false, reason: 'damaged' };

describe('the envelope parser refuses as damaged', () => {
  const cases: [string, string][] = [
    ['null', 'null'],
    ['an array', '[]'],
    ['a fractional version', json({ version: 1.5 })],
    ['a fractional later version', json({ version: 2.5 })],
    ['a sender that is no object', json({ sender: null })],
    ['a sender with another field', json({ sender: { name: 'A', address: 'a@x', role: 'x' } })],
    ['a sender name that is no text', json({ sender: { name: ['A'], address: 'a@x' } })],
    [
      'a sender name over 998 characters',
      json({ sender: { name: 'n'.repeat(999), address: 'a' } }),
    ],
    [
      'a sender address over 998 characters',
      json({ sender: { name: 'A', address: 'a'.repeat(999) } }),
    ],
    ['one unknown language among known ones', json({ languages: ['de', 'xx'] })],
    [
      '65 locks',
      json({ locks: Array.from({ length: 65 }, () => ({ method: 'code', language: 'de' })) }),
    ],
    ['a payload that is a number', json({ payload: 1234 })],
    ['a lock in an unknown language', json({ locks: [{ method: 'code', language: 'xx' }] })],
    ['a created date with text before it', json({ createdAt: 'x2026-11-27T08:15:30Z' })],
    ['a created date with text after it', json({ createdAt: '2026-11-27T08:15:30Zx' })],
    ['a server address that is no URL', json({ serverUrl: 'not a url' })],
    [
      'a server address over 2048 characters',
      json({ serverUrl: `https://a.example/${'p'.repeat(2031)}` }),
    ],
    ['a server address that is not http(s)', json({ serverUrl: 'ftp://sealpost.example.org' })],
    ['a lock id that is a number', serverJson({}, { id: 1234567890123456 })],
    ['a lock id with a bad start', serverJson({}, { id: `!!${LOCK_ID}` })],
    ['a lock id with a bad end', serverJson({}, { id: `${LOCK_ID}!!` })],
    ['a share of 45 characters', serverJson({ mailShare: `A${SHARE}` })],
    ['a share with two padding characters', serverJson({ mailShare: `${'A'.repeat(42)}==` })],
    ['a share without padding', serverJson({ mailShare: 'A'.repeat(44) })],
    ['a share that is not base64', serverJson({ mailShare: `${'*'.repeat(43)}=` })],
  ];
  for (const [what, text] of cases) {
    it(what, () => {
      expect(parseEnvelope(text)).toEqual(damaged);
    });
  }
});

describe('the envelope parser accepts at the limits', () => {
  it('64 locks, 998-character texts, a date without fractions, an http server on 2048 characters', () => {
    const serverUrl = `http://127.0.0.1:8787/${'p'.repeat(2048 - 22)}`;
    expect(serverUrl).toHaveLength(2048);
    const parsed = parseEnvelope(
      json({
        locks: Array.from({ length: 64 }, () => ({ method: 'code', language: 'de' })),
        sender: { name: 'n'.repeat(998), address: 'a'.repeat(998) },
        createdAt: '2026-11-27T08:15:30Z',
        serverUrl,
      }),
    );
    expect(parsed.ok).toBe(true);
  });

  it('carries the share and lock ids it was given, and no field it was not', () => {
    const withShare = parseEnvelope(serverJson());
    if (!withShare.ok) throw new Error('expected the server envelope to parse');
    expect(withShare.envelope.mailShare).toBe(SHARE);
    expect(withShare.envelope.locks[0]).toEqual({
      method: 'sms',
      language: 'de',
      id: LOCK_ID,
      serverProtected: true,
    });
    expect(Object.hasOwn(withShare.envelope.locks[0]!, 'hint')).toBe(false);

    const plain = parseEnvelope(json());
    if (!plain.ok) throw new Error('expected the sample envelope to parse');
    expect(Object.hasOwn(plain.envelope, 'mailShare')).toBe(false);
    const [, second] = plain.envelope.locks;
    expect(Object.hasOwn(second!, 'id')).toBe(false);
    expect(Object.hasOwn(second!, 'hint')).toBe(false);
  });
});

describe('the reader file', () => {
  it('may start with the envelope element', () => {
    const template = `${ENVELOPE_ELEMENT}<p>reader</p>`;
    const html = renderReaderHtml(template, sampleEnvelope()).join('');
    expect(parseEnvelope(extractEnvelopeJson(html)!).ok).toBe(true);
  });

  it('writes the share only when there is one', () => {
    const shared = renderReaderHtml(ENVELOPE_ELEMENT, { ...sampleEnvelope(), mailShare: SHARE });
    expect(shared.join('')).toContain(`"mailShare":"${SHARE}"`);
    expect(renderReaderHtml(ENVELOPE_ELEMENT, sampleEnvelope()).join('')).not.toContain(
      'mailShare',
    );
  });

  it('is found however the element is written, and trimmed', () => {
    const body = '{"x":1}';
    for (const element of [
      `<script id = "sealpost-envelope" type="application/json">\n  ${body}\n</script >`,
      `<script type="application/json" id=sealpost-envelope>${body}</script>`,
      `<SCRIPT id='sealpost-envelope' data-x="1">${body}</SCRIPT>`,
    ]) {
      expect(extractEnvelopeJson(`<html>${element}</html>`), element).toBe(body);
    }
  });

  it('is absent when the element is empty or still holds the placeholder', () => {
    expect(extractEnvelopeJson('<script id="sealpost-envelope">   </script>')).toBeNull();
    expect(extractEnvelopeJson(ENVELOPE_ELEMENT)).toBeNull();
    expect(extractEnvelopeJson('<p>no reader</p>')).toBeNull();
  });
});
