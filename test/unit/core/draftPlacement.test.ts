import { describe, expect, it } from 'vitest';
import {
  decideDraft,
  localFolderFor,
  storedOnServer,
  type SaveFacts,
} from '../../../src/core/draftPlacement.ts';

const saved = (messageId: number, accountType: string) => ({
  messageId,
  accountType,
  folderId: 'account2://Drafts',
  headerMessageId: `${messageId}@example.test`,
});

const facts = (overrides: Partial<SaveFacts>): SaveFacts => ({
  secure: true,
  sealedCopy: false,
  failed: false,
  messages: [saved(7, 'imap')],
  identityAccountType: null,
  ...overrides,
});

describe('where a draft of a secure-mode message may stay', () => {
  it('treats Local Folders, POP3 and feeds as this computer, anything else as a server', () => {
    expect(storedOnServer('local')).toBe(false);
    expect(storedOnServer('none')).toBe(false);
    expect(storedOnServer('pop3')).toBe(false);
    expect(storedOnServer('rss')).toBe(false);
    expect(storedOnServer('imap')).toBe(true);
    expect(storedOnServer('ews')).toBe(true);
    // A type Sealpost does not know (an add-on's own account type) could be a server.
    expect(storedOnServer('unknown')).toBe(true);
  });

  it('moves a draft saved on a server to Local Folders when secure mode is on', () => {
    expect(decideDraft(facts({}))).toEqual({ action: 'move-local', messageIds: [7] });
  });

  it('moves only the messages that are on a server', () => {
    const messages = [saved(1, 'local'), saved(2, 'imap')];
    expect(decideDraft(facts({ messages }))).toEqual({ action: 'move-local', messageIds: [2] });
  });

  it('leaves drafts alone without secure mode, for sealed copies, after a failed save, and on this computer', () => {
    expect(decideDraft(facts({ secure: false }))).toEqual({ action: 'leave' });
    expect(decideDraft(facts({ sealedCopy: true }))).toEqual({ action: 'leave' });
    expect(decideDraft(facts({ failed: true }))).toEqual({ action: 'leave' });
    const local = [saved(3, 'pop3')];
    expect(decideDraft(facts({ messages: local }))).toEqual({ action: 'leave' });
  });

  it('warns when Thunderbird names no saved message and the account may be a server', () => {
    expect(decideDraft(facts({ messages: [], identityAccountType: 'imap' }))).toEqual({
      action: 'warn-unknown',
    });
    expect(decideDraft(facts({ messages: [], identityAccountType: null }))).toEqual({
      action: 'warn-unknown',
    });
    expect(decideDraft(facts({ messages: [], identityAccountType: 'local' }))).toEqual({
      action: 'leave',
    });
  });

  it('files templates with templates and every other save with drafts', () => {
    expect(localFolderFor('template')).toBe('templates');
    expect(localFolderFor('draft')).toBe('drafts');
    expect(localFolderFor('autoSave')).toBe('drafts');
  });
});
