import { join } from 'node:path';
/**
 * The pieces of the Thunderbird harness that need no Thunderbird: scenario validation, the
 * leak search's encodings, the SMTP sink's envelope capture. If these are wrong, the real
 * Thunderbird tests could pass for the wrong reason.
 */
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMailEvents } from './harness/imapServer.ts';
import { encodedForms, findLeaks, findLeaksInServerFiles } from './harness/leakSearch.ts';
import { menuEntryFor } from './harness/runScenario.ts';
import { loadScenario, validateScenario } from './harness/scenario.ts';
import { SmtpSink } from './harness/smtpSink.ts';

describe('scenario validation', () => {
  it('fills defaults for a minimal scenario', () => {
    const result = validateScenario({ from: 'alice@example.test', to: ['bob@partner.example'] });
    expect(result).toEqual({
      ok: true,
      scenario: {
        from: 'alice@example.test',
        to: ['bob@partner.example'],
        cc: [],
        bcc: [],
        subject: '',
        body: '',
        html: false,
        attachments: [],
        secure: false,
        recipients: {},
        keys: [],
        wkd: [],
      },
    });
  });

  it('reads the example account scenario with its key files, and refuses keys that are not paths', async () => {
    const loaded = await loadScenario(join(import.meta.dirname, 'scenarios', 'account-keys.json'));
    expect(loaded.keyFiles?.map((file) => file.path)).toEqual(['files/keys/bob-gnupg-v4.asc']);
    expect(loaded.wkdFiles).toHaveLength(2);
    expect(Buffer.from(loaded.keyFiles![0]!.bytes).toString()).toContain(
      '-----BEGIN PGP PUBLIC KEY BLOCK-----',
    );
    const refused = validateScenario({ from: 'a@x.example', to: ['b@y.example'], keys: 'bob.asc' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems.join()).toContain('"keys" must be an array');
  });

  it('reports every problem with its path', () => {
    const result = validateScenario({
      from: 'not an address',
      to: 'bob@partner.example',
      secure: 'yes',
      attachments: [{ name: 'x.pdf' }],
      recipients: { 'carol@elsewhere.example': { method: 'pigeon', language: 'pt', colour: 1 } },
      extra: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'unknown field "extra"',
        '"from" must be an address such as "alice@example.test"',
        '"to" must be an array of addresses',
        'no recipient in to, cc or bcc',
        '"attachments[0]" needs a "path" (relative to the scenario file)',
        '"recipients.carol@elsewhere.example" is not in to, cc or bcc',
        '"recipients.carol@elsewhere.example" has unknown field "colour"',
        '"secure" must be true or false',
      ]),
    );
    expect(result.problems.some((problem) => problem.includes('.method" must be one of'))).toBe(
      true,
    );
    expect(result.problems.some((problem) => problem.includes('.language" must be one of'))).toBe(
      true,
    );
  });

  it('matches recipient settings to display-name addresses, ignoring case', () => {
    const result = validateScenario({
      from: 'Alice <alice@example.test>',
      to: ['Bob Partner <Bob@Partner.example>'],
      recipients: { 'bob@partner.example': { method: 'code', code: 'x' } },
    });
    expect(result.ok).toBe(true);
  });

  it('maps scenario methods to menu entries', () => {
    expect(menuEntryFor({ method: 'code', code: 'abc' })).toBe('code-new');
    expect(menuEntryFor({ method: 'code' })).toBe('code-existing');
    expect(menuEntryFor({ method: 'org-code' })).toBe('org-code-existing');
    expect(menuEntryFor({ method: 'email' })).toBe('email');
    expect(menuEntryFor({})).toBeUndefined();
  });
});

