import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleAfterSend, handleBeforeSend } from '../../../src/background/sealOnSend.ts';
import { saveRecipientSettings } from '../../../src/background/recipientStore.ts';
import { setSecure } from '../../../src/background/secureMode.ts';
import { getSenderKey } from '../../../src/background/senderKey.ts';
import {
  extractEnvelopeJson,
  parseEnvelope,
  bytesFromBase64,
} from '../../../src/core/envelopeCodec.ts';
import { passwordForCode } from '../../../src/core/accessCode.ts';
import { parseOriginalMime } from '../../../src/core/mime/parseMime.ts';
import { openWithPassword, openWithPrivateKey } from '../../../src/crypto/index.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';
import { inlineEnvelope } from '../../helpers/inlineEnvelope.ts';
import { bytesOf } from '../../helpers/blobBytes.ts';

const bobCode = 'K7QM-X2PA-9FHT-3WBN-QX4D';
const carolCode = 'ZR2M-8KQP-T4VW-6HNC-J9XE';
const TAB = 7;

function pdfBytes(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
  return bytes;
}

async function sealedHtml(host: FakeThunderbirdHost): Promise<string> {
  const attachments = host.tabs.get(TAB)?.attachments ?? [];
  expect(attachments.map((attachment) => attachment.name)).toEqual(['secure-message.html']);
  return (attachments[0] as { file: File }).file.text();
}

