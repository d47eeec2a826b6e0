import { REPLY_FILE_NAME } from '../../core/envelope.ts';
import PostalMime from 'postal-mime';
import type { Mailbox } from '../../core/address.ts';
import { normaliseAddress, isPlausibleAddress } from '../../core/address.ts';
import type { ComposeSnapshot, Host } from '../host.ts';
import {
  deleteMessagesForGood,
  findStoredMessages,
  identityAccountType,
  importToLocalFolders,
  readStoredMessage,
} from './draftStore.ts';
import { storageArea } from './storageArea.ts';

/** Shorter than any idle timeout worth setting (tests use 1.5 s). */
const KEEP_AWAKE_INTERVAL_MS = 1000;

/** The only place the background touches `messenger.*`. */
export function createThunderbirdHost(): Host {
  return {
    session: storageArea(messenger.storage.session),
    local: storageArea(messenger.storage.local),

    async getComposeDetails(tabId) {
      const details = await messenger.compose.getComposeDetails(tabId);
      return snapshot(details);
    },
    async setComposeDetails(tabId, changes) {
      await messenger.compose.setComposeDetails(tabId, changes);
    },
    async listAttachments(tabId) {
      const attachments = await messenger.compose.listAttachments(tabId);
      return Promise.all(
        attachments.map(async (attachment) => ({
          id: attachment.id,
          name: attachment.name ?? 'attachment',
          file: await messenger.compose.getAttachmentFile(attachment.id),
        })),
      );
    },
    async addAttachment(tabId, file) {
      const added = await messenger.compose.addAttachment(tabId, { file, name: file.name });
      return added.id;
    },
    async removeAttachment(tabId, attachmentId) {
      await messenger.compose.removeAttachment(tabId, attachmentId);
    },
    async openSealedCompose(mail, cover) {
      const body = {
        plainTextBody: mail.plainTextBody,
        ...(mail.body === undefined ? {} : { body: mail.body }),
      };
      const details: messenger.compose.ComposeDetails = {
        ...(mail.identityId ? { identityId: mail.identityId } : {}),
        bcc: mail.bcc,
        subject: mail.subject,
        isPlainText: mail.isPlainText,
        // Covered first, then filled: the window never shows the notification as if it were
        // the sender's text.
        ...(cover ? {} : body),
        customHeaders: mail.customHeaders,
      };
      const tab = await messenger.compose.beginNew(details);
      if (tab.id === undefined) throw new Error('Thunderbird opened no compose tab');
      if (cover) {
        await insertComposeCss(tab.id, cover).catch(() => undefined);
        await messenger.compose.setComposeDetails(tab.id, body);
      }
      if (mail.attachment) {
        await messenger.compose.addAttachment(tab.id, {
          file: mail.attachment,
          name: mail.attachment.name,
        });
      }
      return tab.id;
    },
    async beginReply(messageId, details) {
      const tab = await messenger.compose.beginReply(messageId, 'replyToSender', {
        subject: details.subject,
        isPlainText: true,
        plainTextBody: details.plainTextBody,
      });
      if (tab.id === undefined) throw new Error('Thunderbird opened no compose tab');
      return tab.id;
    },
    async sendComposeNow(tabId) {
      const result = await messenger.compose.sendMessage(tabId, { mode: 'sendNow' });
      // A refused send does not reject: Thunderbird shows the server's answer in its own
      // dialog and, once that is closed, resolves without a Message-ID (seen in Thunderbird 153).
      if (!result.headerMessageId) throw new Error(messenger.i18n.getMessage('sendRefusedReason'));
    },
    keepAwake() {
      // An idle event page is suspended (`extensions.background.idle.timeout`, 30 s by default),
      // and an extension API call counts as activity: one every second keeps it running.
      const timer = setInterval(() => {
        void messenger.runtime.getPlatformInfo();
      }, KEEP_AWAKE_INTERVAL_MS);
      return () => clearInterval(timer);
    },
    async saveComposeDraft(tabId) {
      await messenger.compose.saveMessage(tabId, { mode: 'draft' });
    },
    readStoredMessage,
    findStoredMessages,
    deleteMessagesForGood,
    importToLocalFolders,
    identityAccountType,
    expandMailingList,
    async showSecureState(tabId, secure) {
      const suffix = secure ? 'On' : 'Off';
      await Promise.all([
        messenger.composeAction.setIcon({ tabId, path: `icons/lock-${secure ? 'on' : 'off'}.svg` }),
        messenger.composeAction.setTitle({
          tabId,
          title: messenger.i18n.getMessage(`composeAction${suffix}`),
        }),
        messenger.composeAction.setLabel({
          tabId,
          label: messenger.i18n.getMessage(`composeActionLabel${suffix}`),
        }),
      ]);
    },
    async openPanel(tabId) {
      const tab = await messenger.tabs.get(tabId);
      if (tab.windowId !== undefined) void openPopupWhenUnlocked(tab.windowId);
    },
    async openSendProgress(tabId) {
      try {
        const window = await messenger.windows.create({
          type: 'popup',
          url: `send-progress.html?tab=${tabId}`,
          width: 440,
          height: 260,
          allowScriptsToClose: true,
        });
        return window.id ?? null;
      } catch {
        return null;
      }
    },
    async coverCompose(tabId, css) {
      await insertComposeCss(tabId, css);
    },
    async uncoverCompose(tabId, css) {
      await messenger.scripting.removeCSS({ target: { tabId }, css });
    },
    async closeSendProgress(handle) {
      await messenger.windows.remove(handle).catch(() => undefined);
    },
    async activeComposeTab() {
      const [tab] = await messenger.tabs.query({ active: true, lastFocusedWindow: true });
      return tab?.type === 'messageCompose' && tab.id !== undefined ? tab.id : null;
    },
    async messageAttachmentText(messageId, name) {
      const attachment = await findAttachment(messageId, name);
      if (!attachment) return null;
      const content = attachment.content;
      return typeof content === 'string' ? content : new TextDecoder().decode(content);
    },
    async isSealedMessage(messageId) {
      if (await hasSealpostHeader(await rawMessage(messageId))) return true;
      // An ordinary reply carrying a secure reply made without a server. A message whose
      // parts cannot be listed (a feed item, a broken mail) simply has no button.
      const attachments = await messenger.messages.listAttachments(messageId).catch(() => []);
      return attachments.some((attachment) => attachment.name === REPLY_FILE_NAME);
    },
    async showSentCopyButton(tabId, enabled) {
      await (enabled
        ? messenger.messageDisplayAction.enable(tabId)
        : messenger.messageDisplayAction.disable(tabId));
    },
    async openSentCopyPage(messageId) {
      await messenger.tabs.create({
        url: `sent-copy.html?message=${encodeURIComponent(String(messageId))}`,
      });
    },
    message: (key, substitutions) => messenger.i18n.getMessage(key, substitutions),
    uiLocale: () => messenger.i18n.getUILanguage(),
    async readerTemplate() {
      const response = await fetch(messenger.runtime.getURL('reader/secure-message.html'));
      if (!response.ok) throw new Error('The reader is missing from the add-on package');
      return response.text();
    },
    fetch: (input, init) => fetch(input, init),
    async packagedText(path) {
      try {
        const response = await fetch(messenger.runtime.getURL(path));
        return response.ok ? await response.text() : null;
      } catch {
        // A file missing from the package is a failed fetch, not an error worth reporting.
        return null;
      }
    },
    deviceName: () => `Thunderbird (Sealpost) on ${navigator.platform || 'unknown system'}`,
    managedStorage: () => messenger.storage.managed.get(),
  };
}

