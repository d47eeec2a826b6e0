import { beforeEach, describe, expect, it } from 'vitest';
import { getComposeState } from '../../../src/background/composeState.ts';
import {
  draftNotice,
  forgetDraftState,
  handleAfterSave,
  handleDraftAfterSend,
} from '../../../src/background/draftGuard.ts';
import { setSecure } from '../../../src/background/secureMode.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

const TAB = 4;
/** No waiting between retries in unit tests. */
const NO_WAIT = [0, 0, 0];
const DRAFT = 'Subject: Figures\r\n\r\nThe merger closes Friday: DRAFTBODY-1234\r\n';

describe('a draft saved in secure mode does not stay on the mail server', () => {
  let host: FakeThunderbirdHost;

  beforeEach(async () => {
    host = new FakeThunderbirdHost();
    host.openCompose(TAB, { to: ['bob@partner.example'], plainTextBody: 'DRAFTBODY-1234' });
    await setSecure(host, TAB, true);
  });

  let saves = 0;
  /** Thunderbird saved the draft into the IMAP folder; `renumber` as it may while filing it. */
  const save = (mode: 'draft' | 'autoSave' | 'template' = 'draft', renumber = false) => {
    const folderId = mode === 'template' ? 'imap:Templates' : 'imap:Drafts';
    const headerMessageId = `save-${++saves}@example.test`;
    const messageId = host.storeMessage(folderId, DRAFT, headerMessageId);
    if (renumber) host.renumber(messageId);
    return handleAfterSave(
      host,
      TAB,
      {
        mode,
        failed: false,
        messages: [{ messageId, accountType: 'imap', folderId, headerMessageId }],
      },
      NO_WAIT,
    );
  };

  it('deletes the server copy and keeps it in Local Folders › Drafts, and the panel says so', async () => {
    await save();
    expect(await host.folderTexts('imap:Drafts')).toEqual([]);
    expect(await host.folderTexts('local:drafts')).toEqual([DRAFT]);
    const notice = await draftNotice(host, TAB);
    expect(notice?.tone).toBe('info');
    expect(notice?.message).toMatch(/^draftKeptLocal\|\d\d:\d\d( [AP]M)?\|Drafts$/);
    expect((await getComposeState(host, TAB)).draftNotice).toEqual(notice);
    // An autosave every few minutes must not pop the panel up while the sender types.
    expect(host.panelsOpened).toEqual([]);
  });

  it('keeps one local copy: each save replaces the previous one', async () => {
    await save();
    await save('autoSave');
    await save('autoSave');
    expect(await host.folderTexts('imap:Drafts')).toEqual([]);
    expect(await host.folderTexts('local:drafts')).toHaveLength(1);
  });

  it('files a template in Local Folders › Templates', async () => {
    await save('template');
    expect(await host.folderTexts('imap:Templates')).toEqual([]);
    expect(await host.folderTexts('local:templates')).toEqual([DRAFT]);
  });

  it('leaves the draft where Thunderbird put it when secure mode is off', async () => {
    await setSecure(host, TAB, false);
    await save();
    expect(await host.folderTexts('imap:Drafts')).toEqual([DRAFT]);
    expect(await draftNotice(host, TAB)).toBeNull();
  });

  it('leaves a draft in Local Folders or a POP3 account where it is', async () => {
    const messageId = host.storeMessage('local:drafts', DRAFT, 'local@example.test');
    await handleAfterSave(host, TAB, {
      mode: 'draft',
      failed: false,
      messages: [
        { messageId, accountType: 'local', folderId: 'local:drafts', headerMessageId: 'x' },
      ],
    });
    expect(await host.folderTexts('local:drafts')).toEqual([DRAFT]);
    expect(await draftNotice(host, TAB)).toBeNull();
  });

  it('finds the draft again when Thunderbird renumbered it while filing it', async () => {
    await save('draft', true);
    expect(await host.folderTexts('imap:Drafts')).toEqual([]);
    expect(await host.folderTexts('local:drafts')).toEqual([DRAFT]);
    expect((await draftNotice(host, TAB))?.tone).toBe('info');
  });

  it('retries a deletion that fails once', async () => {
    host.failOn = 'deleteMessagesForGood';
    await save();
    expect(await host.folderTexts('imap:Drafts')).toEqual([]);
    expect((await draftNotice(host, TAB))?.tone).toBe('info');
  });

  it('opens the panel with a warning when the server copy cannot be deleted', async () => {
    host.alwaysFailing.add('deleteMessagesForGood');
    await save();
    expect(await host.folderTexts('imap:Drafts')).toEqual([DRAFT]);
    const notice = await draftNotice(host, TAB);
    expect(notice?.tone).toBe('warning');
    expect(notice?.message).toContain('draftNotRemoved');
    expect(notice?.message).toContain('deleteMessagesForGood failed');
    expect(host.panelsOpened).toEqual([TAB]);
  });

  it('reads the draft again before deleting it when the first read fails', async () => {
    host.failOn = 'readStoredMessage';
    await save();
    expect(await host.folderTexts('imap:Drafts')).toEqual([]);
    expect(await host.folderTexts('local:drafts')).toEqual([DRAFT]);
    expect((await draftNotice(host, TAB))?.tone).toBe('info');
    expect(host.panelsOpened).toEqual([]);
  });

  it('files the local copy again when the first import fails', async () => {
    host.failOn = 'importToLocalFolders';
    await save();
    expect(await host.folderTexts('local:drafts')).toEqual([DRAFT]);
    expect((await draftNotice(host, TAB))?.tone).toBe('info');
  });

  it('still deletes the server copy when no local copy can be made, and says only the window holds it', async () => {
    host.alwaysFailing.add('importToLocalFolders');
    await save();
    expect(await host.folderTexts('imap:Drafts')).toEqual([]);
    expect(await host.folderTexts('local:drafts')).toEqual([]);
    expect((await draftNotice(host, TAB))?.message).toContain('draftRemovedNoCopy');
    expect(host.panelsOpened).toEqual([TAB]);
  });

  it('still deletes the server copy when it cannot be read', async () => {
    host.alwaysFailing.add('readStoredMessage');
    await save();
    expect(await host.folderTexts('imap:Drafts')).toEqual([]);
    expect((await draftNotice(host, TAB))?.tone).toBe('warning');
  });

  it('warns when Thunderbird named no saved message and the identity is on a server', async () => {
    await handleAfterSave(host, TAB, { mode: 'autoSave', failed: false, messages: [] });
    expect((await draftNotice(host, TAB))?.message).toContain('draftNotFound');
    expect(host.panelsOpened).toEqual([TAB]);
  });

  it('does nothing after a failed save', async () => {
    await handleAfterSave(host, TAB, { mode: 'draft', failed: true, messages: [] });
    expect(await draftNotice(host, TAB)).toBeNull();
  });

  it('removes the local copy once the message is sent, not when the send failed', async () => {
    await save();
    await handleDraftAfterSend(host, TAB, true);
    expect(await host.folderTexts('local:drafts')).toHaveLength(1);
    await handleDraftAfterSend(host, TAB, false);
    expect(await host.folderTexts('local:drafts')).toEqual([]);
    expect(await draftNotice(host, TAB)).toBeNull();
  });

  it('forgets the notice when the window closes, but keeps the local draft', async () => {
    await save();
    await forgetDraftState(host, TAB);
    expect(await draftNotice(host, TAB)).toBeNull();
    expect(await host.folderTexts('local:drafts')).toEqual([DRAFT]);
  });
});
