/**
 * Where a draft of a secure-mode message may stay (docs/drafts.md). Thunderbird saves drafts
 * (Ctrl+S, File › Save, autosave, closing with "Save") unencrypted into the identity's Drafts
 * folder, and an add-on learns of it only afterwards (`compose.onAfterSave`; there is no
 * "before save" event). On an IMAP (or Exchange) account that folder is on the mail server, so
 * with secure mode on the saved draft is copied into Local Folders on this computer and deleted
 * from the server for good.
 */

/** How Thunderbird saved: a draft (menu, Ctrl+S, the API), an autosave, or a template. */
export type SaveMode = 'draft' | 'autoSave' | 'template';

/** A message Thunderbird has just saved, and the kind of account whose folder holds it. */
export interface SavedMessage {
  messageId: number;
  /** `accounts.MailAccount.type`: `imap`, `pop3`, `local` (Local Folders), `ews`, … */
  accountType: string;
  /** The folder it was saved to, to find it again under a new id; null when unknown. */
  folderId: string | null;
  /** Its `Message-ID` (without `<>`): a new one for every save. */
  headerMessageId: string;
}

/**
 * Account types whose folders are files on this computer: Local Folders (`local` to a Manifest
 * V3 add-on, `none` to an older one), POP3 (mail is downloaded and its Drafts folder is local)
 * and feeds. Anything else — IMAP, Exchange, and any type Thunderbird or an add-on adds later —
 * counts as a server, so an unknown type is treated as the one that can leak.
 */
const LOCAL_ACCOUNT_TYPES: ReadonlySet<string> = new Set(['local', 'none', 'pop3', 'rss']);

/** Whether a folder of this account type lives on a mail server. */
export function storedOnServer(accountType: string): boolean {
  return !LOCAL_ACCOUNT_TYPES.has(accountType);
}

/** The Local Folders folder (by special use) that takes a save of this mode. */
export function localFolderFor(mode: SaveMode): 'drafts' | 'templates' {
  return mode === 'template' ? 'templates' : 'drafts';
}

/** What `compose.onAfterSave` reported, plus what Sealpost knows about the compose tab. */
export interface SaveFacts {
  /** Secure mode is on for the tab. */
  secure: boolean;
  /** The tab holds a Bcc recipient's sealed copy: its draft is sealed already. */
  sealedCopy: boolean;
  /** Thunderbird reported the save as failed (nothing was stored). */
  failed: boolean;
  /** The saved message(s); Thunderbird lists exactly one when it could name it. */
  messages: SavedMessage[];
  /**
   * The account type of the tab's identity, for when Thunderbird named no message: its Drafts
   * folder is normally in that account. Null when unknown.
   */
  identityAccountType: string | null;
}

/** What to do after a save. */
export type DraftDecision =
  /** Nothing: secure mode off, a sealed copy, a failed save, or a draft kept on this computer. */
  | { action: 'leave' }
  /** Copy these messages into Local Folders, then delete them from the server. */
  | { action: 'move-local'; messageIds: number[] }
  /**
   * The draft most likely went to a server, but Thunderbird named no message to remove: the
   * sender must be told to delete it there.
   */
  | { action: 'warn-unknown' };

/** Decides what happens to a freshly saved draft (pure: the background applies it). */
export function decideDraft(facts: SaveFacts): DraftDecision {
  if (!facts.secure || facts.sealedCopy || facts.failed) return { action: 'leave' };
  if (facts.messages.length === 0) {
    const type = facts.identityAccountType;
    return type !== null && !storedOnServer(type)
      ? { action: 'leave' }
      : { action: 'warn-unknown' };
  }
  const onServer = facts.messages.filter((message) => storedOnServer(message.accountType));
  if (onServer.length === 0) return { action: 'leave' };
  return { action: 'move-local', messageIds: onServer.map((message) => message.messageId) };
}
