import { beforeEach, describe, expect, it } from 'vitest';
import { handleAfterSend, handleBeforeSend } from '../../../src/background/sealOnSend.ts';
import { saveRecipientSettings } from '../../../src/background/recipientStore.ts';
import { sendSealedCopy } from '../../../src/background/sealedCopies.ts';
import { setSecure } from '../../../src/background/secureMode.ts';
import { getComposeState } from '../../../src/background/composeState.ts';
import { passwordForCode } from '../../../src/core/accessCode.ts';
import {
  bytesFromBase64,
  extractEnvelopeJson,
  parseEnvelope,
} from '../../../src/core/envelopeCodec.ts';
import { parseOriginalMime } from '../../../src/core/mime/parseMime.ts';
import { openWithPassword } from '../../../src/crypto/index.ts';
import { FakeThunderbirdHost, type FakeComposeTab } from '../../fakes/fakeThunderbirdHost.ts';
import { inlineEnvelope } from '../../helpers/inlineEnvelope.ts';

const codes = {
  'dora@partner.de': 'K7QM-X2PA-9FHT-3WBN-QX4D',
  'emma@partner.uk': 'ZR2M-8KQP-T4VW-6HNC-J9XE',
  'felix@hidden.fr': 'M3TB-7WQX-R2KD-9PLC-V6NH',
  'gina@hidden.it': 'H8VC-2NXR-K5QT-W7MB-P3LD',
} as const;
const languages = {
  'dora@partner.de': 'de',
  'emma@partner.uk': 'en',
  'felix@hidden.fr': 'fr',
  'gina@hidden.it': 'it',
} as const;
const TAB = 3;

async function envelopeOf(mail: FakeComposeTab) {
  const [attachment, ...others] = mail.attachments;
  expect(others).toEqual([]);
  expect(attachment?.name).toBe('secure-message.html');
  const html = await attachment!.file.text();
  const parsed = parseEnvelope(extractEnvelopeJson(html) ?? '');
  if (!parsed.ok) throw new Error('no envelope');
  const envelope = inlineEnvelope(parsed.envelope);
  return { html, envelope, payload: bytesFromBase64(envelope.payload)! };
}

async function opensWith(mail: FakeComposeTab, address: keyof typeof codes) {
  const { payload } = await envelopeOf(mail);
  return (await openWithPassword({ payload, password: passwordForCode(codes[address]) })).ok;
}

/** Everything a mail shows a recipient, as one string: fields, headers, body, reader file. */
async function visibleText(mail: FakeComposeTab): Promise<string> {
  const { html } = await envelopeOf(mail);
  return JSON.stringify(mail.details) + html;
}

