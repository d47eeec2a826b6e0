/**
 * Version 2 of the envelope (link delivery, docs/envelope.md §9): `payloadLink` instead of
 * `payload`, only to the envelope's own server, with the payload's size and SHA-256.
 */
import { describe, expect, it } from 'vitest';
import type { LinkedEnvelope } from '../../../src/core/envelope.ts';
import {
  extractEnvelopeJson,
  linkedEnvelopeJson,
  parseEnvelope,
} from '../../../src/core/envelopeCodec.ts';
import { isLinkedEnvelope } from '../../../src/core/envelope.ts';
import { SAMPLE_TEMPLATE, sampleEnvelope } from './envelopeFixture.ts';

const SERVER = 'https://sealpost.example.org';
const MESSAGE_ID = '5b0f7c1e-2d4a-4f7b-9a51-0c6e8d2f3a41';
const LINK = {
  url: `${SERVER}/api/v1/messages/${MESSAGE_ID}/payload`,
  bytes: 48_213_007,
  sha256: 'a3f1c2'.padEnd(64, '0'),
};

/** A valid version-2 envelope as JSON, with fields replaced (undefined removes one). */
function json(changes: Record<string, unknown> = {}): string {
  const envelope: Record<string, unknown> = {
    ...sampleEnvelope({ serverUrl: SERVER }),
    payload: undefined,
    messageId: MESSAGE_ID,
    version: 2,
    payloadLink: LINK,
    ...changes,
  };
  for (const [key, value] of Object.entries(envelope))
    if (value === undefined) delete envelope[key];
  return JSON.stringify(envelope);
}

const damaged = { ok: false, reason: 'damaged' };

describe('a version-2 envelope', () => {
  it('parses with its link, and is told apart from version 1', () => {
    const parsed = parseEnvelope(json());
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(isLinkedEnvelope(parsed.envelope)).toBe(true);
    expect(parsed.envelope).toMatchObject({ version: 2, serverUrl: SERVER, payloadLink: LINK });
    expect(parsed.envelope).not.toHaveProperty('payload');
    const inline = parseEnvelope(JSON.stringify(sampleEnvelope()));
    expect(inline.ok && isLinkedEnvelope(inline.envelope)).toBe(false);
  });

  it('accepts a server URL with or without its trailing slash', () => {
    expect(parseEnvelope(json({ serverUrl: `${SERVER}/` })).ok).toBe(true);
  });

  it('round-trips through the reader file, the link written last', () => {
    const parsed = parseEnvelope(json());
    if (!parsed.ok || !isLinkedEnvelope(parsed.envelope)) throw new Error('expected version 2');
    const written = linkedEnvelopeJson({ ...parsed.envelope, extra: 'dropped' } as LinkedEnvelope);
    expect(Object.keys(JSON.parse(written)).at(-1)).toBe('payloadLink');
    const file = SAMPLE_TEMPLATE.replace('SEALPOST_ENVELOPE', written);
    expect(parseEnvelope(extractEnvelopeJson(file) ?? '')).toEqual(parsed);
  });

  const refused: [string, Record<string, unknown>][] = [
    ['an unknown field', { note: 'hi' }],
    ['an unknown field in the link', { payloadLink: { ...LINK, note: 'hi' } }],
    ['a payload as well', { payload: 'AAAA' }],
    ['no link', { payloadLink: undefined }],
    ['a link that is not an object', { payloadLink: LINK.url }],
    ['no server', { serverUrl: null }],
    ['a link to another server', { payloadLink: { ...LINK, url: 'https://evil.example/p' } }],
    [
      'a link to a server whose name only starts like it',
      { payloadLink: { ...LINK, url: `${SERVER}.evil.example/api/v1/messages/x/payload` } },
    ],
    ['a link that is no http(s) URL', { serverUrl: 'ftp://s.example', payloadLink: LINK }],
    ['upper-case hex', { payloadLink: { ...LINK, sha256: LINK.sha256.toUpperCase() } }],
    ['a short hash', { payloadLink: { ...LINK, sha256: LINK.sha256.slice(1) } }],
    ['a hash that is not hex', { payloadLink: { ...LINK, sha256: 'g'.repeat(64) } }],
    ['no size', { payloadLink: { url: LINK.url, sha256: LINK.sha256 } }],
    ['a size of 0', { payloadLink: { ...LINK, bytes: 0 } }],
    ['a negative size', { payloadLink: { ...LINK, bytes: -1 } }],
    ['a fractional size', { payloadLink: { ...LINK, bytes: 1.5 } }],
    ['a size as text', { payloadLink: { ...LINK, bytes: '1000' } }],
    ['an unsafe size', { payloadLink: { ...LINK, bytes: 2 ** 53 } }],
  ];
  it.each(refused)('with %s is damaged', (_name, changes) => {
    expect(parseEnvelope(json(changes))).toEqual(damaged);
  });

  it('version 1 with a link instead of its payload is damaged', () => {
    expect(parseEnvelope(json({ version: 1 }))).toEqual(damaged);
  });

  it('version 3 is an unsupported version, whatever it carries', () => {
    expect(parseEnvelope(json({ version: 3 }))).toEqual({
      ok: false,
      reason: 'unsupported-version',
    });
  });
});
