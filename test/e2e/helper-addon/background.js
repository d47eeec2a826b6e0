/* global messenger, browser */
/* Test-only helper: takes instructions from the harness's HTTP server (its port is in
 * config.json, written into the profile copy of this add-on) and answers each one.
 * It composes like a user would (beginNew + attachments), prepares what a user would already
 * have (a mailing list in the address book) and shows messages as a user would open them;
 * it does not touch Sealpost. */
'use strict';

const handlers = {
  /** Lists identities so the harness can check the profile it built. */
  async identities() {
    const accounts = await messenger.accounts.list();
    return accounts.flatMap((account) =>
      account.identities.map((identity) => ({ id: identity.id, email: identity.email })),
    );
  },

  /** Opens a compose window; attachments are fetched from the harness by URL. */
  async compose(params) {
    const identityId = await identityIdFor(params.from);
    const details = {
      identityId,
      to: params.to,
      cc: params.cc,
      bcc: params.bcc,
      subject: params.subject,
      isPlainText: !params.html,
    };
    if (params.html) details.body = params.body;
    else details.plainTextBody = params.body;
    const tab = await messenger.compose.beginNew(details);
    for (const attachment of params.attachments ?? []) {
      const response = await fetch(attachment.url);
      if (!response.ok) throw new Error(`attachment ${attachment.name}: HTTP ${response.status}`);
      const bytes = await response.arrayBuffer();
      const file = new File([bytes], attachment.name, {
        type: attachment.type || 'application/octet-stream',
      });
      await messenger.compose.addAttachment(tab.id, { file, name: attachment.name });
    }
    return { tabId: tab.id, windowId: tab.windowId };
  },

  /** What the compose window holds now (to check that a cancelled send left it untouched). */
  async details(params) {
    const details = await messenger.compose.getComposeDetails(params.tabId);
    const attachments = await messenger.compose.listAttachments(params.tabId);
    return {
      from: details.from,
      to: details.to,
      cc: details.cc,
      bcc: details.bcc,
      subject: details.subject,
      isPlainText: details.isPlainText,
      body: details.body,
      plainTextBody: details.plainTextBody,
      attachments: attachments.map((attachment) => ({
        name: attachment.name,
        size: attachment.size,
      })),
    };
  },

  /**
   * Adds addresses to a compose window's Cc, as a sender typing them into the field would
   * (to check what a policy does when a recipient arrives after secure mode was switched off).
   */
  async addCc(params) {
    const details = await messenger.compose.getComposeDetails(params.tabId);
    await messenger.compose.setComposeDetails(params.tabId, {
      cc: [...details.cc, ...params.cc],
    });
    return (await messenger.compose.getComposeDetails(params.tabId)).cc;
  },

  /**
   * Saves a compose window as a draft (or template) through the API, as the File menu does;
   * reports where Thunderbird says it put it.
   */
  async save(params) {
    const result = await messenger.compose.saveMessage(params.tabId, {
      mode: params.mode ?? 'draft',
    });
    return (result.messages ?? []).map((message) => ({
      id: message.id,
      folder: message.folder?.path ?? null,
      accountId: message.folder?.accountId ?? null,
    }));
  },

  /** Fallback send without the UI (the harness normally clicks the Send button). */
  async send(params) {
    await messenger.compose.sendMessage(params.tabId, { mode: 'sendNow' });
    return true;
  },

  /**
   * Creates (or recreates) a mailing list in the personal address book with the given members,
   * so the compose window can address the list as `Name <Name>`.
   */
  async createMailingList(params) {
    const books = await messenger.addressBooks.list(true);
    const book = books.find((candidate) => !candidate.readOnly && !candidate.remote);
    if (!book) throw new Error('no writable address book');
    for (const existing of book.mailingLists ?? []) {
      if (existing.name === params.name) await messenger.mailingLists.delete(existing.id);
    }
    const listId = await messenger.mailingLists.create(book.id, { name: params.name });
    for (const member of params.members) {
      const contactId = await messenger.contacts.create(book.id, {
        PrimaryEmail: member.address,
        DisplayName: member.name,
      });
      await messenger.mailingLists.addMember(listId, contactId);
    }
    const list = await messenger.mailingLists.get(listId);
    const contacts = await messenger.mailingLists.listMembers(listId);
    return {
      listId,
      name: list.name,
      members: contacts.map((contact) => contact.properties.PrimaryEmail),
    };
  },

  /** Ids of the messages in the Sent folder whose subject is `params.subject`. */
  async sentMessages(params) {
    const folder = await sentFolder();
    const ids = [];
    let page = await messenger.messages.list(folder.id ?? folder);
    for (;;) {
      for (const message of page.messages) {
        if (message.subject === params.subject) ids.push(message.id);
      }
      if (!page.id) break;
      page = await messenger.messages.continueList(page.id);
    }
    return ids;
  },

  /**
   * The raw text of every message in a special folder (`sent` or `drafts`) whose subject is
   * `params.subject`, to check what Thunderbird filed there (`params.accountType`: only in an
   * account of that type, e.g. `none` for Local Folders; `params.path`: a folder of that path,
   * e.g. `/Drafts`, also when it is not flagged as such).
   */
  async folderMessages(params) {
    const folder = await specialFolder(params.folder, params.accountType, params.path);
    if (!folder) return [];
    const found = [];
    let page = await messenger.messages.list(folder.id ?? folder);
    for (;;) {
      for (const message of page.messages) {
        if (message.subject !== params.subject) continue;
        found.push({ id: message.id, raw: await messenger.messages.getRaw(message.id) });
      }
      if (!page.id) break;
      page = await messenger.messages.continueList(page.id);
    }
    return found;
  },

  /** Shows a message in a tab of the main window, as double-clicking it in the list would. */
  async displayMessage(params) {
    const tab = await messenger.messageDisplay.open({
      messageId: params.messageId,
      location: 'tab',
      active: true,
    });
    return { tabId: tab.id, windowId: tab.windowId };
  },

  /** Closes tabs whose URL contains `params.urlPart` (sent-copy pages, message tabs). */
  async closeTabs(params) {
    const tabs = await messenger.tabs.query({});
    const closing = tabs.filter((tab) => tab.url && tab.url.includes(params.urlPart));
    await messenger.tabs.remove(closing.map((tab) => tab.id));
    return closing.length;
  },

  /**
   * Files a raw mail (as received by another profile's SMTP sink) in Local Folders › Received,
   * as if it had arrived in this profile; answers its message id.
   */
  async importMessage(params) {
    const accounts = await messenger.accounts.list(false);
    const local = accounts.find((account) => account.type === 'none' || account.type === 'local');
    if (!local) throw new Error('no Local Folders');
    const folders = await messenger.folders.query({ accountId: local.id });
    const folder =
      folders.find((candidate) => candidate.path === '/Received') ??
      (await messenger.folders.create(local.rootFolder ?? local, 'Received'));
    const bytes = Uint8Array.from(atob(params.rawBase64), (character) => character.charCodeAt(0));
    const file = new File([bytes], 'received.eml', { type: 'message/rfc822' });
    const header = await messenger.messages.import(file, folder.id ?? folder, {});
    return { messageId: header.id };
  },

  /** Lists open compose tabs. */
  async composeTabs() {
    const tabs = await messenger.tabs.query({ type: 'messageCompose' });
    return tabs.map((tab) => ({ tabId: tab.id, windowId: tab.windowId }));
  },
};