describe('leak search', () => {
  it('finds a slice of bytes at any base64 alignment inside a wrapped base64 stream', async () => {
    const file = randomBytes(3000);
    for (const offset of [0, 1, 2, 1001]) {
      const wrapped = file.toString('base64').replace(/.{76}/g, '$&\r\n');
      const raw = Buffer.from(
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n' +
          '--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n' +
          `Content-Disposition: attachment; filename="f.bin"\r\n\r\n${wrapped}\r\n--b--\r\n`,
      );
      const findings = await findLeaks(raw, [
        { label: 'slice', value: file.subarray(offset, offset + 64) },
      ]);
      expect(findings).toContain('slice found as base64 in raw mail without line breaks');
      expect(findings).toContain('slice found as is in decoded attachment f.bin');
    }
  });

  it('finds nothing when the secret is absent', async () => {
    const raw = Buffer.from('Subject: hello\r\nContent-Type: text/plain\r\n\r\nnothing here\r\n');
    expect(await findLeaks(raw, [{ label: 'secret', value: 'MEDSECRET-1' }])).toEqual([]);
  });

  it('offers the bytes and three base64 alignments', () => {
    expect(encodedForms(randomBytes(64))).toHaveLength(4);
  });
});

describe('the IMAP server harness', () => {
  it("reads saved and expunged messages from dovecot's mail_log lines", () => {
    const log = [
      '2026-12-04 22:07:21.226750 imap-login: Info: Login: user=<alice>, method=PLAIN',
      '2026-12-04 22:07:21.540765 imap(alice)<29097><b3eiGdZh>: Info: save: box=Drafts, uid=1, msgid=<x1@y>, size=26',
      '2026-12-04 22:07:21.542001 imap(alice)<29097><b3eiGdZh>: Info: expunge: box=Drafts, uid=1, msgid=<x1@y>, size=26',
    ].join('\n');
    const events = parseMailEvents(log);
    expect(events.map((event) => [event.event, event.mailbox, event.uid, event.messageId])).toEqual(
      [
        ['save', 'Drafts', 1, '<x1@y>'],
        ['expunge', 'Drafts', 1, '<x1@y>'],
      ],
    );
    expect(events[1]!.time - events[0]!.time).toBeCloseTo(1.236, 3);
  });

  it('finds a secret in an index file, also across a quoted-printable soft line break', async () => {
    const files = [
      {
        path: 'Maildir/.Drafts/dovecot.index.cache',
        bytes: Buffer.from('xxSECRET-=\r\n12345xx'),
        isMessage: false,
      },
      {
        path: 'Maildir/.Drafts/dovecot.index.log',
        bytes: Buffer.from('nothing'),
        isMessage: false,
      },
    ];
    expect(await findLeaksInServerFiles(files, [{ label: 'code', value: 'SECRET-12345' }])).toEqual(
      ['Maildir/.Drafts/dovecot.index.cache: code'],
    );
  });
});

describe('SMTP sink', () => {
  it('keeps the raw mail and the envelope, Bcc included', async () => {
    const sink = await SmtpSink.start();
    try {
      const lines = [
        'EHLO test',
        'MAIL FROM:<alice@example.test>',
        'RCPT TO:<bob@partner.example>',
        'RCPT TO:<hidden@elsewhere.example>',
        'DATA',
        'Subject: envelope test\r\n\r\nbody line\r\n.',
        'QUIT',
      ];
      await new Promise<void>((resolve, reject) => {
        const socket = connect(sink.port, '127.0.0.1');
        let step = 0;
        socket.on('data', (chunk: Buffer) => {
          // One reply per command (EHLO's is multi-line: wait for its last line).
          const text = chunk.toString();
          if (/^\d{3}-/m.test(text) && !/^\d{3} /m.test(text)) return;
          if (step < lines.length) socket.write(`${lines[step++]}\r\n`);
          else socket.end();
        });
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      const [mail] = await sink.waitForMails(1, 5_000);
      expect(mail!.mailFrom).toBe('alice@example.test');
      expect(mail!.rcptTo).toEqual(['bob@partner.example', 'hidden@elsewhere.example']);
      expect(mail!.raw.toString()).toContain('Subject: envelope test');
      expect(mail!.raw.toString()).toContain('body line');
    } finally {
      await sink.stop();
    }
  });

  it('fails a wait for mail that never comes', async () => {
    const sink = await SmtpSink.start();
    try {
      await expect(sink.waitForMails(1, 200)).rejects.toThrow(/expected 1 mail/);
    } finally {
      await sink.stop();
    }
  });
});
