import { saveReport } from '../platform/thunderbird/draftStore.ts';
import { addBeforeSendListener, sendFailed } from '../platform/thunderbird/events.ts';
import { createThunderbirdHost } from '../platform/thunderbird/thunderbirdHost.ts';
import { forgetDraftState, handleAfterSave, handleDraftAfterSend } from './draftGuard.ts';
import { publishSenderKey } from './keyPublishing.ts';
import { handleRequest } from './requests.ts';
import { handleAfterSend, handleBeforeSend } from './sealOnSend.ts';
import { forgetTab, startComposeTab } from './secureMode.ts';
import { toggleSecure } from './secureSwitch.ts';
import { updateOpenMessageButton } from './sentCopy.ts';
import { displayedMessageIds } from '../platform/thunderbird/displayedMessages.ts';

/**
 * The MV3 event page. Listeners are registered synchronously at top level, before any await, so
 * an event that wakes the page finds them. Top-level code runs again on
 * every wake, so it only registers listeners.
 */
const host = createThunderbirdHost();
// Cheap when nothing changed (two storage reads): publishes a new or restored key on wake.
void publishSenderKey(host).catch((error: unknown) =>
  console.warn('Sealpost: publishing the sender key failed', error),
);

addBeforeSendListener((tab) => handleBeforeSend(host, tab.id ?? -1));
messenger.compose.onAfterSend.addListener((tab, sendInfo) => {
  void handleAfterSend(host, tab.id ?? -1, sendFailed(sendInfo), sendInfo.headerMessageId);
  void handleDraftAfterSend(host, tab.id ?? -1, sendFailed(sendInfo));
});
// A draft saved in secure mode must not stay on a mail server (docs/drafts.md).
messenger.compose.onAfterSave.addListener((tab, saveInfo) => {
  void saveReport(saveInfo)
    .then((report) => handleAfterSave(host, tab.id ?? -1, report))
    .catch((error: unknown) => console.error('Sealpost: handling a saved draft failed', error));
});
messenger.runtime.onMessage.addListener((message: unknown) => handleRequest(host, message));
messenger.commands.onCommand.addListener((command: string, tab?: messenger.tabs.Tab) => {
  if (command !== 'toggle-secure-mode') return;
  void (async () => {
    const tabId =
      tab?.type === 'messageCompose' && tab.id !== undefined
        ? tab.id
        : await host.activeComposeTab();
    if (tabId !== null) await toggleSecure(host, tabId);
  })();
});
messenger.tabs.onCreated.addListener((tab: messenger.tabs.Tab) => {
  if (tab.type === 'messageCompose' && tab.id !== undefined) void startComposeTab(host, tab.id);
});
messenger.tabs.onRemoved.addListener((tabId: number) => {
  void forgetTab(host, tabId);
  void forgetDraftState(host, tabId);
});
messenger.messageDisplay.onMessagesDisplayed.addListener((tab, displayed) => {
  if (tab.id !== undefined)
    void updateOpenMessageButton(host, tab.id, displayedMessageIds(displayed));
});
messenger.messageDisplayAction.onClicked.addListener((tab) => {
  void (async () => {
    if (tab.id === undefined) return;
    const [messageId] = displayedMessageIds(
      await messenger.messageDisplay.getDisplayedMessages(tab.id),
    );
    if (messageId !== undefined) await host.openSentCopyPage(messageId);
  })();
});
