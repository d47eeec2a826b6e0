import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  buildOriginalMime,
  parseMailbox,
  streamOriginalMime,
  type OriginalMessage,
} from '../../../src/core/mime/buildMime.ts';
import { parseOriginalMime } from '../../../src/core/mime/parseMime.ts';
import { bytesOf } from '../../helpers/blobBytes.ts';

function baseMessage(overrides: Partial<OriginalMessage> = {}): OriginalMessage {
  return {
    messageId: '<3f1c9a52-0b7e-4d2a-9f51-6c1d2e3f4a5b@sealpost>',
    date: new Date('2026-11-27T08:15:30Z'),
    from: { name: 'Jürgen Müller-Łukasiewicz', address: 'juergen@example.test' },
    to: ['Zoë Ångström <zoe@partner.example>', 'plain@partner.example'],
    cc: ['"Ça va, Ünal" <unal@other.example>'],
    subject: 'Grüße aus Köln — 会议纪要 🎉 ' + 'with a rather long tail '.repeat(5),
    body: { kind: 'plain', text: 'Hallo Zoë,\r\nanbei die Unterlagen.\r\n--\r\nJürgen ✓' },
    attachments: [],
    ...overrides,
  };
}

describe('MIME round trip (buildOriginalMime -> parseOriginalMime)', () => {
  it('keeps unicode subject, names, addresses, date and a plain body', async () => {
    const message = baseMessage();
    const parsed = await parseOriginalMime(buildOriginalMime(message));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.from).toBe('Jürgen Müller-Łukasiewicz <juergen@example.test>');
    expect(parsed.to).toEqual(['Zoë Ångström <zoe@partner.example>', 'plain@partner.example']);
    expect(parsed.cc).toEqual(['Ça va, Ünal <unal@other.example>']);
    expect(parsed.date).toBe('2026-11-27T08:15:30.000Z');
    expect(parsed.text?.replace(/\r\n/g, '\n').trim()).toBe(
      'Hallo Zoë,\nanbei die Unterlagen.\n--\nJürgen ✓',
    );
    expect(parsed.html).toBeNull();
    expect(parsed.attachments).toEqual([]);
  });

  it('keeps an HTML body with its plain-text alternative', async () => {
    const html = '<p>Grüße <b>fett</b> &amp; <a href="https://x.example/">Link</a> 🎉</p>';
    const parsed = await parseOriginalMime(
      buildOriginalMime(
        baseMessage({ body: { kind: 'html', html, text: 'Grüße fett & Link 🎉' } }),
      ),
    );
    expect(parsed.html?.trim()).toBe(html);
    expect(parsed.text?.trim()).toBe('Grüße fett & Link 🎉');
  });

  it('carries several binary attachments of several MB byte for byte, with unicode names', async () => {
    const attachments = [
      {
        name: 'Scan Überweisung (März).pdf',
        contentType: 'application/pdf',
        bytes: new Uint8Array(randomBytes(3_000_001)),
      },
      {
        name: '写真 "quoted" \\ back.jpg',
        contentType: 'image/jpeg',
        bytes: new Uint8Array(randomBytes(2_500_002)),
      },
      { name: 'empty.txt', contentType: 'text/plain', bytes: new Uint8Array(0) },
      {
        name: 'one-byte.bin',
        contentType: 'application/octet-stream',
        bytes: new Uint8Array([0xff]),
      },
      // Looks like the builder's internal marker; must still be just a name.
      {
        name: '<<sealpost-attachment-0>>',
        contentType: 'text/plain',
        bytes: new Uint8Array([1, 2]),
      },
    ];
    const message = baseMessage({ body: { kind: 'html', html: '<p>Anhänge</p>' }, attachments });
    const parsed = await parseOriginalMime(buildOriginalMime(message));
    expect(parsed.attachments.map((attachment) => attachment.name)).toEqual(
      attachments.map((a) => a.name),
    );
    expect(parsed.attachments.map((attachment) => attachment.contentType)).toEqual([
      'application/pdf',
      'image/jpeg',
      'text/plain',
      'application/octet-stream',
      'text/plain',
    ]);
    for (const [index, attachment] of attachments.entries()) {
      const back = await bytesOf(parsed.attachments[index]!.content);
      expect(back.length).toBe(attachment.bytes.length);
      expect(Buffer.from(back).equals(Buffer.from(attachment.bytes))).toBe(true);
    }
  });

  it('writes CRLF line ends, 76-column base64, and never a Bcc header', async () => {
    const bytes = buildOriginalMime(
      baseMessage({
        attachments: [
          {
            name: 'a.bin',
            contentType: 'application/octet-stream',
            bytes: new Uint8Array(randomBytes(1000)),
          },
        ],
      }),
    );
    const text = new TextDecoder().decode(bytes);
    expect(text).not.toMatch(/(?<!\r)\n/);
    expect(text).not.toMatch(/^bcc:/im);
    for (const line of text.split('\r\n')) {
      if (/^[A-Za-z0-9+/=]+$/.test(line)) expect(line.length).toBeLessThanOrEqual(76);
    }
    expect(Array.from(bytes).every((byte) => byte < 0x80)).toBe(true);
  });

  it('refuses values that could inject headers', () => {
    expect(() =>
      buildOriginalMime(baseMessage({ to: ['evil@x.example\r\nBcc: spy@x.example'] })),
    ).toThrow();
    expect(() => buildOriginalMime(baseMessage({ messageId: '<a@b>\r\nX-Evil: 1' }))).toThrow();
    expect(() =>
      buildOriginalMime(baseMessage({ from: { name: 'A', address: 'not an address' } })),
    ).toThrow();
  });

  it('falls back to application/octet-stream for a malformed content type', async () => {
    const parsed = await parseOriginalMime(
      buildOriginalMime(
        baseMessage({
          attachments: [
            {
              name: 'x.bin',
              contentType: 'text/plain\r\nX-Evil: 1',
              bytes: new Uint8Array([1, 2, 3]),
            },
          ],
        }),
      ),
    );
    expect(parsed.attachments[0]?.contentType).toBe('application/octet-stream');
    expect(Array.from(await bytesOf(parsed.attachments[0]!.content))).toEqual([1, 2, 3]);
  });

  it('parses the address forms Thunderbird gives', () => {
    expect(parseMailbox('Bob <bob@x.example>')).toEqual({ name: 'Bob', addr: 'bob@x.example' });
    expect(parseMailbox('"Doe, Jane" <jane@x.example>')).toEqual({
      name: 'Doe, Jane',
      addr: 'jane@x.example',
    });
    expect(parseMailbox(' plain@x.example ')).toEqual({ addr: 'plain@x.example' });
    expect(parseMailbox('<only@x.example>')).toEqual({ addr: 'only@x.example' });
  });

  it('streams exactly the bytes buildOriginalMime builds, with the size known up front', async () => {
    const message = streamingMessage();
    const { size, stream } = streamOriginalMime(message);
    const chunks = await collectChunks(stream);
    const streamed = Buffer.concat(chunks);
    expect(streamed.length).toBe(size);
    expect(chunks.length).toBeGreaterThan(4);
    const built = buildOriginalMime(message);
    expect(sameBoundaries(streamed, built)).toBe(Buffer.from(built).toString('latin1'));
    const parsed = await parseOriginalMime(new Uint8Array(streamed));
    for (const [index, attachment] of message.attachments.entries()) {
      expect(
        Buffer.from(await bytesOf(parsed.attachments[index]!.content)).equals(
          Buffer.from(attachment.bytes as Uint8Array),
        ),
      ).toBe(true);
    }
  });

  it('streams Blob attachments (as Thunderbird gives Files) to the same bytes, a slice at a time', async () => {
    const message = streamingMessage();
    const sliced: number[] = [];
    const asFiles = {
      ...message,
      attachments: message.attachments.map((attachment) => {
        const file = new File([attachment.bytes as Uint8Array<ArrayBuffer>], attachment.name);
        const slice = file.slice.bind(file);
        file.slice = (start?: number, end?: number) => {
          sliced.push((end ?? file.size) - (start ?? 0));
          return slice(start, end);
        };
        return { ...attachment, bytes: file };
      }),
    };
    const { size, stream } = streamOriginalMime(asFiles);
    const streamed = Buffer.concat(await collectChunks(stream));
    expect(streamed.length).toBe(size);
    const built = buildOriginalMime(message);
    expect(sameBoundaries(streamed, built)).toBe(Buffer.from(built).toString('latin1'));
    // Never read whole: the two large files come in several slices of at most one chunk.
    expect(Math.max(...sliced)).toBe(57 * 16 * 1024);
    expect(sliced.length).toBeGreaterThanOrEqual(5);
    expect(() => buildOriginalMime(asFiles)).toThrow(/must be bytes/);
  });

  it('errors the stream when an attachment cannot be read', async () => {
    const broken = new Blob([new Uint8Array(100)]);
    broken.slice = () => {
      throw new Error('file gone');
    };
    const { stream } = streamOriginalMime(
      baseMessage({
        attachments: [{ name: 'gone.bin', contentType: 'application/octet-stream', bytes: broken }],
      }),
    );
    await expect(collectChunks(stream)).rejects.toThrow('file gone');
  });
});

