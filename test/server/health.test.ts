import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, startTestServer, type TestServer } from './harness.ts';

describe.each(DATABASE_KINDS)('health and readiness on %s', (kind) => {
  let server: TestServer;
  let folder: string;
  let readerFile: string;
  beforeAll(async () => {
    // A reader build of its own: readiness is checked here, whether or not the checkout is built.
    folder = await mkdtemp(join(tmpdir(), 'sealpost-health-'));
    readerFile = join(folder, 'secure-message.html');
    await writeFile(readerFile, '<!doctype html><title>reader</title>');
    server = await startTestServer(kind, { config: { readerFile } });
  });
  afterAll(async () => {
    await server.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers /healthz', async () => {
    const response = await server.request('GET', '/healthz');
    expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers /readyz once migrated', async () => {
    const response = await server.request('GET', '/readyz');
    expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('is not ready while the reader build is missing, and ready again once it is back', async () => {
    await rm(readerFile);
    const missing = await server.request('GET', '/readyz');
    expect(missing.status).toBe(503);
    expect(missing.body).toEqual({
      error: {
        code: 'unavailable',
        message: 'Not ready: the reader is not installed (run `npm run build`).',
      },
    });
    const id = '0b8f6a52-2c1e-4d6e-9d43-6d8c2f1a7b90';
    expect((await server.request('GET', `/r/${id}`)).status).toBe(503);
    expect((await server.request('GET', '/readyz')).status).toBe(503);
    await writeFile(readerFile, '<!doctype html><title>reader</title>');
    expect(await server.request('GET', '/readyz')).toMatchObject({ status: 200 });
    // The log says when the answer changes, not at every probe; the detail names the file.
    const said = server
      .logLines()
      .filter((line) => ['not ready', 'ready again'].includes(line.msg as string));
    expect(said).toEqual([
      expect.objectContaining({ msg: 'not ready', problems: [`${readerFile} is missing`] }),
      expect.objectContaining({ msg: 'ready again' }),
    ]);
  });

  it('is not ready while the payload store cannot be written, and ready again once it can', async () => {
    const directory = server.config.payloads.directory;
    await rm(directory, { recursive: true, force: true });
    const gone = await server.request('GET', '/readyz');
    expect(gone.status).toBe(503);
    expect(gone.body.error.message).toBe(
      'Not ready: the payload store cannot be written (the cause is in the log).',
    );
    const said = server.logLines().filter((line) => line.msg === 'not ready');
    expect(JSON.stringify(said.at(-1)?.problems)).toContain(`payloads.directory ${directory}`);
    await mkdir(directory, { recursive: true });
    expect(await server.request('GET', '/readyz')).toMatchObject({ status: 200 });
    // The probe leaves nothing behind.
    expect(await readdir(directory)).toEqual([]);
  });

  it('is not ready while the database does not answer', async () => {
    const stopped = await startTestServer(kind, { config: { readerFile } });
    await stopped.db.destroy();
    const response = await stopped.request('GET', '/readyz');
    await stopped.app.close();
    await rm(stopped.config.payloads.directory, { recursive: true, force: true });
    expect(response.status).toBe(503);
    expect(response.body.error.message).toBe('Not ready: the database is not reachable.');
  });

  it('answers unknown routes with the contract error', async () => {
    const response = await server.request('GET', '/api/v1/nothing-here?address=a@example.org');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: 'not-found', message: 'No route GET /api/v1/nothing-here.' },
    });
  });

  it('shows the development outbox as JSON', async () => {
    await server.db
      .insertInto('outbox')
      .values({
        at: server.clock.now(),
        channel: 'sms',
        recipient: '+4915112345678',
        text: 'Code 123456',
      })
      .execute();
    const response = await server.request('GET', '/api/v1/dev/outbox');
    expect(response.status).toBe(200);
    expect(response.body.messages[0]).toEqual({
      at: '2026-03-01T09:00:00.000Z',
      channel: 'sms',
      to: '+4915112345678',
      text: 'Code 123456',
    });
  });
});

describe('CORS only for the reader', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('postgres', {
      config: { publicUrl: 'https://sealpost.example.org' },
    });
  });
  afterAll(() => server.close());

  const preflight = (path: string, origin: string) =>
    fetch(server.baseUrl + path, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it('lets the reader from a file (origin null) and from the server origin call the recipient routes', async () => {
    for (const origin of ['null', 'https://sealpost.example.org']) {
      const response = await preflight(
        '/api/v1/messages/0b8f6a52-2c1e-4d6e-9d43-6d8c2f1a7b90/verify/start',
        origin,
      );
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('refuses other origins and every sender route', async () => {
    const foreign = await preflight(
      '/api/v1/messages/0b8f6a52-2c1e-4d6e-9d43-6d8c2f1a7b90/verify/start',
      'https://evil.test',
    );
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    for (const path of ['/api/v1/auth/start', '/api/v1/directory', '/api/v1/messages']) {
      const response = await preflight(path, 'null');
      expect(response.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });
});
