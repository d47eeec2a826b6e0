import type { MarionetteClient } from './marionette.ts';
import { waitFor } from './chromeWindows.ts';

/**
 * State of an add-on's background (event page) as the add-on manager keeps it:
 * `running`, `suspending`, `stopped` or `starting` (the same state about:debugging shows).
 * Read in the chrome context of any Thunderbird window.
 */
export async function backgroundState(
  marionette: MarionetteClient,
  addonId: string,
): Promise<string> {
  return marionette.executeScript<string>(
    `const { ExtensionParent } = ChromeUtils.importESModule(
       'resource://gre/modules/ExtensionParent.sys.mjs');
     const extension = ExtensionParent.GlobalManager.getExtension(arguments[0]);
     if (!extension) throw new Error('add-on ' + arguments[0] + ' is not running');
     return String(extension.backgroundState);`,
    [addonId],
  );
}

/** Waits until the add-on's event page has been suspended (idle timeout). */
export async function waitUntilSuspended(
  marionette: MarionetteClient,
  addonId: string,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(
    `the background of ${addonId} to be suspended`,
    async () => ((await backgroundState(marionette, addonId)) === 'stopped' ? true : undefined),
    timeoutMs,
    200,
  );
}

/** The manifest of the add-on as Thunderbird loaded it (locale strings not substituted). */
export async function loadedManifest(
  marionette: MarionetteClient,
  addonId: string,
): Promise<Record<string, unknown>> {
  return marionette.executeScript(
    `const { ExtensionParent } = ChromeUtils.importESModule(
       'resource://gre/modules/ExtensionParent.sys.mjs');
     const extension = ExtensionParent.GlobalManager.getExtension(arguments[0]);
     if (!extension) throw new Error('add-on ' + arguments[0] + ' is not running');
     return JSON.parse(JSON.stringify(extension.rawManifest));`,
    [addonId],
  );
}
