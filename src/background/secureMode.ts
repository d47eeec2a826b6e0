import type { Host } from './host.ts';

/**
 * Secure mode is per compose tab and lives in `storage.session`, so it survives the MV3 event
 * page being suspended while the window stays open (THUNDERBIRD-TESTING.md, "MV3 event page").
 */
const key = (tabId: number) => `secure:${tabId}`;

export async function isSecure(host: Host, tabId: number): Promise<boolean> {
  return (await host.session.get<boolean>(key(tabId))) === true;
}

export async function setSecure(host: Host, tabId: number, secure: boolean): Promise<boolean> {
  await host.session.set(key(tabId), secure);
  await host.showSecureState(tabId, secure);
  return secure;
}

export async function toggleSecure(host: Host, tabId: number): Promise<boolean> {
  return setSecure(host, tabId, !(await isSecure(host, tabId)));
}

/** Drops what was kept for a compose tab once it is closed. */
export async function forgetTab(host: Host, tabId: number): Promise<void> {
  await host.session.remove(key(tabId));
  await host.session.remove(`problem:${tabId}`);
}
