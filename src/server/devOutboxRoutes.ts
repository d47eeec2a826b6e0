/**
 * `/dev/outbox` (HTML) and `/api/v1/dev/outbox` (JSON): what the development providers sent.
 * Registered always, answering 404 unless `devOutbox` is on, so production never shows codes.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { DevOutboxResponse } from '../core/serverApi.ts';
import { replyError } from './errors.ts';
import { readOutbox } from './outbox.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export const devOutboxRoutes: FastifyPluginAsync = async (app) => {
  const { config, db } = app.deps;

  app.get('/api/v1/dev/outbox', async (_request, reply) => {
    if (!config.devOutbox) return replyError(reply, 'not-found', 'The development outbox is off.');
    const rows = await readOutbox(db);
    const body: DevOutboxResponse = {
      messages: rows.map((row) => ({
        at: row.at.toISOString(),
        channel: row.channel,
        to: row.recipient,
        text: row.text,
      })),
    };
    return body;
  });

  app.get('/dev/outbox', async (_request, reply) => {
    if (!config.devOutbox) return replyError(reply, 'not-found', 'The development outbox is off.');
    const rows = await readOutbox(db);
    const items = rows
      .map(
        (row) =>
          `<li><time>${escapeHtml(row.at.toISOString())}</time> <b>${row.channel}</b> to ${escapeHtml(row.recipient)}<pre>${escapeHtml(row.text)}</pre></li>`,
      )
      .join('\n');
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(
        `<!doctype html><html lang="en"><meta charset="utf-8"><title>Sealpost development outbox</title>` +
          `<meta http-equiv="refresh" content="5"><style>body{font:14px system-ui;margin:2em}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5em}</style>` +
          `<h1>Development outbox</h1><p>SMS and emails the development providers sent, newest first.</p><ul>${items || '<li>Nothing yet.</li>'}</ul></html>`,
      );
  });
};
