import type { SecureRequirement } from '../core/policy.ts';
import { secureRequirement } from './composeState.ts';
import type { Host } from '../platform/host.ts';
import { loadSettings } from './policySettings.ts';
import { isSecure, setSecure } from './secureMode.ts';

export interface SwitchResult {
  secure: boolean;
  /** Set when switching off was refused because the policy requires secure mode. */
  required: SecureRequirement | null;
}

/**
 * The sender's switch (popup toggle, toolbar button, shortcut). Switching off is refused while
 * the organisation's `enforceSecureFor` applies to the message's recipients; the panel shows
 * why. Switching on is always allowed.
 */
export async function switchSecure(
  host: Host,
  tabId: number,
  wanted: boolean,
): Promise<SwitchResult> {
  if (!wanted) {
    const required = await secureRequirement(host, tabId, await loadSettings(host));
    if (required) return { secure: await setSecure(host, tabId, true), required };
  }
  return { secure: await setSecure(host, tabId, wanted), required: null };
}

/** The shortcut: flips the mode; a refused "off" opens the panel, which says why. */
export async function toggleSecure(host: Host, tabId: number): Promise<SwitchResult> {
  const result = await switchSecure(host, tabId, !(await isSecure(host, tabId)));
  if (result.required) await host.openPanel(tabId).catch(() => undefined);
  return result;
}
