/**
 * Bcc recipients' own sealed mails (docs/envelope.md §0). They are sealed and registered together
 * with
 * the main mail, before anything is sent, and held here until Thunderbird reports the main mail
 * sent. Then each goes out through Thunderbird itself (same identity, SMTP server and Sent
 * folder) from a compose window of its own, which Sealpost's `onBeforeSend` lets pass unchanged:
 * it is sealed already. A copy that fails stays in its window, saved as a draft (sealed, never
 * plaintext), and the panel there says who did not get it and sends it again.
 */
import type { SendProblem } from '../messaging/protocol.ts';
import type { Host, SealedComposeMail } from '../platform/host.ts';
import { describeProblem, reportProblem } from './problems.ts';
import { coverCss } from './sendCover.ts';
import type { ServerConnection } from './serverSettings.ts';

/** One Bcc recipient's sealed mail, ready to send. */
export interface SealedCopy {
  /** The hidden recipient's address. */
  address: string;
  mail: SealedComposeMail;
}

/** What one send holds back until its main mail has gone out. */
export interface HeldSend {
  /** Ends the keep-awake hold taken for this send. */
  release?: () => void;
  copies: SealedCopy[];
  /** Server ids of every registered mail of the send (main and copies), revoked if it fails. */
  registeredIds: string[];
  server: ServerConnection | null;
}

/** A compose window holding a sealed copy, kept in `storage.session` by its tab id. */
export interface SealedCopyRecord {
  address: string;
  /** What the window held when Sealpost filled it: a send of anything else is refused. */
  fingerprint: string;
  /** Why the last send failed; null while none has. */
  error: string | null;
}

const held = new Map<number, HeldSend>();
/** The longest a main mail may take to go out while its copies keep the event page awake. */
const MAX_HOLD_MS = 60 * 60 * 1000;
const recordKey = (tabId: number) => `sealed-copy:${tabId}`;

/**
 * Keeps a send's copies until Thunderbird says whether the main mail went out. They live only in
 * memory, so the event page is kept awake meanwhile: a main mail that takes longer to send than
 * the idle timeout must not take its Bcc copies with it.
 */
export function holdCopies(host: Host, mainTabId: number, send: HeldSend): void {
  held.get(mainTabId)?.release?.();
  if (send.copies.length === 0) {
    held.set(mainTabId, send);
    return;
  }
  const stayAwake = host.keepAwake();
  // Thunderbird reports every send's end; should it never, the page may sleep again at last.
  const limit = setTimeout(stayAwake, MAX_HOLD_MS);
  held.set(mainTabId, {
    ...send,
    release: () => {
      clearTimeout(limit);
      stayAwake();
    },
  });
}

/**
 * The main mail's send ended. Sent: every copy goes out now. Failed: nothing of this send was
 * delivered, so no registered mail of it stays openable.
 */
export async function releaseCopies(host: Host, mainTabId: number, failed: boolean): Promise<void> {
  const send = held.get(mainTabId);
  held.delete(mainTabId);
  if (!send) return;
  try {
    await release(host, send, failed);
  } finally {
    send.release?.();
  }
}

async function release(host: Host, send: HeldSend, failed: boolean): Promise<void> {
  if (failed) {
    for (const id of send.registeredIds) {
      await send.server?.client.revokeMessage(id).catch(() => undefined);
    }
    return;
  }
  for (const copy of send.copies) await sendCopy(host, copy);
}

/** Opens the copy's own compose window and sends it; a failure is kept and reported there. */
async function sendCopy(host: Host, copy: SealedCopy): Promise<void> {
  let tabId: number;
  // The window is covered before the copy fills it, and stays covered while it goes out.
  const cover = coverCss(host, 'sending-copy', { address: copy.address });
  try {
    tabId = await host.openSealedCompose(copy.mail, cover);
  } catch (error) {
    // Without a window there is nothing to retry from; say so where the sender looks next.
    console.error(`Sealpost: the sealed copy for ${copy.address} could not be opened`, error);
    return;
  }
  const record: SealedCopyRecord = {
    address: copy.address,
    fingerprint: await fingerprint(host, tabId),
    error: null,
  };
  await host.session.set(recordKey(tabId), record);
  const { sent } = await sendSealedCopy(host, tabId);
  // Not sent: the window stays, saved as a draft, with the panel on why; it must show the copy.
  if (!sent) await host.uncoverCompose(tabId, cover).catch(() => undefined);
}

/**
 * Sends (again) the sealed copy in a compose tab: the panel's "Send again". On failure the copy
 * is saved as a draft and the panel opens on who did not get it and why.
 */
export async function sendSealedCopy(
  host: Host,
  tabId: number,
): Promise<{ sent: boolean; problem: SendProblem | null }> {
  const record = await sealedCopyRecord(host, tabId);
  if (!record) throw new Error('This compose window holds no sealed copy');
  if (!(await sealedCopyUnchanged(host, tabId, record))) {
    const problem = describeProblem(host, 'copy-changed', record.address);
    await reportProblem(host, tabId, problem);
    return { sent: false, problem };
  }
  try {
    await host.sendComposeNow(tabId);
    return { sent: true, problem: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await host.session.set(recordKey(tabId), { ...record, error: reason });
    // Saved sealed, so the copy survives the window being closed or Thunderbird quitting.
    await host.saveComposeDraft(tabId).catch(() => undefined);
    const problem = describeProblem(host, 'copy-not-sent', record.address);
    problem.message = host.message('problemCopyNotSent', [record.address, reason]);
    await reportProblem(host, tabId, problem);
    return { sent: false, problem };
  }
}

export async function sealedCopyRecord(
  host: Host,
  tabId: number,
): Promise<SealedCopyRecord | null> {
  const record = await host.session.get<SealedCopyRecord>(recordKey(tabId));
  return record && typeof record.fingerprint === 'string' ? record : null;
}

/**
 * `onBeforeSend` of a tab holding a sealed copy: it passes unchanged (sealing it again would
 * wrap the reader in a reader) as long as it holds exactly what Sealpost put there. Anything
 * typed or attached since could be plaintext, so then the send is refused.
 */
export async function sealedCopyUnchanged(
  host: Host,
  tabId: number,
  record: SealedCopyRecord,
): Promise<boolean> {
  return (await fingerprint(host, tabId)) === record.fingerprint;
}

export async function forgetSealedCopy(host: Host, tabId: number): Promise<void> {
  await host.session.remove(recordKey(tabId));
}

/** Recipients, subject, body and attachments of a compose tab, as one comparable string. */
async function fingerprint(host: Host, tabId: number): Promise<string> {
  const details = await host.getComposeDetails(tabId);
  const attachments = await host.listAttachments(tabId);
  return JSON.stringify({
    to: details.to,
    cc: details.cc,
    bcc: details.bcc,
    subject: details.subject,
    isPlainText: details.isPlainText,
    body: details.isPlainText ? '' : details.body,
    plainTextBody: details.plainTextBody,
    attachments: attachments.map((attachment) => [attachment.name, attachment.file.size]),
  });
}
