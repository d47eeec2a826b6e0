import type {
  AttachmentSnapshot,
  ComposeChanges,
  ComposeSnapshot,
  Host,
  KeyValueStore,
  SealedComposeMail,
} from '../../src/platform/host.ts';
import type { Mailbox } from '../../src/core/address.ts';
import type { FetchFunction } from '../../src/core/serverClient.ts';

/** A real in-memory key-value area with structured-clone semantics, like `storage.*`. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  async get<T>(key: string) {
    return this.data.has(key) ? (structuredClone(this.data.get(key)) as T) : undefined;
  }
  async set(key: string, value: unknown) {
    this.data.set(key, structuredClone(value));
  }
  async remove(key: string) {
    this.data.delete(key);
  }
  async entries<T>(prefix: string) {
    return [...this.data]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key, structuredClone(value) as T] as [string, T]);
  }
}

export interface FakeComposeTab {
  details: ComposeSnapshot;
  attachments: AttachmentSnapshot[];
}

/**
 * A stateful stand-in for Thunderbird (house style rule 6): compose tabs whose details and
 * attachments really change, storage that really stores, and a log of what the UI was asked to
 * show. `failOn` makes the next call of one operation throw once, to prove the fail-closed paths.
 */
export class FakeThunderbirdHost implements Host {
  session = new MemoryStore();
  local = new MemoryStore();
  tabs = new Map<number, FakeComposeTab>();
  mailingLists = new Map<string, Mailbox[]>();
  /** Stored messages (a Sent folder) by message id: their attachments. */
  storedMessages = new Map<number, { name: string; file: File }[]>();
  sentCopyButtons: [number, boolean][] = [];
  sentCopyPagesOpened: number[] = [];
  panelsOpened: number[] = [];
  buttonStates: [number, boolean][] = [];
  failOn:
    | 'addAttachment'
    | 'removeAttachment'
    | 'readerTemplate'
    | 'openSealedCompose'
    | 'readStoredMessage'
    | 'deleteMessagesForGood'
    | 'importToLocalFolders'
    | null = null;
  /**
   * Messages in mail folders by message id, e.g. `imap:Drafts` (on the mail server) or
   * `local:drafts` (Local Folders): what a saved draft leaves where.
   */
  mailFolders = new Map<number, { folder: string; file: File; headerMessageId: string }>();
  /** The account type of each identity (`identityAccountType`). */
  identityAccountTypes = new Map<string, string>([['id1', 'imap']]);
  private nextMessageId = 900;
  /**
   * What the SMTP server does with a send: `accept` files it as sent; a function decides per
   * compose tab (a string is the refusal Thunderbird reports, null accepts).
   */
  smtp: (tab: FakeComposeTab) => string | null = () => null;
  /** Every mail that left, in order: the compose tab's details and attachments at that moment. */
  sentMails: FakeComposeTab[] = [];
  /** Compose tabs saved as drafts, by tab id, as they were when saved. */
  drafts = new Map<number, FakeComposeTab>();
  /** `onBeforeSend` as the background registers it; called by `sendComposeNow` like Thunderbird. */
  beforeSend: ((tabId: number) => Promise<{ cancel?: boolean; details?: ComposeChanges }>) | null =
    null;
  template =
    '<!doctype html><title>reader</title><script type="application/json" id="sealpost-envelope">SEALPOST_ENVELOPE</script>';
  private nextAttachmentId = 100;
  private nextTabId = 500;

  openCompose(tabId: number, details: Partial<ComposeSnapshot>, files: File[] = []): void {
    this.tabs.set(tabId, {
      details: {
        identityId: 'id1',
        from: 'Alice Sender <alice@example.test>',
        to: [],
        cc: [],
        bcc: [],
        subject: '',
        isPlainText: true,
        body: '',
        plainTextBody: '',
        customHeaders: [],
        ...details,
      },
      attachments: files.map((file) => ({ id: this.nextAttachmentId++, name: file.name, file })),
    });
  }

  /** Files the compose tab's current attachments as stored message `messageId`, as a Sent copy. */
  fileAsSent(tabId: number, messageId: number): void {
    this.storedMessages.set(
      messageId,
      this.tab(tabId).attachments.map(({ name, file }) => ({ name, file })),
    );
  }

  async messageAttachmentText(messageId: number, name: string) {
    const attachment = this.storedMessages.get(messageId)?.find((entry) => entry.name === name);
    return attachment ? attachment.file.text() : null;
  }
  async isSealedMessage(messageId: number) {
    return (this.storedMessages.get(messageId) ?? []).some(
      (entry) => entry.name === 'secure-message.html',
    );
  }
  async showSentCopyButton(tabId: number, enabled: boolean) {
    this.sentCopyButtons.push([tabId, enabled]);
  }
  async openSentCopyPage(messageId: number) {
    this.sentCopyPagesOpened.push(messageId);
  }