async function sentFolder() {
  const folder = await specialFolder('sent');
  if (!folder) throw new Error('no Sent folder');
  return folder;
}

/**
 * The first folder of that special use (`sent`, `drafts`) or of that path in any account (or
 * only in accounts of `accountType`), or null.
 */
async function specialFolder(use, accountType, path) {
  for (const account of await messenger.accounts.list(true)) {
    if (accountType && account.type !== accountType) continue;
    const stack = [...(account.folders ?? [])];
    while (stack.length > 0) {
      const folder = stack.shift();
      if (path !== undefined ? folder.path === path : folder.type === use) return folder;
      if (path === undefined && folder.specialUse?.includes(use)) return folder;
      stack.push(...(folder.subFolders ?? []));
    }
  }
  return null;
}

async function identityIdFor(address) {
  const identities = await handlers.identities();
  const wanted = String(address).toLowerCase();
  const match = identities.find((identity) => identity.email.toLowerCase() === wanted);
  if (!match) throw new Error(`no identity for ${address}`);
  return match.id;
}

const sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function serve() {
  const config = await (await fetch(browser.runtime.getURL('config.json'))).json();
  const base = `http://127.0.0.1:${config.port}`;
  for (;;) {
    let command;
    try {
      const response = await fetch(`${base}/next`);
      if (response.status !== 200) continue;
      command = await response.json();
    } catch {
      await sleep(250);
      continue;
    }
    let result;
    try {
      const handler = handlers[command.name];
      if (!handler) throw new Error(`unknown command ${command.name}`);
      result = { ok: true, value: await handler(command.params ?? {}) };
    } catch (error) {
      result = { ok: false, error: String(error?.message ?? error) };
    }
    await fetch(`${base}/result/${command.id}`, {
      method: 'POST',
      body: JSON.stringify(result),
    }).catch(() => {});
  }
}

serve();
