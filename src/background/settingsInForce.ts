/**
 * The options page's settings as they are in force. The policy alone does not know the server
 * and organisation the add-on uses: a server can come from the sender's own choice or a
 * development build's `defaults.json`, and the organisation's name from signing in. Both are
 * taken from `serverSettingsView`, the view the page's server section shows, so the two sections
 * can never contradict each other.
 */
import type { EffectiveSetting, UserSettingsChanges } from '../core/policy.ts';
import type { ServerSettingsView, SettingsView } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';
import { loadSettings, saveUserSettings, settingsView } from './policySettings.ts';
import { serverSettingsView } from './serverSettings.ts';

const URL_SOURCES: Record<
  NonNullable<ServerSettingsView['urlSource']>,
  Pick<EffectiveSetting<string | null>, 'source' | 'locked'>
> = {
  policy: { source: 'organisation', locked: true },
  options: { source: 'user', locked: false },
  defaults: { source: 'default', locked: false },
};

/** The settings view with `serverUrl` and `organisationName` as the server section shows them. */
export function withServerInForce(view: SettingsView, server: ServerSettingsView): SettingsView {
  const serverUrl: EffectiveSetting<string | null> = server.urlSource
    ? { value: server.serverUrl, ...URL_SOURCES[server.urlSource] }
    : { value: undefined, source: 'default', locked: false };
  const fromPolicy = view.effective.organisationName;
  const organisationName =
    fromPolicy.source === 'organisation' || server.organisationName === null
      ? fromPolicy
      : { value: server.organisationName, source: 'server' as const, locked: false };
  return { ...view, effective: { ...view.effective, serverUrl, organisationName } };
}

/** Every setting in force, the server and organisation included (`getSettings`). */
export async function settingsInForce(host: Host): Promise<SettingsView> {
  const context = await loadSettings(host);
  return withServerInForce(settingsView(context), await serverSettingsView(host, context));
}

/** Saves the sender's own settings (`saveSettings`) and answers with the settings in force. */
export async function saveSettingsInForce(
  host: Host,
  changes: UserSettingsChanges,
): Promise<SettingsView> {
  await saveUserSettings(host, changes);
  return settingsInForce(host);
}