function streamingMessage() {
  const bytesPerChunk = 57 * 16 * 1024;
  return baseMessage({
    body: { kind: 'html', html: '<p>Ströme</p>', text: 'Ströme' },
    attachments: [
      {
        name: 'exact.bin',
        contentType: 'application/octet-stream',
        bytes: new Uint8Array(randomBytes(2 * bytesPerChunk)),
      },
      {
        name: 'Größer.bin',
        contentType: 'application/octet-stream',
        bytes: new Uint8Array(randomBytes(2 * bytesPerChunk + 5)),
      },
      { name: 'small.txt', contentType: 'text/plain', bytes: new Uint8Array(randomBytes(100)) },
    ],
  });
}

async function collectChunks(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks;
}

/** `streamed` as text with its random MIME boundaries replaced by those of `built`. */
function sameBoundaries(streamed: Uint8Array, built: Uint8Array): string {
  const boundaries = (text: string) =>
    [...text.matchAll(/boundary=(\S+)/g)].map((match) => match[1]!);
  let streamedText = Buffer.from(streamed).toString('latin1');
  const builtBoundaries = boundaries(Buffer.from(built).toString('latin1'));
  const streamedBoundaries = boundaries(streamedText);
  expect(streamedBoundaries).toHaveLength(builtBoundaries.length);
  for (const [index, boundary] of streamedBoundaries.entries()) {
    streamedText = streamedText.split(boundary).join(builtBoundaries[index]!);
  }
  return streamedText;
}
