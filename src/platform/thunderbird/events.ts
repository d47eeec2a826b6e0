import type { BeforeSendResult } from '../host.ts';

type AsyncBeforeSendListener = (tab: messenger.tabs.Tab) => Promise<BeforeSendResult>;

/**
 * `compose.onBeforeSend` accepts an async listener (Thunderbird waits for the promise and keeps
 * the compose window locked meanwhile), but @types/thunderbird-webext-browser 127 types the
 * return as synchronous (@types 127 predates Thunderbird 128). Declaring a second
 * signature is impossible for a `const`, so the one widening cast lives here, at registration.
 */
export function addBeforeSendListener(listener: AsyncBeforeSendListener): void {
  const event = messenger.compose.onBeforeSend as unknown as WebExtEvent<AsyncBeforeSendListener>;
  event.addListener(listener);
}

/**
 * Whether `compose.onAfterSend` reports a send that did not go out. A refused SMTP send carries
 * no `error` (Thunderbird showed the server's answer in a dialog) but also no Message-ID and no
 * copies; a queued one (`sendLater`) counts as sent.
 */
export function sendFailed(sendInfo: messenger.compose._OnAfterSendSendInfo): boolean {
  if (sendInfo.error) return true;
  return sendInfo.mode === 'sendNow' && !sendInfo.headerMessageId;
}
