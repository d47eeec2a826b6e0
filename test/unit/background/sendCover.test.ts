/**
 * Sealpost's sheet over the compose editor while it sends: in place before the body becomes the
 * recipients' notification, gone whenever the sender's own text is back, never left behind.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handleAfterSend, handleBeforeSend } from '../../../src/background/sealOnSend.ts';
import { saveRecipientSettings } from '../../../src/background/recipientStore.ts';
import { setSecure } from '../../../src/background/secureMode.ts';
import {
  SHOW_COVER_AFTER_MS,
  endSendCover,
  showSendPhase,
  startSendCover,
} from '../../../src/background/sendCover.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

const TAB = 5;

/** The text of each sheet in the tab's editor (the fake's messages are `key|substitutions`). */
function sheetTexts(host: FakeThunderbirdHost, tabId = TAB): string[] {
  return (host.editorSheets.get(tabId) ?? []).map(
    (css) => /content: "((?:[^"\\]|\\.)*)"/.exec(css)?.[1] ?? '(no text)',
  );
}

describe('the sheet over the editor during a secure send', () => {
  let host: FakeThunderbirdHost;

  beforeEach(async () => {
    host = new FakeThunderbirdHost();
    host.openCompose(TAB, {
      to: ['bob@partner.example'],
      bcc: ['carol@hidden.example'],
      subject: 'Figures',
      plainTextBody: 'The secret numbers are 42.',
    });
    await saveRecipientSettings(host.local, 'bob@partner.example', {
      method: 'code',
      code: 'K7QM-X2PA-9FHT-3WBN-QX4D',
    });
    await saveRecipientSettings(host.local, 'carol@hidden.example', {
      method: 'code',
      code: 'ZR2M-8KQP-T4VW-6HNC-J9XE',
    });
    await setSecure(host, TAB, true);
  });

  it('is in place, saying Thunderbird sends it, when the body becomes the notification', async () => {
    const result = await handleBeforeSend(host, TAB);
    expect(result.details?.plainTextBody).toContain('alice@example.test');
    expect(sheetTexts(host)).toEqual(['sendCoverSending\\A sendCoverKept']);
  });

  it('stays while a sent mail’s window closes, and goes when a failed send puts the text back', async () => {
    const result = await handleBeforeSend(host, TAB);
    await host.setComposeDetails(TAB, result.details ?? {});
    await handleAfterSend(host, TAB, true);
    expect(host.tabs.get(TAB)!.details.plainTextBody).toBe('The secret numbers are 42.');
    expect(host.editorSheets.get(TAB)).toEqual([]);

    const again = await handleBeforeSend(host, TAB);
    await host.setComposeDetails(TAB, again.details ?? {});
    await handleAfterSend(host, TAB, false);
    expect(sheetTexts(host)).toHaveLength(1);
  });

  it('goes when the send is cancelled, leaving the draft as it was', async () => {
    host.tabs.get(TAB)!.details.cc = ['dave@nomethod.example'];
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.editorSheets.get(TAB) ?? []).toEqual([]);
  });

  it('goes when sealing fails half-way and the window is put back', async () => {
    host.failOn = 'addAttachment';
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.tabs.get(TAB)!.details.plainTextBody).toBe('The secret numbers are 42.');
    expect(host.editorSheets.get(TAB) ?? []).toEqual([]);
  });

  it('is not shown at all when secure mode is off', async () => {
    await setSecure(host, TAB, false);
    expect(await handleBeforeSend(host, TAB)).toEqual({});
    expect(host.editorSheets.has(TAB)).toBe(false);
  });

  it('covers each Bcc recipient’s window before the copy fills it, and uncovers a copy that failed', async () => {
    const opened: Array<{ body: string; cover: string | undefined }> = [];
    const open = host.openSealedCompose.bind(host);
    host.openSealedCompose = async (mail, cover) => {
      opened.push({ body: mail.plainTextBody, cover });
      return open(mail, cover);
    };
    host.beforeSend = (tabId) => handleBeforeSend(host, tabId);
    host.smtp = (tab) => (tab.details.bcc.length > 0 ? 'mailbox unavailable' : null);
    await host.sendComposeNow(TAB);
    await handleAfterSend(host, TAB, false);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.cover).toContain('content: "sendCoverCopy|carol@hidden.example"');
    const copyTab = [...host.tabs.keys()].find((tabId) => tabId !== TAB)!;
    // The copy could not go: its window stays, with the panel on why, and shows the copy.
    expect(host.tabs.get(copyTab)!.details.bcc).toEqual(['carol@hidden.example']);
    expect(host.editorSheets.get(copyTab)).toEqual([]);
  });
});

describe('when the sheet shows and what it says', () => {
  let host: FakeThunderbirdHost;

  beforeEach(() => {
    vi.useFakeTimers();
    host = new FakeThunderbirdHost();
    host.openCompose(TAB, { to: ['bob@partner.example'], plainTextBody: 'Hello' });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows nothing for a send done within a moment', async () => {
    startSendCover(host, TAB);
    await showSendPhase(host, TAB, 'registering');
    await vi.advanceTimersByTimeAsync(SHOW_COVER_AFTER_MS - 50);
    await endSendCover(host, TAB);
    await vi.advanceTimersByTimeAsync(SHOW_COVER_AFTER_MS);
    expect(host.editorSheets.has(TAB)).toBe(false);
  });

  it('shows the step under way after a moment, one sheet at a time, each step replacing the last', async () => {
    startSendCover(host, TAB);
    await vi.advanceTimersByTimeAsync(SHOW_COVER_AFTER_MS);
    expect(sheetTexts(host)).toEqual(['sendCoverSealing\\A sendCoverKept']);
    await showSendPhase(host, TAB, 'sealing', { mail: 2, mails: 3 });
    expect(sheetTexts(host)).toEqual(['sendCoverSealing\\A sendCoverMailOf|2|3\\A sendCoverKept']);
    await showSendPhase(host, TAB, 'uploading', { mail: 1, mails: 1 });
    expect(sheetTexts(host)).toEqual(['sendCoverUploading\\A sendCoverKept']);
    await endSendCover(host, TAB);
    expect(host.editorSheets.get(TAB)).toEqual([]);
  });

  it('shows a step at once when asked, however quick the send', async () => {
    startSendCover(host, TAB);
    await showSendPhase(host, TAB, 'sending', { now: true });
    expect(sheetTexts(host)).toEqual(['sendCoverSending\\A sendCoverKept']);
    // The timer that would have shown the first step is gone with it.
    await vi.advanceTimersByTimeAsync(SHOW_COVER_AFTER_MS * 2);
    expect(sheetTexts(host)).toEqual(['sendCoverSending\\A sendCoverKept']);
  });

  it('lets the send go on when the window cannot be styled', async () => {
    host.coverCompose = async () => {
      throw new Error('no scripting');
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    startSendCover(host, TAB);
    await expect(showSendPhase(host, TAB, 'sending', { now: true })).resolves.toBeUndefined();
    await expect(endSendCover(host, TAB)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