/**
 * Thunderbird's `listAttachments` / `getAttachmentFile` parse the whole message on its main
 * thread (seconds for a sealed mail); the raw bytes come at once and postal-mime parses them
 * here, in the add-on's own process.
 */
/** A sheet in the compose editor: styles the window, never part of the mail's document. */
function insertComposeCss(tabId: number, css: string): Promise<void> {
  return messenger.scripting.insertCSS({ target: { tabId }, css });
}

async function findAttachment(messageId: number, name: string) {
  const raw = await rawMessage(messageId);
  const bytes =
    typeof raw === 'string'
      ? Uint8Array.from(raw, (character) => character.charCodeAt(0))
      : new Uint8Array(await raw.arrayBuffer());
  const email = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
  return email.attachments.find((attachment) => attachment.filename === name) ?? null;
}

function rawMessage(messageId: number): Promise<File | string> {
  return messenger.messages.getRaw(messageId, { data_format: 'File' }) as Promise<File | string>;
}

/**
 * Whether the top-level header block has `X-Sealpost:` (docs/envelope.md: Sealpost recognises its
 * own
 * mail by it). Only the first 64 KiB are read, so displaying a large message costs nothing.
 */
async function hasSealpostHeader(raw: File | string): Promise<boolean> {
  const head = typeof raw === 'string' ? raw.slice(0, 65536) : await raw.slice(0, 65536).text();
  const end = head.search(/\r?\n\r?\n/);
  return /^x-sealpost:/im.test(end === -1 ? head : head.slice(0, end));
}

