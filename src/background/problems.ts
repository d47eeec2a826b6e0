import type { SendProblem } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';

/**
 * A cancelled send is explained where the fix is: the problem is kept for the tab in
 * `storage.session`, and the popup is opened on it (docs/architecture.md, "Sending with secure mode
 * on").
 */
const key = (tabId: number) => `problem:${tabId}`;

const MESSAGE_KEYS: Record<SendProblem['reason'], string> = {
  'no-method': 'problemNoMethod',
  'empty-code': 'problemEmptyCode',
  'weak-code': 'problemWeakCode',
  'method-unavailable': 'problemMethodUnavailable',
  'no-recipients': 'problemNoRecipients',
  'no-identity': 'problemNoIdentity',
  'no-phone': 'problemNoPhone',
  'no-key': 'problemNoKey',
  'key-changed': 'problemKeyChanged',
  'server-unreachable': 'problemServerUnreachable',
  'server-refused': 'problemServerRefused',
  'secure-required': 'problemSecureRequired',
  'method-not-allowed': 'problemMethodNotAllowed',
  'not-signed-in': 'problemNotSignedIn',
  'copy-not-sent': 'problemCopyNotSent',
  'copy-changed': 'problemCopyChanged',
  'mail-too-large': 'problemMailTooLarge',
  'upload-cancelled': 'problemUploadCancelled',
  'upload-failed': 'problemUploadFailed',
  internal: 'problemInternal',
};

/** Problems whose substitution is a technical detail, not the recipient the fix concerns. */
const DETAIL_REASONS: ReadonlySet<SendProblem['reason']> = new Set([
  'internal',
  'server-unreachable',
  'server-refused',
  'mail-too-large',
  'upload-failed',
]);

export function describeProblem(
  host: Host,
  reason: SendProblem['reason'],
  /** The recipient the fix concerns, or the details the message names (sizes, a server's words). */
  subject?: string | readonly string[],
): SendProblem {
  // "Secure mode is required" names the recipient it is required for, or all mail.
  const key =
    reason === 'secure-required' && subject === undefined
      ? 'problemSecureRequiredAll'
      : MESSAGE_KEYS[reason];
  const substitutions =
    subject === undefined ? [] : typeof subject === 'string' ? [subject] : [...subject];
  const message = host.message(key, substitutions);
  const problem: SendProblem = { reason, message: message || reason };
  if (typeof subject === 'string' && !DETAIL_REASONS.has(reason)) problem.recipient = subject;
  return problem;
}

export async function reportProblem(
  host: Host,
  tabId: number,
  problem: SendProblem,
): Promise<void> {
  await host.session.set(key(tabId), problem);
  try {
    await host.openPanel(tabId);
  } catch {
    // The problem stays stored; the popup shows it the next time it opens.
  }
}

export async function currentProblem(host: Host, tabId: number): Promise<SendProblem | null> {
  return (await host.session.get<SendProblem>(key(tabId))) ?? null;
}

export async function dismissProblem(host: Host, tabId: number): Promise<void> {
  await host.session.remove(key(tabId));
}
