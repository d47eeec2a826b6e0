import type { SaveMode, SavedMessage } from '../../core/draftPlacement.ts';
import type { SaveReport } from '../host.ts';

/**
 * `messages.delete` takes `{ deletePermanently }` since Thunderbird 128 (the boolean form is
 * deprecated); @types/thunderbird-webext-browser 127 knows only the boolean. The one widening
 * cast lives here.
 */
type DeleteMessages = (
  messageIds: number[],
  options: { deletePermanently: boolean; isUserAction?: boolean },
) => Promise<void>;

/**
 * Deletes messages for good: not moved to Trash whatever the account's deletion setting, and on
 * an IMAP server flagged `\Deleted` and expunged (measured with dovecot: the message file is
 * gone; docs/drafts.md). Not an undoable user action.
 */
export async function deleteMessagesForGood(messageIds: number[]): Promise<void> {
  const remove = messenger.messages.delete as unknown as DeleteMessages;
  await remove(messageIds, { deletePermanently: true, isUserAction: false });
}

/**
 * The ids of the messages in a folder with this Message-ID. A draft Thunderbird has just
 * appended to an IMAP folder can be renumbered while Thunderbird files it (measured: the id
 * `onAfterSave` gave then failed with `getMsgHdrForKey`), so it is looked up again by its
 * Message-ID.
 */
export async function findStoredMessages(
  folderId: string,
  headerMessageId: string,
): Promise<number[]> {
  const ids: number[] = [];
  let page = await messenger.messages.query({ folderId, headerMessageId });
  for (;;) {
    if (typeof page === 'string') break;
    ids.push(...page.messages.map((message) => message.id));
    if (!page.id) break;
    page = await messenger.messages.continueList(page.id);
  }
  return ids;
}

/** The raw message, as a File (read from the server if Thunderbird holds no offline copy). */
export async function readStoredMessage(messageId: number): Promise<File> {
  const raw = await messenger.messages.getRaw(messageId, { data_format: 'File' });
  if (typeof raw !== 'string') return raw;
  // An older Thunderbird answers with a binary string: one char per byte.
  const bytes = Uint8Array.from(raw, (character) => character.charCodeAt(0));
  return new File([bytes], 'draft.eml', { type: 'message/rfc822' });
}

/**
 * Imports a message into Local Folders' Drafts (or Templates) folder. A fresh Local Folders has
 * only Trash and Outbox, and a folder an add-on creates is not flagged as Drafts (the API cannot
 * set a special use), so the folder is found by its special use, else by its name at the top of
 * Local Folders, else created. Resolves with the copy's id and the folder's name.
 */
export async function importToLocalFolders(
  file: File,
  use: 'drafts' | 'templates',
): Promise<{ messageId: number; folderName: string }> {
  const accounts = await messenger.accounts.list(false);
  // Local Folders is type `local` for a Manifest V3 add-on (`none` in Manifest V2).
  const local = accounts.find((account) => account.type === 'local');
  if (!local) throw new Error('Thunderbird has no Local Folders');
  const name = use === 'drafts' ? 'Drafts' : 'Templates';
  const folders = await messenger.folders.query({ accountId: local.id });
  const folder =
    folders.find((candidate) => candidate.specialUse?.includes(use)) ??
    folders.find((candidate) => candidate.path === `/${name}`) ??
    (await step(`creating Local Folders › ${name}`, () =>
      messenger.folders.create(local.rootFolder?.id ?? local, name),
    ));
  if (!folder.id) throw new Error('Thunderbird gave the local folder no id');
  const folderId = folder.id;
  const header = await step(`filing the draft in Local Folders › ${name}`, () =>
    messenger.messages.import(file, folderId, { read: true }),
  );
  return { messageId: header.id, folderName: folder.name ?? name };
}

/** Runs one step, naming it in the error (Thunderbird's own may be "An unexpected error occurred"). */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** The type of the account an identity belongs to (`imap`, `local`…), or null when unknown. */
export async function identityAccountType(identityId: string): Promise<string | null> {
  const identity = await messenger.identities.get(identityId);
  if (!identity?.accountId) return null;
  return (await messenger.accounts.get(identity.accountId, false))?.type ?? null;
}

/** `compose.onAfterSave`'s report with each saved message's account type looked up. */
export async function saveReport(
  saveInfo: messenger.compose._OnAfterSaveSaveInfo,
): Promise<SaveReport> {
  const messages: SavedMessage[] = [];
  for (const message of saveInfo.messages ?? []) {
    const accountId = message.folder?.accountId;
    const account = accountId ? await messenger.accounts.get(accountId, false) : null;
    // An account that cannot be named is treated as a server (core/draftPlacement.ts).
    messages.push({
      messageId: message.id,
      accountType: account?.type ?? 'unknown',
      folderId: message.folder?.id ?? null,
      headerMessageId: message.headerMessageId,
    });
  }
  return { mode: saveInfo.mode as SaveMode, failed: Boolean(saveInfo.error), messages };
}