/**
 * The compose window stays locked until the `onBeforeSend` listener has returned, and a popup
 * does not open on it meanwhile (`openPopup` resolves false). So the panel is opened after the
 * listener returns, retrying briefly until Thunderbird has unlocked the window. Retrying stops as
 * soon as that window is no longer the focused one: a late retry must never pull the panel over
 * to a window the sender has left (it would close the panel they are using now).
 */
async function openPopupWhenUnlocked(windowId: number): Promise<void> {
  for (let attempt = 1; attempt <= 8; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    try {
      const window = await messenger.windows.get(windowId);
      if (!window.focused) return;
      if (await messenger.composeAction.openPopup({ windowId })) return;
    } catch {
      // Not openable yet (window still locked), or the window is gone: try again or give up.
    }
  }
}

function snapshot(details: messenger.compose.ComposeDetails): ComposeSnapshot {
  return {
    identityId: details.identityId ?? null,
    from: recipientText(details.from),
    to: recipientList(details.to),
    cc: recipientList(details.cc),
    bcc: recipientList(details.bcc),
    subject: details.subject ?? '',
    isPlainText: details.isPlainText ?? true,
    body: details.body ?? '',
    plainTextBody: details.plainTextBody ?? '',
    customHeaders: (details.customHeaders ?? []).map(({ name, value }) => ({ name, value })),
  };
}

function recipientList(list: messenger.compose.ComposeRecipientList | undefined): string[] {
  if (list === undefined) return [];
  return (Array.isArray(list) ? list : [list]).map(recipientText).filter((text) => text !== '');
}

/** Since Thunderbird 128 recipients are strings; older `{id, type}` nodes are not expected here. */
function recipientText(recipient: messenger.compose.ComposeRecipient | undefined): string {
  return typeof recipient === 'string' ? recipient : '';
}

/** Looks a mailing list up by name in every address book and returns its members' addresses. */
async function expandMailingList(name: string): Promise<Mailbox[] | null> {
  const books = await messenger.addressBooks.list(true);
  for (const book of books) {
    for (const list of book.mailingLists ?? []) {
      if (list.name !== name) continue;
      return (list.contacts ?? [])
        .map((contact) => contactMailbox(contact))
        .filter((mailbox): mailbox is Mailbox => mailbox !== null);
    }
  }
  return null;
}

/** MV3 contacts carry a vCard; its first EMAIL line is the address Thunderbird sends to. */
function contactMailbox(contact: messenger.contacts.ContactNode): Mailbox | null {
  const properties = (contact.properties ?? {}) as Record<string, string | null | undefined>;
  const vCard = (contact as { vCard?: string }).vCard ?? '';
  const email = vCard.match(/^EMAIL[^:\r\n]*:(.+)$/im)?.[1] ?? properties.PrimaryEmail ?? '';
  const name = vCard.match(/^FN[^:\r\n]*:(.+)$/im)?.[1]?.trim() ?? properties.DisplayName ?? '';
  const address = normaliseAddress(email);
  return isPlausibleAddress(address) ? { name, address } : null;
}
