import type { BeforeSendResult } from '../../background/sealOnSend.ts';

type AsyncBeforeSendListener = (tab: messenger.tabs.Tab) => Promise<BeforeSendResult>;

/**
 * `compose.onBeforeSend` accepts an async listener (Thunderbird waits for the promise and keeps
 * the compose window locked meanwhile), but @types/thunderbird-webext-browser 127 types the
 * return as synchronous (THUNDERBIRD-TESTING.md, "Types and polyfill"). Declaring a second
 * signature is impossible for a `const`, so the one widening cast lives here, at registration.
 */
export function addBeforeSendListener(listener: AsyncBeforeSendListener): void {
  const event = messenger.compose.onBeforeSend as unknown as WebExtEvent<AsyncBeforeSendListener>;
  event.addListener(listener);
}
