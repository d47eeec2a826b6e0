/**
 * The sender's "Send by link" choice, per compose tab, in `storage.session` like secure mode (it
 * survives the event page being suspended while the window stays open).
 */
import type { Host } from '../platform/host.ts';

const key = (tabId: number) => `link:${tabId}`;

export async function linkChosen(host: Host, tabId: number): Promise<boolean> {
  return (await host.session.get<boolean>(key(tabId))) === true;
}

export async function setLinkChoice(host: Host, tabId: number, byLink: boolean): Promise<boolean> {
  await host.session.set(key(tabId), byLink);
  return byLink;
}

export async function forgetLinkChoice(host: Host, tabId: number): Promise<void> {
  await host.session.remove(key(tabId));
}
