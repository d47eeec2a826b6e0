import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../../src/server/app.ts';
import { DEFAULT_CONFIG } from '../../../src/server/config.ts';

/** A server logger writing into memory, as the server's own is configured. */
function capturedLogger() {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = Fastify({ logger: loggerOptions({ config: DEFAULT_CONFIG, logStream }) });
  return { log: app.log, text: () => lines.join('') };
}

describe('the server log', () => {
  it("keeps an error's own code (a database error's SQLSTATE) visible", () => {
    const { log, text } = capturedLogger();
    const error = Object.assign(new Error('duplicate key'), { code: '23505' });
    log.error({ err: error }, 'request failed');
    const line = JSON.parse(text()) as { err: { errorCode: string; message: string } };
    expect(line.err).toMatchObject({ errorCode: '23505', message: 'duplicate key' });
  });

  it('redacts codes, tokens, shares and phone numbers wherever they appear', () => {
    const { log, text } = capturedLogger();
    log.info(
      {
        code: '482913',
        nested: { token: 'tok-SECRET', serverShare: 'c2hhcmU=', phone: '+4915123' },
      },
      'verification',
    );
    const written = text();
    for (const secret of ['482913', 'tok-SECRET', 'c2hhcmU=', '+4915123']) {
      expect(written).not.toContain(secret);
    }
    expect(written).toContain('[redacted]');
  });
});
