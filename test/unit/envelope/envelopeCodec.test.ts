import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  ENVELOPE_ELEMENT,
  base64AsciiFromBytes,
  base64AsciiLength,
  base64FromBytes,
  bytesFromBase64,
  createBase64BlobEncoder,
  extractEnvelopeJson,
  parseEnvelope,
  renderReaderHtml,
} from '../../../src/core/envelopeCodec.ts';
import { SAMPLE_TEMPLATE, sampleEnvelope } from './envelopeFixture.ts';

describe('base64', () => {
  it('matches Node for every length around the group and chunk edges', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 56, 57, 58, 49151, 49152, 49153, 200_000]) {
      const bytes = new Uint8Array(randomBytes(length));
      const text = base64FromBytes(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.from(bytesFromBase64(text)!).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('encodes a stream pushed in chunks of any size to the same base64 as one piece', async () => {
    const bytes = new Uint8Array(randomBytes(9_000_001));
    for (const chunkSizes of [[1], [2], [5, 1, 7], [65_536], [1_000_003, 1], [786_432]]) {
      const encoder = createBase64BlobEncoder();
      let offset = 0;
      for (let index = 0; offset < bytes.length; index++) {
        const size = chunkSizes[index % chunkSizes.length]!;
        encoder.push(bytes.subarray(offset, offset + size));
        offset += size;
        if (size < 8 && offset > 3000) {
          encoder.push(bytes.subarray(offset)); // the rest in one go; tiny chunks are slow
          offset = bytes.length;
        }
      }
      const encoded = encoder.end();
      expect(encoded.size).toBe(base64AsciiLength(bytes.length));
      expect(await encoded.text()).toBe(Buffer.from(bytes).toString('base64'));
    }
    expect((await createBase64BlobEncoder().end().text()).length).toBe(0);
  });

  it('encodes the tail of 1 and 2 bytes with padding, and refuses bytes after the end', async () => {
    for (const length of [1, 2, 4, 5]) {
      const bytes = new Uint8Array(randomBytes(length));
      const encoder = createBase64BlobEncoder();
      for (const byte of bytes) encoder.push(Uint8Array.of(byte));
      const encoded = encoder.end();
      expect(await encoded.text()).toBe(Buffer.from(bytes).toString('base64'));
      expect(() => encoder.push(Uint8Array.of(1, 2, 3))).toThrow(/after end/);
    }
  });

  it('breaks MIME base64 into 76-character CRLF lines', () => {
    const bytes = new Uint8Array(randomBytes(1000));
    const text = new TextDecoder().decode(base64AsciiFromBytes(bytes, 76));
    expect(text).toBe(
      Buffer.from(bytes)
        .toString('base64')
        .replace(/.{76}(?=.)/g, '$&\r\n'),
    );
    expect(new TextDecoder().decode(base64AsciiFromBytes(new Uint8Array(57), 76))).not.toContain(
      '\r\n',
    );
  });

  it('returns null for anything but padded standard base64', () => {
    for (const bad of [
      'A',
      'AB',
      'ABC',
      'AB=C',
      'AB C',
      'AB\nCD==',
      '-_AA',
      'ÄÄÄÄ',
      'AA==AA==',
      'AB==',
      'ABC=',
      '====',
    ]) {
      expect(bytesFromBase64(bad), JSON.stringify(bad)).toBeNull();
    }
    expect(Array.from(bytesFromBase64('AA==')!)).toEqual([0]);
    expect(Array.from(bytesFromBase64('AAE=')!)).toEqual([0, 1]);
    expect(Array.from(bytesFromBase64('')!)).toEqual([]);
  });
});

describe('renderReaderHtml / extractEnvelopeJson / parseEnvelope', () => {
  it('round-trips an envelope through the reader file', () => {
    const envelope = sampleEnvelope({
      payload: base64FromBytes(new Uint8Array(randomBytes(5000))),
    });
    const parts = renderReaderHtml(SAMPLE_TEMPLATE, envelope);
    expect(parts).toContain(envelope.payload); // the payload is its own part, never concatenated
    const html = parts.join('');
    expect(
      html.startsWith(SAMPLE_TEMPLATE.slice(0, SAMPLE_TEMPLATE.indexOf(ENVELOPE_ELEMENT))),
    ).toBe(true);
    expect(html).not.toContain('SEALPOST_ENVELOPE');
    const json = extractEnvelopeJson(html);
    expect(json).not.toBeNull();
    expect(parseEnvelope(json!)).toEqual({ ok: true, envelope });
  });

  it('refuses a template without the element, or with it twice', () => {
    expect(() => renderReaderHtml('<html></html>', sampleEnvelope())).toThrow(/exactly once/);
    expect(() => renderReaderHtml(SAMPLE_TEMPLATE + ENVELOPE_ELEMENT, sampleEnvelope())).toThrow(
      /exactly once/,
    );
    expect(() =>
      renderReaderHtml(SAMPLE_TEMPLATE, sampleEnvelope({ payload: 'not base64!' })),
    ).toThrow(/base64/);
  });

  it('extracts nothing from a page without an envelope or with the bare template', () => {
    expect(extractEnvelopeJson('<html><body>hello</body></html>')).toBeNull();
    expect(extractEnvelopeJson(SAMPLE_TEMPLATE)).toBeNull();
  });

  it('parses an envelope with a server URL and no hints', () => {
    const envelope = sampleEnvelope({
      serverUrl: 'https://sealpost.example.org/',
      locks: [
        { method: 'code', language: 'fr' },
        { method: 'sender-key', language: 'fr' },
      ],
      languages: ['fr'],
    });
    expect(parseEnvelope(JSON.stringify(envelope))).toEqual({ ok: true, envelope });
  });

  it('reports other versions as unsupported-version', () => {
    // Version 2 is link delivery (linkedEnvelope.test.ts); 3 is still to come.
    expect(parseEnvelope(JSON.stringify({ ...sampleEnvelope(), version: 3 }))).toEqual({
      ok: false,
      reason: 'unsupported-version',
    });
    expect(
      parseEnvelope(JSON.stringify({ format: 'sealpost-envelope', version: 7, anything: true })),
    ).toEqual({
      ok: false,
      reason: 'unsupported-version',
    });
  });

  const damagedCases: [string, unknown][] = [
    ['not JSON', 'not json'],
    ['an array', []],
    ['another format', { ...sampleEnvelope(), format: 'other' }],
    ['version 0', { ...sampleEnvelope(), version: 0 }],
    ['version as text', { ...sampleEnvelope(), version: '1' }],
    ['an unknown field', { ...sampleEnvelope(), extra: 1 }],
    ['a missing field', (({ serverUrl: _serverUrl, ...rest }) => rest)(sampleEnvelope())],
    ['an empty message id', { ...sampleEnvelope(), messageId: '' }],
    ['a bad date', { ...sampleEnvelope(), createdAt: 'yesterday' }],
    ['a javascript: server URL', { ...sampleEnvelope(), serverUrl: 'javascript:alert(1)' }],
    ['a sender without address', { ...sampleEnvelope(), sender: { name: 'A' } }],
    ['no languages', { ...sampleEnvelope(), languages: [] }],
    ['an unknown language', { ...sampleEnvelope(), languages: ['xx'] }],
    ['duplicate languages', { ...sampleEnvelope(), languages: ['de', 'de'] }],
    ['no locks', { ...sampleEnvelope(), locks: [] }],
    [
      'an unknown lock method',
      { ...sampleEnvelope(), locks: [{ method: 'magic', language: 'en' }] },
    ],
    [
      'a lock with an extra field',
      { ...sampleEnvelope(), locks: [{ method: 'code', language: 'en', address: 'bcc@x' }] },
    ],
    [
      'a lock hint that is a number',
      { ...sampleEnvelope(), locks: [{ method: 'code', language: 'en', hint: 5 }] },
    ],
    [
      'too many locks',
      {
        ...sampleEnvelope(),
        locks: Array.from({ length: 65 }, () => ({ method: 'code', language: 'en' })),
      },
    ],
    ['a payload that is not base64', { ...sampleEnvelope(), payload: 'AB C' }],
    ['an empty payload', { ...sampleEnvelope(), payload: '' }],
  ];
  for (const [name, value] of damagedCases) {
    it(`reports ${name} as damaged`, () => {
      const json = typeof value === 'string' ? value : JSON.stringify(value);
      expect(parseEnvelope(json)).toEqual({ ok: false, reason: 'damaged' });
    });
  }

  it('reports a __proto__ key as damaged and does not pollute prototypes', () => {
    const json = JSON.stringify(sampleEnvelope()).replace('{', '{"__proto__":{"polluted":true},');
    expect(parseEnvelope(json)).toEqual({ ok: false, reason: 'damaged' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
