import { describe, expect, it } from 'vitest';
import { saveRecipientSettings } from '../../../src/background/recipientStore.ts';
import { handleBeforeSend } from '../../../src/background/sealOnSend.ts';
import { setSecure } from '../../../src/background/secureMode.ts';
import { openSentCopy, updateSentCopyButton } from '../../../src/background/sentCopy.ts';
import { bytesFromBase64 } from '../../../src/core/envelopeCodec.ts';
import { parseOriginalMime } from '../../../src/core/mime/parseMime.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

const TAB = 3;
const SENT = 501;

async function sendSealed(host: FakeThunderbirdHost): Promise<void> {
  host.openCompose(
    TAB,
    { to: ['bob@partner.example'], subject: 'Contract', plainTextBody: 'Signed copy attached.' },
    [new File([new Uint8Array([1, 2, 3, 250])], 'contract.pdf', { type: 'application/pdf' })],
  );
  await saveRecipientSettings(host.local, 'bob@partner.example', {
    method: 'code',
    code: 'K7QM-X2PA-9FHT-3WBN-QX4D',
  });
  await setSecure(host, TAB, true);
  expect((await handleBeforeSend(host, TAB)).cancel).toBeUndefined();
  host.fileAsSent(TAB, SENT);
}

describe('the sender reopens a sealed message they sent', () => {
  it('opens the Sent copy with the key kept by the add-on', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host);
    const copy = await openSentCopy(host, SENT);
    expect(copy.ok).toBe(true);
    if (!copy.ok) return;
    expect(copy.envelope.sender.address).toBe('alice@example.test');
    const original = await parseOriginalMime(bytesFromBase64(copy.mimeBase64)!);
    expect(original.subject).toBe('Contract');
    expect(original.text).toContain('Signed copy attached.');
    expect(original.attachments[0]?.bytes).toEqual(new Uint8Array([1, 2, 3, 250]));
  });

  it('says why when the key is gone or the message is not sealed', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host);
    await host.local.remove('senderKey:alice@example.test');
    expect(await openSentCopy(host, SENT)).toEqual({ ok: false, reason: 'no-key' });
    host.storedMessages.set(9, [{ name: 'notes.txt', file: new File(['x'], 'notes.txt') }]);
    expect(await openSentCopy(host, 9)).toEqual({ ok: false, reason: 'not-sealed' });
  });

  it('refuses a copy sealed for another sender key', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host);
    const other = new FakeThunderbirdHost();
    await sendSealed(other); // gives `other` a sender key of its own for the same address
    other.storedMessages.set(SENT + 1, host.storedMessages.get(SENT)!);
    expect(await openSentCopy(other, SENT + 1)).toEqual({ ok: false, reason: 'wrong-key' });
  });

  it('enables the message-display button only for one sealed message', async () => {
    const host = new FakeThunderbirdHost();
    await sendSealed(host);
    host.storedMessages.set(9, []);
    await updateSentCopyButton(host, 1, [SENT]);
    await updateSentCopyButton(host, 1, [9]);
    await updateSentCopyButton(host, 1, [SENT, 9]);
    expect(host.sentCopyButtons).toEqual([
      [1, true],
      [1, false],
      [1, false],
    ]);
  });
});
