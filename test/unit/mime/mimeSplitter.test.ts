/**
 * The streaming MIME parser (mimeSplitter.ts + parseOriginalMimeStream) against postal-mime on
 * the whole message: whatever the chunking, line ends or encodings, the result must be the same.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { buildOriginalMime, type OriginalMessage } from '../../../src/core/mime/buildMime.ts';
import { MimeTooLargeError, parseOriginalMimeStream } from '../../../src/core/mime/parseMime.ts';
import { splitMime } from '../../../src/core/mime/mimeSplitter.ts';

const ascii = new TextEncoder();

function message(attachments: OriginalMessage['attachments']): OriginalMessage {
  return {
    messageId: '<1b2c3d4e@sealpost>',
    date: new Date('2026-11-27T08:15:30Z'),
    from: { name: 'Jürgen Müller', address: 'juergen@example.test' },
    to: ['Zoë <zoe@partner.example>'],
    cc: [],
    subject: 'Grüße — 会议',
    body: { kind: 'html', html: '<p>Hallo Zoë</p>', text: 'Hallo Zoë\r\n--\r\nJürgen' },
    attachments,
  };
}

const SMALL = buildOriginalMime(
  message([
    { name: 'Überweisung.pdf', contentType: 'application/pdf', bytes: bytes(0, 1, 2, 250, 255) },
    { name: 'empty.txt', contentType: 'text/plain', bytes: new Uint8Array(0) },
    { name: 'one.bin', contentType: 'application/octet-stream', bytes: bytes(7) },
  ]),
);

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]!);
      else controller.close();
    },
  });
}

function cut(whole: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets)].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, whole.length]) {
    chunks.push(whole.slice(start, point));
    start = point;
  }
  return chunks;
}

/** What the reader shows, from postal-mime on the whole message. */
async function reference(whole: Uint8Array) {
  const email = await PostalMime.parse(whole, { attachmentEncoding: 'arraybuffer' });
  return {
    subject: email.subject ?? '',
    text: email.text ?? null,
    html: email.html ?? null,
    attachments: email.attachments.map((attachment) => [
      attachment.filename,
      attachment.mimeType,
      [...new Uint8Array(attachment.content as ArrayBuffer)],
    ]),
  };
}

async function streamed(chunks: Uint8Array[], maxBufferedBytes?: number) {
  const parsed = await parseOriginalMimeStream(streamOf(chunks), maxBufferedBytes);
  return {
    subject: parsed.subject,
    text: parsed.text,
    html: parsed.html,
    attachments: await Promise.all(
      parsed.attachments.map(async (attachment) => [
        attachment.name,
        attachment.contentType,
        [...new Uint8Array(await attachment.content.arrayBuffer())],
      ]),
    ),
  };
}

/** The splitter's output with its random marker made fixed, to compare two chunkings. */
async function splitOf(chunks: Uint8Array[]) {
  const split = await splitMime(streamOf(chunks), { maxBufferedBytes: 1 << 20 });
  return {
    // Markers are written in base64; their random part is replaced.
    skeleton: new TextDecoder('latin1')
      .decode(split.skeleton)
      .replace(new RegExp(`^${btoa(split.markerPrefix.slice(0, 21))}[A-Za-z0-9+/=]+$`, 'gm'), 'M'),
    contents: await Promise.all(
      split.contents.map(async (pieces) => [
        ...new Uint8Array(await new Blob(pieces).arrayBuffer()),
      ]),
    ),
  };
}

/** Cut in two at every offset, the splitter's output is the same as for the whole. */
async function expectSameAtEveryCut(whole: Uint8Array) {
  const expected = await splitOf([whole]);
  // The line end before a boundary belongs to the delimiter, not to the part before it.
  expect(expected.skeleton).not.toMatch(/\r\r/);
  for (let offset = 1; offset < whole.length; offset++) {
    expect(await splitOf(cut(whole, [offset])), `cut at ${offset}`).toEqual(expected);
  }
}

async function expectSameAsPostalMime(whole: Uint8Array, chunks: Uint8Array[] = [whole]) {
  const expected = await reference(whole);
  expect(await streamed(chunks)).toEqual(expected);
  return expected;
}

