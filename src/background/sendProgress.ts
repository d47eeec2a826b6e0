/**
 * A send that uploads (link delivery) can take minutes, with the compose window locked. While it
 * runs, a small window shows its progress (percent, size, time left) and a Cancel button; cancel
 * aborts the upload, which cancels the send and leaves the draft as it was. The state lives in
 * the background's memory: an `onBeforeSend` in progress keeps the background page alive.
 */
import { megabytesText } from '../core/mailSize.ts';
import type { SendProgressView } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';

interface ActiveSend {
  controller: AbortController;
  startedAt: number;
  /** Bytes expected in all (an estimate: the payload is compressed as it is sealed). */
  expectedBytes: number;
  uploadedBytes: number;
  window: number | null;
  /** Ends the hold that keeps the event page awake while the upload runs. */
  release: () => void;
}

const active = new Map<number, ActiveSend>();

/**
 * Starts showing a send's upload; the signal fires when the sender cancels. `expectedBytes`
 * covers every mail of the send that goes by link.
 */
export async function startSendProgress(
  host: Host,
  tabId: number,
  expectedBytes: number,
): Promise<AbortSignal> {
  await endSendProgress(host, tabId);
  const send: ActiveSend = {
    controller: new AbortController(),
    startedAt: Date.now(),
    expectedBytes: Math.max(1, expectedBytes),
    uploadedBytes: 0,
    window: null,
    // An upload of gigabytes outlasts the event page's idle time; the upload lives in its memory.
    release: host.keepAwake(),
  };
  active.set(tabId, send);
  send.window = await host.openSendProgress(tabId);
  return send.controller.signal;
}

/** Adds what an upload reports; `base` is what earlier mails of the send uploaded. */
export function reportUploaded(tabId: number, base: number, uploadedBytes: number): void {
  const send = active.get(tabId);
  if (send) send.uploadedBytes = base + uploadedBytes;
}

export async function endSendProgress(host: Host, tabId: number): Promise<void> {
  const send = active.get(tabId);
  active.delete(tabId);
  send?.release();
  if (send?.window != null) await host.closeSendProgress(send.window);
}

/** Cancels the send's upload; false when that tab is not uploading. */
export function cancelSend(tabId: number): boolean {
  const send = active.get(tabId);
  if (!send) return false;
  send.controller.abort();
  return true;
}

/** What the progress window shows, or null when the tab is not uploading. */
export function sendProgressView(tabId: number, now = Date.now()): SendProgressView | null {
  const send = active.get(tabId);
  if (!send) return null;
  return progressView(send, now);
}

/**
 * Percent of the estimate, held below 100 until the upload confirms the end (the estimate may
 * be a little off either way); time left from the average rate so far.
 */
export function progressView(
  send: Pick<ActiveSend, 'startedAt' | 'expectedBytes' | 'uploadedBytes' | 'controller'>,
  now: number,
): SendProgressView {
  const { uploadedBytes, expectedBytes } = send;
  const fraction = Math.min(uploadedBytes / expectedBytes, 0.99);
  const elapsed = (now - send.startedAt) / 1000;
  const rate = elapsed > 0 ? uploadedBytes / elapsed : 0;
  const left = Math.max(expectedBytes - uploadedBytes, 0);
  return {
    percent: Math.floor(fraction * 100),
    uploaded: megabytesText(uploadedBytes),
    expected: megabytesText(expectedBytes),
    secondsLeft: rate > 0 && uploadedBytes > 0 ? Math.ceil(left / rate) : null,
    cancelling: send.controller.signal.aborted,
  };
}