  /** Operations that fail every time (`failOn` fails once). */
  alwaysFailing = new Set<NonNullable<FakeThunderbirdHost['failOn']>>();

  private maybeFail(operation: NonNullable<FakeThunderbirdHost['failOn']>): void {
    if (this.alwaysFailing.has(operation)) throw new Error(`${operation} failed`);
    if (this.failOn !== operation) return;
    this.failOn = null;
    throw new Error(`${operation} failed`);
  }

  private tab(tabId: number): FakeComposeTab {
    const tab = this.tabs.get(tabId);
    if (!tab) throw new Error(`No compose tab ${tabId}`);
    return tab;
  }

  async getComposeDetails(tabId: number) {
    return structuredClone(this.tab(tabId).details);
  }
  async setComposeDetails(tabId: number, changes: ComposeChanges) {
    Object.assign(this.tab(tabId).details, structuredClone(changes));
  }
  async listAttachments(tabId: number) {
    return [...this.tab(tabId).attachments];
  }
  async addAttachment(tabId: number, file: File) {
    this.maybeFail('addAttachment');
    const id = this.nextAttachmentId++;
    this.tab(tabId).attachments.push({ id, name: file.name, file });
    return id;
  }
  async removeAttachment(tabId: number, attachmentId: number) {
    this.maybeFail('removeAttachment');
    const tab = this.tab(tabId);
    tab.attachments = tab.attachments.filter((attachment) => attachment.id !== attachmentId);
  }
  /** Replies begun (`beginReply`): the message replied to and the new tab. */
  replies: { messageId: number; tabId: number }[] = [];
  /** The sender of each stored message, for `beginReply` (Thunderbird reads it from the mail). */
  messageSenders = new Map<number, string>();
  /** The identity a reply is written from (Thunderbird picks the one the mail was sent to). */
  replyFrom: string | null = null;
  async beginReply(messageId: number, details: { subject: string; plainTextBody: string }) {
    const tabId = this.nextTabId++;
    const sender = this.messageSenders.get(messageId);
    this.openCompose(tabId, {
      ...(this.replyFrom ? { from: this.replyFrom } : {}),
      to: sender ? [sender] : [],
      subject: details.subject,
      isPlainText: true,
      plainTextBody: details.plainTextBody,
    });
    this.replies.push({ messageId, tabId });
    return tabId;
  }
  async openSealedCompose(mail: SealedComposeMail, cover?: string) {
    this.maybeFail('openSealedCompose');
    const tabId = this.nextTabId++;
    if (cover) this.editorSheets.set(tabId, [cover]);
    this.openCompose(
      tabId,
      {
        identityId: mail.identityId,
        bcc: [...mail.bcc],
        subject: mail.subject,
        isPlainText: mail.isPlainText,
        plainTextBody: mail.plainTextBody,
        body: mail.body ?? '',
        customHeaders: structuredClone(mail.customHeaders),
      },
      mail.attachment ? [mail.attachment] : [],
    );
    return tabId;
  }
  /** Thunderbird's send: `onBeforeSend` first (it may cancel or change), then the SMTP server. */
  async sendComposeNow(tabId: number) {
    const tab = this.tab(tabId);
    const result = this.beforeSend ? await this.beforeSend(tabId) : {};
    if (result.cancel) throw new Error('Send cancelled by an add-on');
    if (result.details) Object.assign(tab.details, structuredClone(result.details));
    const refusal = this.smtp(tab);
    if (refusal !== null) throw new Error(refusal);
    this.sentMails.push(structuredClone({ details: tab.details, attachments: tab.attachments }));
    this.drafts.delete(tabId);
    this.tabs.delete(tabId);
  }
  /** How many `keepAwake` holds are active (the event page may sleep only at 0). */
  awakeHolds = 0;
  keepAwake() {
    this.awakeHolds++;
    let released = false;
    return () => {
      if (!released) this.awakeHolds--;
      released = true;
    };
  }
  async saveComposeDraft(tabId: number) {
    const tab = this.tab(tabId);
    this.drafts.set(tabId, {
      details: structuredClone(tab.details),
      attachments: [...tab.attachments],
    });
  }
  /** Puts a message into a folder, as Thunderbird saving a draft does; returns its id. */
  storeMessage(folder: string, text: string, headerMessageId = `${this.nextMessageId}@fake`) {
    const messageId = this.nextMessageId++;
    this.mailFolders.set(messageId, {
      folder,
      file: new File([text], 'message.eml'),
      headerMessageId,
    });
    return messageId;
  }
  /**
   * Gives a stored message a new id, as Thunderbird does while it files a draft it has just
   * appended to an IMAP folder: the old id no longer works.
   */
  renumber(messageId: number): number {
    const stored = this.mailFolders.get(messageId);
    if (!stored) throw new Error(`No message ${messageId}`);
    this.mailFolders.delete(messageId);
    const newId = this.nextMessageId++;
    this.mailFolders.set(newId, stored);
    return newId;
  }
  async findStoredMessages(folderId: string, headerMessageId: string) {
    return [...this.mailFolders]
      .filter(([, entry]) => entry.folder === folderId && entry.headerMessageId === headerMessageId)
      .map(([messageId]) => messageId);
  }
  /** The texts of the messages in a folder. */
  async folderTexts(folder: string): Promise<string[]> {
    const files = [...this.mailFolders.values()].filter((entry) => entry.folder === folder);
    return Promise.all(files.map((entry) => entry.file.text()));
  }
  async readStoredMessage(messageId: number) {
    this.maybeFail('readStoredMessage');
    const stored = this.mailFolders.get(messageId);
    if (!stored) throw new Error(`No message ${messageId}`);
    return stored.file;
  }
  async deleteMessagesForGood(messageIds: number[]) {
    this.maybeFail('deleteMessagesForGood');
    if (messageIds.some((messageId) => !this.mailFolders.has(messageId))) {
      throw new Error('Error deleting message: getMsgHdrForKey');
    }
    for (const messageId of messageIds) this.mailFolders.delete(messageId);
  }
  async importToLocalFolders(file: File, use: 'drafts' | 'templates') {
    this.maybeFail('importToLocalFolders');
    const messageId = this.nextMessageId++;
    this.mailFolders.set(messageId, { folder: `local:${use}`, file, headerMessageId: '' });
    return { messageId, folderName: use === 'drafts' ? 'Drafts' : 'Templates' };
  }
  async identityAccountType(identityId: string) {
    return this.identityAccountTypes.get(identityId) ?? null;
  }
  async expandMailingList(name: string) {
    return this.mailingLists.get(name) ?? null;
  }
  async showSecureState(tabId: number, secure: boolean) {
    this.buttonStates.push([tabId, secure]);
  }
  async openPanel(tabId: number) {
    this.panelsOpened.push(tabId);
  }
  /** Style sheets in each compose tab's editor, oldest first (`coverCompose`). */
  editorSheets = new Map<number, string[]>();
  async coverCompose(tabId: number, css: string) {
    this.tab(tabId);
    this.editorSheets.set(tabId, [...(this.editorSheets.get(tabId) ?? []), css]);
  }
  async uncoverCompose(tabId: number, css: string) {
    // As Thunderbird: removing a sheet that is not there changes nothing.
    const sheets = this.editorSheets.get(tabId) ?? [];
    const index = sheets.indexOf(css);
    if (index >= 0) this.editorSheets.set(tabId, sheets.toSpliced(index, 1));
  }
  /** Progress windows opened (by compose tab) and closed (by handle). */
  progressWindows: { tabId: number; closed: boolean }[] = [];
  async openSendProgress(tabId: number) {
    this.progressWindows.push({ tabId, closed: false });
    return this.progressWindows.length;
  }
  async closeSendProgress(handle: number) {
    const window = this.progressWindows[handle - 1];
    if (window) window.closed = true;
  }
  async activeComposeTab() {
    return [...this.tabs.keys()][0] ?? null;
  }
  message(key: string, substitutions: string[] = []) {
    return [key, ...substitutions].join('|');
  }
  uiLocale() {
    return 'en-US';
  }
  async readerTemplate() {
    this.maybeFail('readerTemplate');
    return this.template;
  }

  /** Files of the add-on package by path (e.g. `defaults.json`). */
  packagedFiles = new Map<string, string>();
  async packagedText(path: string) {
    return this.packagedFiles.get(path) ?? null;
  }
  deviceName() {
    return 'Fake Thunderbird';
  }
  /**
   * What `policies.json` sets for the add-on; undefined is no policy at all (Thunderbird then
   * throws, as the real `storage.managed.get()` does).
   */
  policy: unknown = undefined;
  async managedStorage() {
    if (this.policy === undefined) throw new Error('Managed storage manifest not found');
    return structuredClone(this.policy);
  }
  /** Every request the background made to a server. */
  fetched: { url: string; method: string; body: unknown }[] = [];
  /**
   * Where server requests go: a test installs a fake server (e.g. `test/fakes/fakeSealpostServer.ts`).
   * Without one, the network is down.
   */
  server: FetchFunction | null = null;
  fetch: FetchFunction = async (url, init) => {
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    this.fetched.push({ url, method: init.method ?? 'GET', body });
    if (!this.server) throw new TypeError('NetworkError when attempting to fetch resource.');
    return this.server(url, init);
  };
}
