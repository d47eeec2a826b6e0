/**
 * Drafts of a secure-mode message never stay on a mail server (docs/drafts.md). Thunderbird
 * saves a draft unencrypted into the identity's Drafts folder — on IMAP a folder on the server
 * — and only then tells add-ons (`compose.onAfterSave`; there is no event before the save).
 * So, with secure mode on, the saved draft is read, deleted from the server for good (expunged,
 * not moved to Trash), and put into Local Folders on this computer, replacing the copy of the
 * previous save. The panel says what happened; when the deletion fails it opens and says so.
 */
import { decideDraft, localFolderFor, type SavedMessage } from '../core/draftPlacement.ts';
import type { DraftNotice } from '../messaging/protocol.ts';
import type { Host, SaveReport } from '../platform/host.ts';
import { sealedCopyRecord } from './sealedCopies.ts';
import { isSecure } from './secureMode.ts';

/** What the panel is told about the tab's last save, kept in `storage.session`. */
export interface DraftRecord {
  outcome: 'kept-local' | 'not-removed' | 'not-found';
  /** When the save was handled (ISO 8601). */
  at: string;
  /** The Local Folders folder holding the copy; null when none could be made. */
  folderName: string | null;
  /** Thunderbird's reason when something failed. */
  reason: string | null;
}

const recordKey = (tabId: number) => `draft-notice:${tabId}`;
/** The id of the local copy of the tab's last save, replaced by the next save's. */
const copyKey = (tabId: number) => `draft-copy:${tabId}`;

/**
 * Waits before each retry of taking a draft off the server: Thunderbird may still be filing
 * the draft it has just appended (measured: about one save in three failed at once with
 * `getMsgHdrForKey`, and worked when looked up again).
 */
export const RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000, 4000];
/** Reads of a draft before it is deleted unread (the delays are the first of RETRY_DELAYS_MS). */
const READ_ATTEMPTS_BEFORE_DELETE = 3;
/** Tries to file the local copy: a folder Sealpost has just created may not take it at once. */
const IMPORT_ATTEMPTS = 3;

/** The reason to show, and the whole error in the console for whoever diagnoses it. */
function reasonOf(error: unknown): string {
  console.error('Sealpost: handling a saved draft', error);
  return error instanceof Error ? error.message : String(error);
}

/** `compose.onAfterSave` for a compose tab (tests shorten the waits between retries). */
export async function handleAfterSave(
  host: Host,
  tabId: number,
  report: SaveReport,
  retryDelaysMs: readonly number[] = RETRY_DELAYS_MS,
): Promise<void> {
  const secure = await isSecure(host, tabId);
  const decision = decideDraft({
    secure,
    sealedCopy: secure && (await sealedCopyRecord(host, tabId)) !== null,
    failed: report.failed,
    messages: report.messages,
    identityAccountType:
      secure && report.messages.length === 0 ? await tabIdentityAccountType(host, tabId) : null,
  });
  const at = new Date().toISOString();
  if (decision.action === 'leave') return;
  if (decision.action === 'warn-unknown') {
    await warn(host, tabId, { outcome: 'not-found', at, folderName: null, reason: null });
    return;
  }
  // Read first (into memory), delete at once, then file the local copy: the draft spends as
  // little time on the server as Thunderbird allows, and a failed copy cannot keep it there.
  const drafts: File[] = [];
  let copyProblem: string | null = null;
  for (const message of report.messages.filter((saved) =>
    decision.messageIds.includes(saved.messageId),
  )) {
    const taken = await takeOffServer(host, message, retryDelaysMs);
    if (taken.draft) drafts.push(taken.draft);
    else copyProblem = taken.readError;
    if (taken.deleteError !== null) {
      await warn(host, tabId, {
        outcome: 'not-removed',
        at,
        folderName: null,
        reason: taken.deleteError,
      });
      return;
    }
  }
  let folderName: string | null = null;
  const previousCopy = await host.session.get<number>(copyKey(tabId));
  for (const draft of drafts) {
    let importProblem: string | null = null;
    for (let attempt = 1; attempt <= IMPORT_ATTEMPTS; attempt++) {
      try {
        const copy = await host.importToLocalFolders(draft, localFolderFor(report.mode));
        folderName = copy.folderName;
        await host.session.set(copyKey(tabId), copy.messageId);
        importProblem = null;
        break;
      } catch (error) {
        importProblem = reasonOf(error);
        if (attempt < IMPORT_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, retryDelaysMs[attempt - 1] ?? 0));
        }
      }
    }
    if (importProblem !== null) copyProblem = importProblem;
  }
  if (folderName !== null && previousCopy !== undefined) {
    // The older save is superseded, as Thunderbird replaces its own previous draft.
    await host.deleteMessagesForGood([previousCopy]).catch(() => undefined);
  }
  const record: DraftRecord = {
    outcome: 'kept-local',
    at,
    folderName: copyProblem === null ? folderName : null,
    reason: copyProblem,
  };
  // Without a local copy only the compose window holds the draft: the sender must know now.
  if (record.folderName === null) await warn(host, tabId, record);
  else await host.session.set(recordKey(tabId), record);
}

