import {
  MANAGED_DEFAULTS,
  applyUserSettingsChanges,
  effectiveSettings,
  isNoPolicyError,
  noPolicy,
  readManagedPolicy,
  readUserSettings,
  type EffectiveSettings,
  type ManagedPolicy,
  type PolicyProblem,
  type UserSettings,
  type UserSettingsChanges,
} from '../core/policy.ts';
import type { SettingsView } from '../messaging/protocol.ts';
import type { Host } from '../platform/host.ts';

/**
 * The settings in force: the organisation's policy from `storage.managed`, the
 * sender's own choices from `storage.local`, and the built-in defaults, combined by
 * `effectiveSettings` (src/core/policy.ts). Read anew on every use: the policy is a cheap local
 * read, and a changed `policies.json` then applies from the next Thunderbird start on without
 * any cache to go stale.
 */
const USER_SETTINGS_KEY = 'settings';

export interface PolicyContext {
  effective: EffectiveSettings;
  problems: PolicyProblem[];
  /** A policy configures the add-on. */
  managed: boolean;
}

/** Problems already written to the console by this page, so a poll does not repeat them. */
const logged = new Set<string>();

/** The organisation's policy, validated. No policy at all is today's behaviour. */
async function readPolicy(host: Host): Promise<{ policy: ManagedPolicy; managed: boolean }> {
  let raw: unknown;
  try {
    raw = await host.managedStorage();
  } catch (error) {
    if (isNoPolicyError(error)) return { policy: noPolicy(), managed: false };
    // Unreadable is not "absent": say so. The keys then take their defaults, as with no policy,
    // because nothing tells which safe fallback the organisation would have needed.
    const detail = error instanceof Error ? error.message : String(error);
    return {
      policy: {
        settings: {},
        problems: [{ key: '', message: `the policy could not be read (${detail})` }],
      },
      managed: false,
    };
  }
  const policy = readManagedPolicy(raw);
  // Thunderbird hands over `{}` when policies.json has no entry for this add-on.
  const managed = raw !== null && typeof raw === 'object' && Object.keys(raw as object).length > 0;
  return { policy, managed };
}

/** The sender's own settings from the options page (invalid stored values are dropped). */
async function readStoredUserSettings(host: Host): Promise<UserSettings> {
  return readUserSettings(await host.local.get<unknown>(USER_SETTINGS_KEY));
}

/** Everything that decides how Sealpost behaves right now. */
export async function loadSettings(host: Host): Promise<PolicyContext> {
  const { policy, managed } = await readPolicy(host);
  for (const problem of policy.problems) {
    const line = `Sealpost policy: ${problem.key === '' ? '' : `${problem.key}: `}${problem.message}`;
    if (logged.has(line)) continue;
    logged.add(line);
    // The console is where an administrator checking a client looks (docs/deployment.md).
    console.warn(line);
  }
  const effective = effectiveSettings({
    defaults: MANAGED_DEFAULTS,
    user: await readStoredUserSettings(host),
    managed: policy.settings,
  });
  return { effective, problems: policy.problems, managed };
}

/** The options page's view: every setting with its value, source and lock. */
export function settingsView(context: PolicyContext): SettingsView {
  return {
    effective: context.effective,
    problems: context.problems,
    managed: context.managed,
  };
}

export async function getSettingsView(host: Host): Promise<SettingsView> {
  return settingsView(await loadSettings(host));
}

/**
 * Saves the sender's changes from the options page. A key the organisation locked, or an
 * invalid value, refuses the whole change with the reason; nothing is stored then.
 */
export async function saveUserSettings(
  host: Host,
  changes: UserSettingsChanges,
): Promise<SettingsView> {
  const context = await loadSettings(host);
  const result = applyUserSettingsChanges(
    await readStoredUserSettings(host),
    changes,
    context.effective,
  );
  if (!result.ok) {
    // The page checks every value before it asks, so a refusal means a key the organisation
    // locked since the page was loaded, or a value the page could not check. The sender reads
    // which in words; the key and reason are for the console.
    console.warn(
      `Sealpost: settings not saved: ${result.problems.map((problem) => `${problem.key}: ${problem.message}`).join('; ')}`,
    );
    const locked = result.problems.some(
      (problem) =>
        (context.effective as Partial<Record<string, { locked: boolean }>>)[problem.key]?.locked,
    );
    throw new Error(
      host.message(locked ? 'optionsSettingSaveLocked' : 'optionsSettingSaveInvalid'),
    );
  }
  await host.local.set(USER_SETTINGS_KEY, result.settings);
  return getSettingsView(host);
}
