import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
import { sealpostSettingsPolicy } from './harness/machinePolicy.ts';
import { loadScenario, validateScenario } from './harness/scenario.ts';
import { clearRunOutput, writeMails } from './harness/scenarioOutput.ts';
import { SmtpSink, type ReceivedMail } from './harness/smtpSink.ts';

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

  it('reads the example organisation scenario with its policy, and refuses a policy that is not an object or names a server', async () => {
    const loaded = await loadScenario(
      join(import.meta.dirname, 'scenarios', 'policy-locked-secure.json'),
    );
    expect(loaded.secure).toBe(false);
    expect(loaded.policy).toMatchObject({ enforceSecureFor: ['partner.example'] });
    const base = { from: 'alice@example.org', to: ['bob@partner.example'] };
    const notObject = validateScenario({ ...base, policy: ['partner.example'] });
    expect(notObject.ok === false && notObject.problems).toEqual([
      '"policy" must be an object: Sealpost\'s settings as policies.json gives them',
    ]);
    const withServer = validateScenario({ ...base, policy: { serverUrl: 'https://x.example' } });
    expect(withServer.ok === false && withServer.problems.join()).toContain('"policy.serverUrl"');
    const accepted = validateScenario({ ...base, policy: { secureByDefault: true } });
    expect(accepted.ok && accepted.scenario.policy).toEqual({ secureByDefault: true });
  });

  it("puts a policy under Sealpost's id in the 3rdparty block of policies.json", () => {
    expect(sealpostSettingsPolicy({ secureByDefault: true })).toEqual({
      policies: {
        '3rdparty': { Extensions: { 'sealpost@sealpost.example': { secureByDefault: true } } },
      },
    });
  });

  it('maps scenario methods to menu entries', () => {
    expect(menuEntryFor({ method: 'code', code: 'abc' })).toBe('code-new');
    expect(menuEntryFor({ method: 'code' })).toBe('code-existing');
    expect(menuEntryFor({ method: 'org-code' })).toBe('org-code-existing');
    expect(menuEntryFor({ method: 'email' })).toBe('email');
    expect(menuEntryFor({})).toBeUndefined();
  });
});

describe('scenario output', () => {
  /** A sealed mail as Sealpost sends it: a notification with the reader attached. */
  const mailWithReader = (reader: string) =>
    Buffer.from(
      [
        'From: alice@example.org',
        'To: bob@partner.example',
        'Subject: Secure message',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Open the attached file.',
        '--b',
        'Content-Type: text/html; charset=utf-8; name="secure-message.html"',
        'Content-Disposition: attachment; filename="secure-message.html"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from(reader).toString('base64'),
        '--b--',
        '',
      ].join('\r\n'),
    );
  const received = (raw: Buffer): ReceivedMail => ({
    raw,
    mailFrom: 'alice@example.org',
    rcptTo: ['bob@partner.example'],
    receivedAt: new Date(),
  });

  it('writes each mail and its reader beside it, named after the mail, and clears an earlier run', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'sealpost-output-'));
    try {
      await writeFile(join(directory, 'mail-7-secure-message.html'), 'old run');
      await writeFile(join(directory, 'notes.txt'), 'the user keeps this');
      await clearRunOutput(directory);
      expect(await readdir(directory)).toEqual(['notes.txt']);
      const plain = Buffer.from('From: a@x.example\r\nSubject: plain\r\n\r\nhello\r\n');
      const readers = await writeMails(directory, [
        received(mailWithReader('<html>first</html>')),
        received(plain),
        received(mailWithReader('<html>third</html>')),
      ]);
      expect(readers).toEqual(['mail-1-secure-message.html', 'mail-3-secure-message.html']);
      expect((await readdir(directory)).sort()).toEqual([
        'mail-1-secure-message.html',
        'mail-1.eml',
        'mail-2.eml',
        'mail-3-secure-message.html',
        'mail-3.eml',
        'notes.txt',
      ]);
      expect(await readFile(join(directory, 'mail-3-secure-message.html'), 'utf8')).toBe(
        '<html>third</html>',
      );
      expect((await readFile(join(directory, 'mail-2.eml'))).equals(plain)).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
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