describe('streaming MIME parser', () => {
  it('gives postal-mime’s result for the message whole', async () => {
    const expected = await expectSameAsPostalMime(SMALL);
    expect(expected.attachments.map(([name]) => name)).toEqual([
      'Überweisung.pdf',
      'empty.txt',
      'one.bin',
    ]);
  });

  it('gives the same result with the message cut in two at every offset', async () => {
    await expectSameAtEveryCut(SMALL);
    await expectSameAtEveryCut(withBareLineFeeds(SMALL));
  });

  it('gives the same result one byte at a time', async () => {
    const chunks = Array.from(SMALL, (byte) => bytes(byte));
    expect(await streamed(chunks)).toEqual(await reference(SMALL));
  });

  it('gives the same result for any attachments, chunking and line ends (property)', async () => {
    const attachment = fc.record({
      name: fc.string({ minLength: 1, maxLength: 12 }),
      contentType: fc.constantFrom('application/octet-stream', 'image/png', 'text/plain'),
      bytes: fc.uint8Array({ maxLength: 400 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(attachment, { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (attachments, offsets, bareLineFeeds) => {
          let whole = buildOriginalMime(message(attachments));
          if (bareLineFeeds) whole = withBareLineFeeds(whole);
          const chunks = cut(
            whole,
            offsets.map((offset) => offset % whole.length),
          );
          expect(await streamed(chunks)).toEqual(await reference(whole));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('opens a message that is not multipart', async () => {
    const whole = ascii.encode(
      'From: a@example.test\r\nSubject: =?utf-8?B?R3LDvMOfZQ==?=\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n\r\nJust text.\r\n',
    );
    const expected = await expectSameAsPostalMime(whole, cut(whole, [3, 40, 41, 80]));
    expect(expected.subject).toBe('Grüße');
  });

  it('opens attachments not in base64, a preamble, padding after a boundary and an epilogue', async () => {
    const whole = ascii.encode(
      [
        'From: a@example.test',
        'Subject: mixed',
        'Content-Type: multipart/mixed;',
        ' boundary="b0"',
        '',
        'This is a preamble --b0 not at a line start.',
        '--b0  ',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Body line',
        '--b0x is not a boundary',
        '--b0',
        'Content-Type: text/csv; name="a.csv"',
        'Content-Disposition: attachment; filename="a.csv"',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'x=3D1,y=3D2',
        '--b0',
        'Content-Type: application/octet-stream',
        'Content-Disposition: attachment; filename="=?utf-8?B?w7xiZXIuYmlu?="',
        'Content-Transfer-Encoding: base64',
        '',
        'AAEC',
        '/w==',
        '--b0--',
        'An epilogue nobody reads.',
        '',
      ].join('\r\n'),
    );
    const expected = await expectSameAsPostalMime(whole);
    expect(expected.text?.trim()).toBe('Body line\n--b0x is not a boundary');
    expect(expected.attachments).toEqual([
      // postal-mime ends a quoted-printable part with a line feed.
      ['a.csv', 'text/csv', [...ascii.encode('x=1,y=2\n')]],
      ['über.bin', 'application/octet-stream', [0, 1, 2, 255]],
    ]);
    await expectSameAtEveryCut(whole);
  });

  it('keeps base64 attachments out of the buffered bytes, decoded into Blob pieces', async () => {
    const content = Uint8Array.from({ length: 100_000 }, (_, index) => (index * 7) % 256);
    const whole = buildOriginalMime(
      message([{ name: 'big.bin', contentType: 'application/octet-stream', bytes: content }]),
    );
    // Far less than the attachment's 137 KB of base64: it must stream past the cap.
    const parsed = await parseOriginalMimeStream(streamOf(cut(whole, [5000, 9000])), 8192);
    const back = new Uint8Array(await parsed.attachments[0]!.content.arrayBuffer());
    expect(back).toEqual(content);
    expect(parsed.attachments[0]!.content.type).toBe('application/octet-stream');

    const split = await splitMime(streamOf([whole]), {
      maxBufferedBytes: 8192,
      blobPieceBytes: 30_000,
    });
    expect(split.contents[0]!.map((piece) => piece.size)).toEqual([30_000, 30_000, 30_000, 10_000]);
    expect(split.skeleton.length).toBeLessThan(2000);
  });

  it('refuses a message whose buffered part exceeds the cap', async () => {
    const whole = ascii.encode(
      `Subject: long\r\nContent-Type: text/plain\r\n\r\n${'text '.repeat(4000)}\r\n`,
    );
    await expect(parseOriginalMimeStream(streamOf([whole]), 8192)).rejects.toThrow(
      MimeTooLargeError,
    );
  });
});

function withBareLineFeeds(whole: Uint8Array): Uint8Array {
  return ascii.encode(new TextDecoder('latin1').decode(whole).replace(/\r\n/g, '\n'));
}
