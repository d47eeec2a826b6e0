import {
  isRequestEnvelope,
  type RequestName,
  type Requests,
  type Response,
} from '../messaging/protocol.ts';
import { getComposeState } from './composeState.ts';
import { setLinkChoice } from './linkChoice.ts';
import { setNeutralSubject } from './subjectChoice.ts';
import { cancelSend, sendProgressView } from './sendProgress.ts';
import {
  changePassphrase,
  keyProtectionView,
  lockSenderKeys,
  removePassphrase,
  setPassphrase,
  unlockSenderKeys,
} from './keyVault.ts';
import type { Host } from '../platform/host.ts';
import { dismissProblem } from './problems.ts';
import {
  forgetRecipientSettings,
  listRecipientSettings,
  saveRecipientSettings,
} from './recipientStore.ts';
import { saveSettingsInForce, settingsInForce } from './settingsInForce.ts';
import { switchSecure } from './secureSwitch.ts';
import { openSecureMessage } from './sentCopy.ts';
import {
  changeRecipientPhone,
  listSentMessages,
  messageStatus,
  revokeMessage,
  unlockRecipient,
  forgetRecipientDevices,
} from './sentMessages.ts';
import { bytesFromBase64 } from '../core/base64.ts';
import { publishSenderKey } from './keyPublishing.ts';
import { saveOrgCode } from './orgCode.ts';
import { replySecurely } from './secureReply.ts';
import { importKey, listKeys, removeImportedKey } from './recipientKeys.ts';
import { exportSenderKeys, restoreSenderKeys } from './keyBackup.ts';
import { sendSealedCopy } from './sealedCopies.ts';
import {
  serverSettingsView,
  setServerUrl,
  signInComplete,
  signInStart,
  signOut,
} from './serverSettings.ts';

type Handlers = {
  [K in RequestName]: (host: Host, payload: Requests[K]['req']) => Promise<Requests[K]['res']>;
};

const handlers: Handlers = {
  getComposeState: (host, { tabId }) => getComposeState(host, tabId),
  setSecureMode: (host, { tabId, secure }) => switchSecure(host, tabId, secure),
  setLinkDelivery: async (host, { tabId, byLink }) => ({
    byLink: await setLinkChoice(host, tabId, byLink),
  }),
  setNeutralSubject: (host, { tabId, neutral }) => setNeutralSubject(host, tabId, neutral),
  getSendProgress: async (_host, { tabId }) => sendProgressView(tabId),
  cancelSend: async (_host, { tabId }) => ({ cancelled: cancelSend(tabId) }),
  saveRecipientSettings: async (host, { address, changes }) => ({
    settings: await saveRecipientSettings(host.local, address, changes),
  }),
  listRecipients: async (host) => ({ recipients: await listRecipientSettings(host.local) }),
  forgetRecipient: async (host, { address }) => ({
    forgotten: await forgetRecipientSettings(host.local, address),
  }),
  dismissProblem: async (host, { tabId }) => {
    await dismissProblem(host, tabId);
    return { dismissed: true };
  },
  openSecureMessage: (host, { messageId }) => openSecureMessage(host, messageId),
  getKeyProtection: (host) => keyProtectionView(host),
  setPassphrase: (host, { passphrase }) => setPassphrase(host, passphrase),
  changePassphrase: (host, { passphrase, newPassphrase }) =>
    changePassphrase(host, passphrase, newPassphrase),
  removePassphrase: (host, { passphrase }) => removePassphrase(host, passphrase),
  unlockSenderKeys: (host, { passphrase }) => unlockSenderKeys(host, passphrase),
  lockSenderKeys: (host) => lockSenderKeys(host),
  getServerSettings: (host) => serverSettingsView(host),
  setServerUrl: (host, { url }) => setServerUrl(host, url),
  signInStart: (host, { address }) => signInStart(host, address),
  signInComplete: async (host, { challengeId, code }) => {
    const answer = await signInComplete(host, challengeId, code);
    // Colleagues and other organisations can seal to the sender from now on (docs/keys.md).
    if (answer.ok) await publishSenderKey(host);
    return answer;
  },
  signOut: (host) => signOut(host),
  saveOrgCode: (host, { address, code }) => saveOrgCode(host, address, code),
  listSentMessages: async (host) => ({ messages: await listSentMessages(host) }),
  getMessageStatus: (host, { messageId }) => messageStatus(host, messageId),
  revokeMessage: (host, { messageId }) => revokeMessage(host, messageId),
  unlockRecipient: (host, { messageId, mailId, lockId }) =>
    unlockRecipient(host, messageId, mailId, lockId),
  changeRecipientPhone: (host, { messageId, mailId, lockId, phone }) =>
    changeRecipientPhone(host, messageId, mailId, lockId, phone),
  forgetRecipientDevices: (host, { messageId, address }) =>
    forgetRecipientDevices(host, messageId, address),
  getSettings: (host) => settingsInForce(host),
  saveSettings: (host, { changes }) => saveSettingsInForce(host, changes),
  sendSealedCopy: (host, { tabId }) => sendSealedCopy(host, tabId),
  listKeys: async (host) => ({ keys: await listKeys(host) }),
  importKey: (host, source) =>
    importKey(host, 'armored' in source ? source.armored : (bytesFromBase64(source.base64) ?? '')),
  removeKey: async (host, { address }) => ({ removed: await removeImportedKey(host, address) }),
  replySecurely: (host, { messageId }) => replySecurely(host, messageId),
  exportSenderKeys: (host, { passphrase }) => exportSenderKeys(host, passphrase),
  restoreSenderKeys: async (host, { armored, passphrase, replace }) => {
    const answer = await restoreSenderKeys(host, armored, passphrase, replace === true);
    // A restored key replaces the one colleagues and WKD know: publish it now.
    if (answer.ok) await publishSenderKey(host);
    return answer;
  },
};

/**
 * Answers the popup and options page. Only messages from this add-on's own pages arrive here
 * (`runtime.onMessage`); nothing listens on `onMessageExternal`, so other add-ons cannot change
 * security settings (an add-on must not be able to weaken another one's security).
 */
export async function handleRequest(host: Host, message: unknown): Promise<Response<RequestName>> {
  if (!isRequestEnvelope(message)) return { ok: false, error: 'Unknown request' };
  try {
    const handler = handlers[message.name] as (host: Host, payload: unknown) => Promise<unknown>;
    const value = await handler(host, message.payload);
    return { ok: true, value } as Response<RequestName>;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