describe('handleBeforeSend', () => {
  let host: FakeThunderbirdHost;

  beforeEach(async () => {
    host = new FakeThunderbirdHost();
    host.openCompose(
      TAB,
      {
        to: ['Bob <Bob@Partner.example>'],
        cc: [],
        bcc: ['carol@hidden.example'],
        subject: 'Quarterly figures ✓',
        plainTextBody: 'The secret numbers are 42.',
        customHeaders: [{ name: 'X-Other', value: 'kept' }],
      },
      [new File([pdfBytes()], 'scan.pdf', { type: 'application/pdf' })],
    );
    await saveRecipientSettings(host.local, 'bob@partner.example', {
      method: 'code',
      code: bobCode,
      language: 'de',
    });
    await saveRecipientSettings(host.local, 'carol@hidden.example', {
      method: 'code',
      code: carolCode,
    });
  });

  it('lets the message go unchanged when secure mode is off', async () => {
    expect(await handleBeforeSend(host, TAB)).toEqual({});
    expect(host.tabs.get(TAB)?.attachments.map((a) => a.name)).toEqual(['scan.pdf']);
  });

  it('cancels when it cannot even read whether secure mode is on (storage failing)', async () => {
    await setSecure(host, TAB, true);
    const before = structuredClone(host.tabs.get(TAB)!.details);
    host.session.get = async () => {
      throw new Error('storage.session unavailable');
    };
    host.session.set = async () => {
      throw new Error('storage.session unavailable');
    };
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.tabs.get(TAB)!.details).toEqual(before);
    expect(host.tabs.get(TAB)?.attachments.map((a) => a.name)).toEqual(['scan.pdf']);
  });

  it('replaces body and attachments by the notification and the sealed reader', async () => {
    await setSecure(host, TAB, true);
    const result = await handleBeforeSend(host, TAB);
    expect(result.cancel).toBeUndefined();
    const body = result.details?.plainTextBody ?? '';
    expect(body).toContain('alice@example.test');
    expect(body).not.toContain('secret numbers');
    expect(result.details?.customHeaders).toEqual(
      expect.arrayContaining([
        { name: 'X-Other', value: 'kept' },
        { name: 'X-Sealpost', value: '1' },
      ]),
    );

    // The compose window's own mail goes to To/Cc only: its Bcc field is emptied.
    expect(result.details?.bcc).toEqual([]);
    const html = await sealedHtml(host);
    expect(html).not.toContain('secret numbers');
    expect(html).not.toContain('carol@hidden.example');
    const parsed = parseEnvelope(extractEnvelopeJson(html) ?? '');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // Only Bob's language and lock (plus the sender's): nothing of the Bcc recipient.
    expect(parsed.envelope.languages).toEqual(['de']);
    expect(parsed.envelope.locks.map((lock) => lock.method)).toEqual(['code', 'sender-key']);
    const payload = bytesFromBase64(inlineEnvelope(parsed.envelope).payload);
    expect(payload).not.toBeNull();

    const opened = await openWithPassword({
      payload: payload!,
      password: passwordForCode(bobCode),
    });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const original = await parseOriginalMime(opened.plaintext);
    expect(original.subject).toBe('Quarterly figures ✓');
    expect(original.text).toContain('The secret numbers are 42.');
    expect(original.attachments[0]?.name).toBe('scan.pdf');
    expect(await bytesOf(original.attachments[0]?.content)).toEqual(pdfBytes());
    // Bcc recipients are never written into the sealed message.
    expect(new TextDecoder().decode(opened.plaintext)).not.toContain('carol@hidden.example');
    // The Bcc recipient's code does not open the visible recipients' mail.
    expect(
      await openWithPassword({ payload: payload!, password: passwordForCode(carolCode) }),
    ).toEqual({ ok: false, reason: 'wrong-code' });
    const wrong = await openWithPassword({
      payload: payload!,
      password: passwordForCode('WRONG-CODE-0000-0000'),
    });
    expect(wrong).toEqual({ ok: false, reason: 'wrong-code' });

    const senderKey = await getSenderKey(host.local, 'alice@example.test');
    expect(senderKey).not.toBeNull();
    const reopened = await openWithPrivateKey({
      payload: payload!,
      armoredPrivateKey: senderKey!.armoredPrivateKey!,
    });
    expect(reopened.ok).toBe(true);
  });

  it('cancels, naming it, when a recipient is a list the address book does not know', async () => {
    await setSecure(host, TAB, true);
    host.tabs.get(TAB)!.details.cc = ['Board <Board>'];
    const before = structuredClone(host.tabs.get(TAB)!.details);
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.tabs.get(TAB)?.details).toEqual(before);
    expect(await host.session.get('problem:7')).toMatchObject({
      reason: 'no-method',
      recipient: 'Board <Board>',
    });
  });

  it('cancels, leaves the draft untouched and opens the panel when a recipient has no method', async () => {
    await setSecure(host, TAB, true);
    host.tabs.get(TAB)!.details.cc = ['dave@nomethod.example'];
    const before = structuredClone(host.tabs.get(TAB)!.details);
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.tabs.get(TAB)?.details).toEqual(before);
    expect(host.tabs.get(TAB)?.attachments.map((a) => a.name)).toEqual(['scan.pdf']);
    expect(host.panelsOpened).toEqual([TAB]);
    expect(await host.session.get('problem:7')).toMatchObject({
      reason: 'no-method',
      recipient: 'dave@nomethod.example',
      message: 'problemNoMethod|dave@nomethod.example',
    });
  });

  it('writes the members of a mailing list, not its name, into the sealed headers', async () => {
    await setSecure(host, TAB, true);
    host.mailingLists.set('Partners', [
      { name: 'Eve "E" Partner', address: 'eve@partner.example' },
      { name: '', address: 'fred@partner.example' },
    ]);
    host.tabs.get(TAB)!.details.cc = ['Partners <Partners>'];
    for (const address of ['eve@partner.example', 'fred@partner.example']) {
      await saveRecipientSettings(host.local, address, { method: 'code', code: carolCode });
    }
    const result = await handleBeforeSend(host, TAB);
    expect(result.cancel).toBeUndefined();
    const parsed = parseEnvelope(extractEnvelopeJson(await sealedHtml(host)) ?? '');
    if (!parsed.ok) throw new Error('no envelope');
    const opened = await openWithPassword({
      payload: bytesFromBase64(inlineEnvelope(parsed.envelope).payload)!,
      password: passwordForCode(carolCode),
    });
    if (!opened.ok) throw new Error(opened.reason);
    const original = await parseOriginalMime(opened.plaintext);
    expect(original.cc.join(', ')).toContain('eve@partner.example');
    expect(original.cc.join(', ')).toContain('Eve "E" Partner');
    expect(original.cc.join(', ')).toContain('fred@partner.example');
    expect(original.cc.join(', ')).not.toContain('Partners');
  });

  it('cancels, with both sizes, when the sealed mail would be larger than the policy allows', async () => {
    host.policy = { maxMailSizeMB: 1 };
    await setSecure(host, TAB, true);
    // Random bytes do not compress: 700 kB of files make a sealed mail of about 1.4 MB (the
    // payload base64 twice, 16/9; the test's reader template is small).
    const scan = new File([randomBytes(700_000)], 'scan.tiff', { type: 'image/tiff' });
    host.tabs.get(TAB)!.attachments = [{ id: 99, name: scan.name, file: scan }];
    const before = structuredClone(host.tabs.get(TAB)!.details);
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.tabs.get(TAB)?.details).toEqual(before);
    expect(host.tabs.get(TAB)?.attachments.map((a) => a.name)).toEqual(['scan.tiff']);
    expect(host.panelsOpened).toEqual([TAB]);
    const problem = await host.session.get<{ reason: string; message: string }>('problem:7');
    expect(problem?.reason).toBe('mail-too-large');
    expect(problem?.message).toMatch(/^problemMailTooLarge\|1\.[3-5] MB\|1 MB$/);
    expect(problem).not.toHaveProperty('recipient');

    // The same message within a larger limit leaves, sealed.
    host.policy = { maxMailSizeMB: 3 };
    const sent = await handleBeforeSend(host, TAB);
    expect(sent).not.toEqual({ cancel: true });
    expect(host.tabs.get(TAB)?.attachments.map((a) => a.name)).toEqual(['secure-message.html']);
  });

  it('cancels on a weak code', async () => {
    await setSecure(host, TAB, true);
    await saveRecipientSettings(host.local, 'bob@partner.example', { code: '1234' });
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(await host.session.get('problem:7')).toMatchObject({
      reason: 'weak-code',
      recipient: 'bob@partner.example',
    });
  });

  it('puts the attachments back and cancels when changing the window fails half-way', async () => {
    await setSecure(host, TAB, true);
    host.failOn = 'removeAttachment';
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.tabs.get(TAB)?.attachments.map((a) => a.name)).toEqual(['scan.pdf']);
    expect(await host.session.get('problem:7')).toMatchObject({ reason: 'internal' });
  });

  it('cancels with the draft as it was when the sealed file cannot be attached', async () => {
    await setSecure(host, TAB, true);
    host.failOn = 'addAttachment';
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.tabs.get(TAB)?.attachments.map((a) => a.name)).toEqual(['scan.pdf']);
    expect(host.tabs.get(TAB)?.details.plainTextBody).toBe('The secret numbers are 42.');
  });

  it('cancels without touching anything when the reader is missing', async () => {
    await setSecure(host, TAB, true);
    host.failOn = 'readerTemplate';
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.tabs.get(TAB)?.attachments.map((a) => a.name)).toEqual(['scan.pdf']);
  });

  it('restores the original content when the send itself fails afterwards', async () => {
    await setSecure(host, TAB, true);
    const result = await handleBeforeSend(host, TAB);
    await host.setComposeDetails(TAB, result.details ?? {});
    await handleAfterSend(host, TAB, true);
    const tab = host.tabs.get(TAB)!;
    expect(tab.attachments.map((a) => a.name)).toEqual(['scan.pdf']);
    expect(tab.details.plainTextBody).toBe('The secret numbers are 42.');
    expect(tab.details.customHeaders).toEqual([{ name: 'X-Other', value: 'kept' }]);
  });
});