describe('Bcc recipients get sealed mails of their own', () => {
  let host: FakeThunderbirdHost;

  beforeEach(async () => {
    host = new FakeThunderbirdHost();
    host.beforeSend = (tabId) => handleBeforeSend(host, tabId);
    host.openCompose(TAB, {
      to: ['Dora <dora@partner.de>'],
      cc: ['emma@partner.uk'],
      bcc: ['Félix <felix@hidden.fr>', 'gina@hidden.it'],
      subject: 'Contract draft',
      plainTextBody: 'The confidential clause reads: 7.3.',
    });
    for (const [address, code] of Object.entries(codes)) {
      await saveRecipientSettings(host.local, address, {
        method: 'code',
        code,
        language: languages[address as keyof typeof languages],
      });
    }
    await setSecure(host, TAB, true);
  });

  /** The sender presses Send: the compose window's own mail, then (after it) the copies. */
  async function send(): Promise<void> {
    await host.sendComposeNow(TAB);
    await handleAfterSend(host, TAB, false);
  }

  it('sends the To/Cc mail without any trace of the Bcc recipients, then one mail per Bcc recipient', async () => {
    await send();
    expect(host.sentMails).toHaveLength(3);
    const [main, felix, gina] = host.sentMails as [FakeComposeTab, FakeComposeTab, FakeComposeTab];

    expect(main.details.bcc).toEqual([]);
    const mainText = await visibleText(main);
    for (const trace of ['felix', 'hidden.fr', 'gina', 'hidden.it', 'f•••', 'g•••']) {
      expect(mainText).not.toContain(trace);
    }
    const { envelope } = await envelopeOf(main);
    expect(envelope.languages).toEqual(['de', 'en']);
    expect(envelope.locks).toHaveLength(3);
    expect(envelope.locks.every((lock) => lock.method === 'sender-key' || lock.hint)).toBe(true);
    expect(main.details.plainTextBody).not.toMatch(/Français|Italiano|accès|accesso/);
    expect(await opensWith(main, 'dora@partner.de')).toBe(true);
    expect(await opensWith(main, 'emma@partner.uk')).toBe(true);
    expect(await opensWith(main, 'felix@hidden.fr')).toBe(false);

    expect(felix.details.bcc).toEqual(['"Félix" <felix@hidden.fr>']);
    expect(felix.details.to).toEqual([]);
    expect(felix.details.identityId).toBe('id1');
    const felixEnvelope = (await envelopeOf(felix)).envelope;
    expect(felixEnvelope.languages).toEqual(['fr']);
    expect(felixEnvelope.locks.map((lock) => [lock.method, lock.hint])).toEqual([
      ['code', undefined],
      ['sender-key', undefined],
    ]);
    expect(felixEnvelope.messageId).not.toBe(envelope.messageId);
    expect(felix.details.customHeaders).toContainEqual({
      name: 'X-Sealpost-Message-Id',
      value: felixEnvelope.messageId,
    });
    expect(await visibleText(felix)).not.toContain('gina');
    expect(await opensWith(felix, 'felix@hidden.fr')).toBe(true);
    expect(await opensWith(felix, 'gina@hidden.it')).toBe(false);
    expect(await opensWith(felix, 'dora@partner.de')).toBe(false);
    expect(gina.details.bcc).toEqual(['gina@hidden.it']);
    expect((await envelopeOf(gina)).envelope.languages).toEqual(['it']);
    expect(await opensWith(gina, 'gina@hidden.it')).toBe(true);

    // Inside, the Bcc recipient sees the To/Cc as they were, and no Bcc at all.
    const opened = await openWithPassword({
      payload: (await envelopeOf(felix)).payload,
      password: passwordForCode(codes['felix@hidden.fr']),
    });
    if (!opened.ok) throw new Error('Félix cannot open his copy');
    const original = await parseOriginalMime(opened.plaintext);
    expect(original.text).toContain('The confidential clause reads: 7.3.');
    const mime = new TextDecoder().decode(opened.plaintext);
    expect(mime).toMatch(/^To: .*dora@partner\.de/m);
    expect(mime).toMatch(/^Cc: .*emma@partner\.uk/m);
    expect(mime).not.toMatch(/gina|^Bcc:/im);
    // No copy window is left behind, and nothing was saved as a draft.
    expect([...host.tabs.keys()]).toEqual([]);
    expect(host.drafts.size).toBe(0);
  });

  it('keeps the event page awake while it holds copies, and only then', async () => {
    await host.sendComposeNow(TAB);
    // Between the main mail leaving Sealpost and Thunderbird reporting it sent, the copies
    // exist only in memory: the page must not sleep.
    expect(host.awakeHolds).toBe(1);
    await handleAfterSend(host, TAB, false);
    expect(host.awakeHolds).toBe(0);
    expect(host.sentMails).toHaveLength(3);

    host.openCompose(8, { to: ['dora@partner.de'], subject: 'No Bcc' });
    await setSecure(host, 8, true);
    await host.sendComposeNow(8);
    expect(host.awakeHolds).toBe(0);
  });

  it('sends nothing separately when the main mail fails, and restores the window', async () => {
    host.smtp = () => 'connection refused';
    await expect(host.sendComposeNow(TAB)).rejects.toThrow('connection refused');
    await handleAfterSend(host, TAB, true);
    expect(host.sentMails).toEqual([]);
    expect(host.awakeHolds).toBe(0);
    expect(host.tabs.get(TAB)?.details.bcc).toEqual(['Félix <felix@hidden.fr>', 'gina@hidden.it']);
    expect(host.tabs.get(TAB)?.details.plainTextBody).toBe('The confidential clause reads: 7.3.');
  });

  it('keeps a failed copy sealed as a draft, says who did not get it, and sends it again', async () => {
    host.smtp = (tab) =>
      tab.details.bcc.some((entry) => entry.includes('gina')) ? 'refused' : null;
    await send();
    expect(host.sentMails.map((mail) => mail.details.bcc)).toEqual([
      [],
      ['"Félix" <felix@hidden.fr>'],
    ]);
    const [copyTab] = [...host.tabs.keys()];
    expect(copyTab).toBeDefined();
    const draft = host.drafts.get(copyTab!);
    expect(draft?.details.plainTextBody).not.toContain('confidential');
    expect(await opensWith(draft!, 'gina@hidden.it')).toBe(true);
    expect(host.panelsOpened).toContain(copyTab);
    const state = await getComposeState(host, copyTab!);
    expect(state.sealedCopy).toEqual({ address: 'gina@hidden.it', error: 'refused' });
    expect(state.problem).toMatchObject({ reason: 'copy-not-sent', recipient: 'gina@hidden.it' });
    expect(state.problem?.message).toBe('problemCopyNotSent|gina@hidden.it|refused');

    host.smtp = () => null;
    expect(await sendSealedCopy(host, copyTab!)).toEqual({ sent: true, problem: null });
    expect(host.sentMails).toHaveLength(3);
    expect(host.sentMails[2]!.details.bcc).toEqual(['gina@hidden.it']);
    // Sent as sealed, not sealed a second time.
    expect(await opensWith(host.sentMails[2]!, 'gina@hidden.it')).toBe(true);
    expect(host.drafts.size).toBe(0);
  });

  it('refuses to send a copy that was changed after sealing', async () => {
    host.smtp = (tab) =>
      tab.details.bcc.some((entry) => entry.includes('gina')) ? 'refused' : null;
    await send();
    const [copyTab] = [...host.tabs.keys()];
    host.tabs.get(copyTab!)!.details.plainTextBody += '\nPS: the clause is 7.3.';
    host.smtp = () => null;
    const answer = await sendSealedCopy(host, copyTab!);
    expect(answer.sent).toBe(false);
    expect(host.sentMails).toHaveLength(2);
    expect(await getComposeState(host, copyTab!)).toMatchObject({
      problem: { reason: 'copy-changed', recipient: 'gina@hidden.it' },
    });
  });

  it('lets the compose window carry the first Bcc mail when there is no To or Cc', async () => {
    host.tabs.get(TAB)!.details.to = [];
    host.tabs.get(TAB)!.details.cc = [];
    await send();
    expect(host.sentMails.map((mail) => mail.details.bcc)).toEqual([
      ['"Félix" <felix@hidden.fr>'],
      ['gina@hidden.it'],
    ]);
    expect(await opensWith(host.sentMails[0]!, 'felix@hidden.fr')).toBe(true);
    expect(await opensWith(host.sentMails[0]!, 'gina@hidden.it')).toBe(false);
  });

  it('cancels everything, with the window untouched, when a copy cannot be sealed', async () => {
    await saveRecipientSettings(host.local, 'gina@hidden.it', { method: 'code', code: '' });
    const before = structuredClone(host.tabs.get(TAB)!);
    await expect(host.sendComposeNow(TAB)).rejects.toThrow('cancelled');
    expect(host.sentMails).toEqual([]);
    expect(host.tabs.get(TAB)!.details).toEqual(before.details);
  });
});
