import type { Mailbox } from '../core/address.ts';
import type { SaveMode, SavedMessage } from '../core/draftPlacement.ts';
import type { FetchFunction } from '../core/serverClient.ts';

/**
 * The background's port to Thunderbird (a port, so tests use a stateful fake instead of stubs). The
 * real
 * adapter is `platform/thunderbird/thunderbirdHost.ts`; tests use
 * `test/fakes/fakeThunderbirdHost.ts`.
 */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
  /** Every entry whose key starts with `prefix`. */
  entries<T>(prefix: string): Promise<[string, T][]>;
}

/** What the compose window holds, as far as Sealpost needs it. */
export interface ComposeSnapshot {
  /** The identity (account, SMTP server, Sent folder) the message is sent with. */
  identityId: string | null;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  isPlainText: boolean;
  /** HTML body (HTML mode). */
  body: string;
  plainTextBody: string;
  customHeaders: { name: string; value: string }[];
}

export interface AttachmentSnapshot {
  id: number;
  name: string;
  file: File;
}

/** What the background may change in a compose window, applied by the host. */
export interface ComposeChanges {
  /** Replaces the Bcc field: a Bcc recipient's sealed mail goes separately (docs/envelope.md §0). */
  bcc?: string[];
  subject?: string;
  body?: string;
  plainTextBody?: string;
  customHeaders?: { name: string; value: string }[];
}

/** A mail that is already sealed, for a compose window of its own (a Bcc recipient's copy). */
export interface SealedComposeMail {
  identityId: string | null;
  /** The one hidden recipient: only in the SMTP envelope and the sender's Sent copy. */
  bcc: string[];
  subject: string;
  isPlainText: boolean;
  /** The notification as plain text, and as HTML when the sender writes HTML. */
  plainTextBody: string;
  body?: string;
  customHeaders: { name: string; value: string }[];
  /** `secure-message.html`; null for a mail sent by link without attachment. */
  attachment: File | null;
}

/** What `compose.onAfterSave` reported, each saved message with its account's type. */
export interface SaveReport {
  mode: SaveMode;
  /** Thunderbird reported an error: nothing was saved. */
  failed: boolean;
  messages: SavedMessage[];
}

export interface Host {
  session: KeyValueStore;
  local: KeyValueStore;
  getComposeDetails(tabId: number): Promise<ComposeSnapshot>;
  setComposeDetails(tabId: number, changes: ComposeChanges): Promise<void>;
  listAttachments(tabId: number): Promise<AttachmentSnapshot[]>;
  addAttachment(tabId: number, file: File): Promise<number>;
  removeAttachment(tabId: number, attachmentId: number): Promise<void>;
  /**
   * Opens a compose window holding a sealed mail; resolves with its tab id. With `cover` (a
   * style sheet, see `coverCompose`) the editor is covered before the mail fills it.
   */
  openSealedCompose(mail: SealedComposeMail, cover?: string): Promise<number>;
  /**
   * Adds a style sheet to a compose tab's editor. It is not part of the document, so it never
   * reaches the mail: Sealpost's progress over the editor while it sends.
   */
  coverCompose(tabId: number, css: string): Promise<void>;
  /** Removes a sheet `coverCompose` added (the same text). */
  uncoverCompose(tabId: number, css: string): Promise<void>;
  /**
   * Thunderbird's reply to the sender of a stored message (threaded: In-Reply-To, References),
   * as plain text with this subject and body; resolves with the compose tab's id.
   */
  beginReply(
    messageId: number,
    details: { subject: string; plainTextBody: string },
  ): Promise<number>;
  /**
   * Sends a compose tab now, through its identity's SMTP server and into its Sent folder (as
   * Thunderbird's own Send does); rejects with Thunderbird's reason when the send fails.
   */
  sendComposeNow(tabId: number): Promise<void>;
  /**
   * Keeps the event page from being suspended until the returned function is called: memory it
   * holds (a send's sealed Bcc copies) must outlive a main mail that takes long to go out.
   */
  keepAwake(): () => void;
  /** Saves a compose tab as a draft (its identity's Drafts folder). */
  saveComposeDraft(tabId: number): Promise<void>;
  /** The raw message as stored (a draft Thunderbird just saved). */
  readStoredMessage(messageId: number): Promise<File>;
  /** Ids of the messages in a folder with this Message-ID (a draft renumbered while filed). */
  findStoredMessages(folderId: string, headerMessageId: string): Promise<number[]>;
  /** Deletes stored messages for good: never to Trash, and expunged on an IMAP server. */
  deleteMessagesForGood(messageIds: number[]): Promise<void>;
  /**
   * Imports a message into Local Folders' Drafts or Templates folder (made if missing);
   * resolves with the copy's id and the folder's name.
   */
  importToLocalFolders(
    file: File,
    use: 'drafts' | 'templates',
  ): Promise<{ messageId: number; folderName: string }>;
  /** The type of the account an identity belongs to (`imap`, `local`…), or null when unknown. */
  identityAccountType(identityId: string): Promise<string | null>;
  /** Members of the address-book mailing list called `name`, or null when there is none. */
  expandMailingList(name: string): Promise<Mailbox[] | null>;
  /** Shows secure mode on the compose-toolbar button of that tab. */
  showSecureState(tabId: number, secure: boolean): Promise<void>;
  /** Opens the Sealpost popup in the compose window of that tab. */
  openPanel(tabId: number): Promise<void>;
  /**
   * Opens the small window that shows a send's upload progress and lets the sender cancel it
   * (the compose window is locked while it sends, and its panel cannot open then). Resolves to a
   * handle for `closeSendProgress`, or null when no window could be opened.
   */
  openSendProgress(tabId: number): Promise<number | null>;
  closeSendProgress(handle: number): Promise<void>;
  /** The compose tab that is active in the focused window, if any. */
  activeComposeTab(): Promise<number | null>;
  /** `_locales` message in the UI language. */
  message(key: string, substitutions?: string[]): string;
  uiLocale(): string;
  /** Text of the named attachment of a stored message, or null when it has none. */
  messageAttachmentText(messageId: number, name: string): Promise<string | null>;
  /** The stored message carries Sealpost's `X-Sealpost` header (checked on every display, so cheap). */
  isSealedMessage(messageId: number): Promise<boolean>;
  /** Enables the message-display button that opens a secure message ("Open secure message"). */
  showSentCopyButton(tabId: number, enabled: boolean): Promise<void>;
  /** Opens the page that opens a stored secure message with the user's keys or a code. */
  openSentCopyPage(messageId: number): Promise<void>;
  /** The reader template shipped with the add-on (`reader/secure-message.html`). */
  readerTemplate(): Promise<string>;
  /** HTTP to the Sealpost server (the add-on's host permissions let it past CORS). */
  fetch: FetchFunction;
  /** Text of a file in the add-on package (e.g. a development `defaults.json`), or null. */
  packagedText(path: string): Promise<string | null>;
  /** A name for this installation, shown to admins listing device tokens. */
  deviceName(): string;
  /**
   * What the organisation's `policies.json` sets for this add-on (`storage.managed`), not yet
   * validated. Throws "Managed storage manifest not found" when there is no policy.
   */
  managedStorage(): Promise<unknown>;
}

/** What an `onBeforeSend` listener answers Thunderbird: cancel the send, or change the mail. */
export interface BeforeSendResult {
  cancel?: boolean;
  details?: ComposeChanges;
}