/**
 * Reads one saved draft, deletes it for good, and checks the folder holds no message with its
 * Message-ID any more; while Thunderbird renumbers it, looks it up again and retries. It counts
 * as gone only after a deletion succeeded and nothing with its Message-ID is left.
 */
async function takeOffServer(
  host: Host,
  message: SavedMessage,
  retryDelaysMs: readonly number[],
): Promise<{ draft: File | null; readError: string | null; deleteError: string | null }> {
  let draft: File | null = null;
  let readError: string | null = null;
  let deleteError: string | null = null;
  let ids = [message.messageId];
  const lookUp = async () =>
    message.folderId === null
      ? ids
      : host.findStoredMessages(message.folderId, message.headerMessageId);
  for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
    if (attempt > 0) {
      await new Promise((resolve) => setTimeout(resolve, retryDelaysMs[attempt - 1]));
      ids = await lookUp().catch(() => ids);
      if (ids.length === 0) continue;
    }
    if (draft === null) {
      try {
        draft = await host.readStoredMessage(ids[0]!);
        readError = null;
      } catch (error) {
        readError = reasonOf(error);
        // Reading fails the same way as looking up while Thunderbird files the draft
        // (measured in CI: "An unexpected error occurred"); deleting now would leave only the
        // window holding it. Read again first, but not for long: the draft is on the server.
        if (attempt < READ_ATTEMPTS_BEFORE_DELETE - 1 && attempt < retryDelaysMs.length) continue;
      }
    }
    try {
      await host.deleteMessagesForGood(ids);
    } catch (error) {
      deleteError = reasonOf(error);
      continue;
    }
    const left = await lookUp().catch(() => ids);
    if (left.length === 0 || message.folderId === null) {
      return { draft, readError, deleteError: null };
    }
    deleteError = host.message('draftStillListed');
  }
  return { draft, readError, deleteError: deleteError ?? host.message('draftStillListed') };
}

/** The message was sent: its local draft copy is done with, as Thunderbird's own draft is. */
export async function handleDraftAfterSend(host: Host, tabId: number, failed: boolean) {
  if (failed) return;
  const copy = await host.session.get<number>(copyKey(tabId));
  if (copy === undefined) return;
  await host.session.remove(copyKey(tabId));
  await host.session.remove(recordKey(tabId));
  await host.deleteMessagesForGood([copy]).catch(() => undefined);
}

/** The compose tab closed: what was kept for its panel goes (the local copy stays a draft). */
export async function forgetDraftState(host: Host, tabId: number): Promise<void> {
  await host.session.remove(recordKey(tabId));
  await host.session.remove(copyKey(tabId));
}

/** The panel's sentence about the tab's last save, or null when there is nothing to say. */
export async function draftNotice(host: Host, tabId: number): Promise<DraftNotice | null> {
  const record = await host.session.get<DraftRecord>(recordKey(tabId));
  if (!record) return null;
  const time = new Date(record.at).toLocaleTimeString(host.uiLocale(), {
    hour: '2-digit',
    minute: '2-digit',
  });
  switch (record.outcome) {
    case 'kept-local':
      return record.folderName !== null
        ? { tone: 'info', message: host.message('draftKeptLocal', [time, record.folderName]) }
        : {
            tone: 'warning',
            message: host.message('draftRemovedNoCopy', [time, record.reason ?? '']),
          };
    case 'not-removed':
      return {
        tone: 'warning',
        message: host.message('draftNotRemoved', [time, record.reason ?? '']),
      };
    case 'not-found':
      return { tone: 'warning', message: host.message('draftNotFound', [time]) };
  }
}

async function warn(host: Host, tabId: number, record: DraftRecord): Promise<void> {
  await host.session.set(recordKey(tabId), record);
  try {
    await host.openPanel(tabId);
  } catch {
    // The notice stays stored; the panel shows it the next time it opens.
  }
}

async function tabIdentityAccountType(host: Host, tabId: number): Promise<string | null> {
  try {
    const { identityId } = await host.getComposeDetails(tabId);
    return identityId === null ? null : await host.identityAccountType(identityId);
  } catch {
    // The window closed right after saving ("Save" on close): its account is unknown.
    return null;
  }
}
