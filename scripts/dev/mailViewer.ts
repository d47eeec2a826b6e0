import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { ReceivedMail } from '../../test/e2e/harness/smtpSink.ts';

/**
 * Development mail viewer for `npm start`: keeps every mail the local sink receives as
 * `<directory>/<n>.eml` (with its SMTP envelope beside it) and serves a page on 127.0.0.1
 * listing them, with links to the raw mail and to each attachment, so `secure-message.html`
 * opens straight in a browser.
 */
export class MailViewer {
  private readonly server: Server;
  /** Port of the web page (set by `start`). */
  port = 0;

  constructor(private readonly directory: string) {
    this.server = createServer((request, response) => {
      this.route(request.url ?? '/').then(
        ({ status, type, body, headers }) => {
          response.writeHead(status, { 'Content-Type': type, ...headers }).end(body);
        },
        (error: unknown) => {
          response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          response.end(`error: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    });
  }

  /** Listens on 127.0.0.1:`port` (0 or taken: any free port). */
  async start(port: number): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await new Promise<void>((resolve) => {
      this.server.once('error', () => this.server.listen(0, '127.0.0.1', () => resolve()));
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stores a received mail; returns its number. */
  async store(mail: ReceivedMail): Promise<number> {
    const next = (await this.mailNumbers()).reduce((highest, n) => Math.max(highest, n), 0) + 1;
    await writeFile(join(this.directory, `${next}.eml`), mail.raw);
    await writeFile(
      join(this.directory, `${next}.envelope.json`),
      JSON.stringify({ mailFrom: mail.mailFrom, rcptTo: mail.rcptTo, receivedAt: mail.receivedAt }),
    );
    return next;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async mailNumbers(): Promise<number[]> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    return names
      .map((name) => /^(\d+)\.eml$/.exec(name)?.[1])
      .filter((number): number is string => number !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
  }

  private async route(url: string): Promise<Reply> {
    const path = decodeURIComponent(url.split('?')[0] ?? '/');
    if (path === '/') return this.listPage();
    const raw = /^\/mail\/(\d+)\.eml$/.exec(path);
    if (raw) {
      const bytes = await readFile(join(this.directory, `${raw[1]}.eml`));
      return { status: 200, type: 'message/rfc822', body: bytes, headers: {} };
    }
    const part = /^\/mail\/(\d+)\/attachment\/(\d+)\/[^/]*$/.exec(path);
    if (part) {
      const parsed = await simpleParser(await readFile(join(this.directory, `${part[1]}.eml`)));
      const attachment = parsed.attachments[Number(part[2])];
      if (!attachment) return notFound();
      // HTML attachments (the reader) are shown, everything else is downloaded.
      const inline = attachment.contentType === 'text/html';
      return {
        status: 200,
        type: inline ? 'text/html; charset=utf-8' : attachment.contentType,
        body: attachment.content,
        headers: {
          'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(attachment.filename ?? 'attachment')}`,
        },
      };
    }
    return notFound();
  }

  private async listPage(): Promise<Reply> {
    const rows: string[] = [];
    for (const number of await this.mailNumbers()) {
      const raw = await readFile(join(this.directory, `${number}.eml`));
      const envelope = JSON.parse(
        await readFile(join(this.directory, `${number}.envelope.json`), 'utf8').catch(() => '{}'),
      ) as { rcptTo?: string[] };
      const parsed = await simpleParser(raw);
      const links = parsed.attachments
        .map(
          (attachment, index) =>
            `<a href="/mail/${number}/attachment/${index}/${encodeURIComponent(attachment.filename ?? 'attachment')}">${escapeHtml(attachment.filename ?? '(unnamed)')}</a> (${attachment.size} bytes)`,
        )
        .join('<br>');
      rows.push(`<tr>
  <td>${number}</td>
  <td>${escapeHtml(parsed.date?.toISOString() ?? '')}</td>
  <td>${escapeHtml(parsed.from?.text ?? '')}</td>
  <td>${escapeHtml((envelope.rcptTo ?? []).join(', '))}</td>
  <td>${escapeHtml(parsed.subject ?? '')}${parsed.headers.has('x-sealpost') ? ' <strong>[sealed]</strong>' : ''}</td>
  <td>${links || '—'}</td>
  <td><a href="/mail/${number}.eml">raw .eml</a></td>
</tr>`);
    }
    const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Sealpost dev mail sink</title>
<style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:6px 8px;text-align:left;vertical-align:top}</style></head>
<body><h1>Mails received by the local sink</h1>
<p>Newest first; refreshes every 5 s. Envelope recipients include Bcc. Stored in ${escapeHtml(this.directory)}.</p>
<table><tr><th>#</th><th>Date</th><th>From</th><th>SMTP recipients</th><th>Subject</th><th>Attachments</th><th>Raw</th></tr>
${rows.join('\n') || '<tr><td colspan="7">No mail yet: send one from Thunderbird.</td></tr>'}
</table></body></html>`;
    return { status: 200, type: 'text/html; charset=utf-8', body, headers: {} };
  }
}

interface Reply {
  status: number;
  type: string;
  body: string | Buffer;
  headers: Record<string, string>;
}

function notFound(): Reply {
  return { status: 404, type: 'text/plain', body: 'not found', headers: {} };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!,
  );
}
