import type { EffectiveSettings } from '../core/policy.ts';
import type { Host } from '../platform/host.ts';
import { loadSettings, type PolicyContext } from './policySettings.ts';
import { forgetLinkChoice } from './linkChoice.ts';
import { forgetSealedCopy } from './sealedCopies.ts';
import { forgetSubjectChoice } from './subjectChoice.ts';

/**
 * Secure mode is per compose tab and lives in `storage.session`, so it survives the MV3 event
 * page being suspended while the window stays open (its storage outlives the page, not the
 * session).
 * A tab the sender never switched starts as the settings say (`secureByDefault`, or
 * `enforceSecureFor: "all"`).
 */
const key = (tabId: number) => `secure:${tabId}`;

/** New compose windows start secure when the settings ask for it, or when all mail must be. */
export function startsSecure(effective: EffectiveSettings): boolean {
  return effective.secureByDefault.value === true || effective.enforceSecureFor.value === 'all';
}

export async function isSecure(
  host: Host,
  tabId: number,
  /** The settings in force, when the caller has read them already. */
  settings?: PolicyContext,
): Promise<boolean> {
  const stored = await host.session.get<boolean>(key(tabId));
  if (stored !== undefined) return stored === true;
  // A tab opened while the page slept, before `tabs.onCreated` ran: its start state counts.
  return startsSecure((settings ?? (await loadSettings(host))).effective);
}

/** Stores and shows the state; the sender's own switch goes through `switchSecure`. */
export async function setSecure(host: Host, tabId: number, secure: boolean): Promise<boolean> {
  await host.session.set(key(tabId), secure);
  await host.showSecureState(tabId, secure);
  return secure;
}

/**
 * A compose tab was opened: when the settings start it secure, it is stored and shown so on its
 * button. Otherwise nothing is written (the button starts as "off" and an unset tab counts as
 * off), so a late `tabs.onCreated` can never switch off what the sender switched on. The settings
 * are read first and the tab checked just before writing: a sender's own switch in the meantime
 * wins.
 */
export async function startComposeTab(host: Host, tabId: number): Promise<void> {
  if (!startsSecure((await loadSettings(host)).effective)) return;
  if ((await host.session.get<boolean>(key(tabId))) !== undefined) return;
  await setSecure(host, tabId, true);
}

/** Drops what was kept for a compose tab once it is closed. */
export async function forgetTab(host: Host, tabId: number): Promise<void> {
  await host.session.remove(key(tabId));
  await host.session.remove(`problem:${tabId}`);
  await forgetSealedCopy(host, tabId);
  await forgetLinkChoice(host, tabId);
  await forgetSubjectChoice(host, tabId);
}
