/**
 * Sealpost's own progress in the compose window while a secure send runs. Thunderbird locks the
 * window and its status bar says "Done" until it starts building the mail, so without this
 * nothing shows that sealing, registering or uploading is under way. The sheet (see
 * ../core/sendCover.ts) also hides the editor when the sealed send swaps its body for the
 * recipients' notification, and goes away when the sender's own text is back (a cancelled or
 * failed send). A sent mail's window closes under it.
 */
import { sendCoverCss, type SendPhase } from '../core/sendCover.ts';
import type { Host } from '../platform/host.ts';

/** A send that is done within this shows nothing: a sheet that flickers helps no one. */
export const SHOW_COVER_AFTER_MS = 400;

interface Cover {
  /** What the sheet says, or would say once shown. */
  css: string;
  /** The sheet in the editor now, or null while none is. */
  shown: string | null;
  timer: ReturnType<typeof setTimeout> | null;
  /** Changes to one window's sheet, one after the other (an insert never races a removal). */
  queue: Promise<void>;
}

const covers = new Map<number, Cover>();

const PHASE_KEYS: Record<SendPhase, string> = {
  sealing: 'sendCoverSealing',
  registering: 'sendCoverRegistering',
  uploading: 'sendCoverUploading',
  sending: 'sendCoverSending',
  'sending-copy': 'sendCoverCopy',
};

/** What a step's text names besides the step: which mail of several, whose copy. */
export interface PhaseDetail {
  /** This mail's place (from 1) among the send's `mails` (one per Bcc recipient, plus one). */
  mail?: number;
  mails?: number;
  /** The Bcc recipient whose own copy this window sends. */
  address?: string;
}

/** The sheet's text for a step: the step, which mail, then what happens to the sender's text. */
export function coverText(host: Host, phase: SendPhase, detail: PhaseDetail = {}): string {
  const lines = [host.message(PHASE_KEYS[phase], detail.address ? [detail.address] : [])];
  if (detail.mail !== undefined && detail.mails !== undefined && detail.mails > 1) {
    lines.push(host.message('sendCoverMailOf', [String(detail.mail), String(detail.mails)]));
  }
  // A Bcc recipient's window holds only the sealed copy: there is no text of the sender's in it.
  if (phase !== 'sending-copy') lines.push(host.message('sendCoverKept'));
  return lines.join('\n');
}

/** The sheet's style for a step (also for a Bcc recipient's window, before it is filled). */
export function coverCss(host: Host, phase: SendPhase, detail: PhaseDetail = {}): string {
  return sendCoverCss(coverText(host, phase, detail));
}

/** A secure send starts: the sheet shows its step once the send has taken a moment. */
export function startSendCover(host: Host, tabId: number): void {
  forget(tabId);
  const cover: Cover = {
    css: coverCss(host, 'sealing'),
    shown: null,
    timer: null,
    queue: Promise.resolve(),
  };
  cover.timer = setTimeout(() => {
    cover.timer = null;
    void change(host, tabId, cover);
  }, SHOW_COVER_AFTER_MS);
  covers.set(tabId, cover);
}

/**
 * The send moved on to `phase`. With `now`, the sheet is in place when this resolves, however
 * short the send has been: required before the body becomes the notification.
 */
export async function showSendPhase(
  host: Host,
  tabId: number,
  phase: SendPhase,
  options: PhaseDetail & { now?: boolean } = {},
): Promise<void> {
  const cover = covers.get(tabId);
  if (!cover) return;
  cover.css = coverCss(host, phase, options);
  if (options.now && cover.timer !== null) {
    clearTimeout(cover.timer);
    cover.timer = null;
  }
  if (cover.timer === null) await change(host, tabId, cover);
}

/** The sender's text is back (or never left): the sheet goes. */
export async function endSendCover(host: Host, tabId: number): Promise<void> {
  const cover = forget(tabId);
  if (!cover) return;
  cover.css = '';
  await change(host, tabId, cover);
}

/**
 * The send went out and its window is closing: nothing to take away (taking the sheet away now
 * would show the notification for the window's last moment).
 */
export function leaveSendCover(tabId: number): void {
  forget(tabId);
}

function forget(tabId: number): Cover | undefined {
  const cover = covers.get(tabId);
  covers.delete(tabId);
  if (cover?.timer != null) clearTimeout(cover.timer);
  return cover;
}

/** Brings the editor's sheet to `cover.css` (none when empty). */
function change(host: Host, tabId: number, cover: Cover): Promise<void> {
  cover.queue = cover.queue.then(async () => {
    const wanted = cover.css;
    if (cover.shown === wanted) return;
    try {
      // The new sheet first: between the two the editor is never uncovered.
      if (wanted) await host.coverCompose(tabId, wanted);
      const previous = cover.shown;
      cover.shown = wanted || null;
      if (previous) await host.uncoverCompose(tabId, previous);
    } catch (error) {
      // Only the look of the window is at stake: the send goes on, and the console says why.
      console.warn('Sealpost: the compose window could not show the send’s progress', error);
    }
  });
  return cover.queue;
}
