import { existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from './build.ts';
import { SEALPOST_ADDON_ID } from './session.ts';

/**
 * Thunderbird's machine-wide enterprise policy file (THUNDERBIRD-TESTING.md: it wins over the
 * one in the installation's `distribution/` folder). Every Thunderbird on the machine reads it
 * at start, so a test that writes it must put back exactly what was there before.
 */
export const MACHINE_POLICY_PATH = '/etc/thunderbird/policies/policies.json';

/** The example the deployment guide documents; the policy tests start from it. */
export const EXAMPLE_POLICY_PATH = join(PROJECT_ROOT, 'docs', 'examples', 'policies.json');

/** The shape of `docs/examples/policies.json` as far as the tests vary it. */
export interface PolicyFile {
  policies: {
    ExtensionSettings: Record<string, { installation_mode: string; install_url: string }>;
    '3rdparty': { Extensions: Record<string, Record<string, unknown>> };
  } & Record<string, unknown>;
}

/** Reads `docs/examples/policies.json`. */
export function readExamplePolicy(): PolicyFile {
  return JSON.parse(readFileSync(EXAMPLE_POLICY_PATH, 'utf8')) as PolicyFile;
}

/**
 * A policy file holding only Sealpost's settings (the `3rdparty` block that reaches the add-on as
 * `storage.managed`), for an add-on installed some other way (a scenario's profile).
 */
export function sealpostSettingsPolicy(settings: Record<string, unknown>): {
  policies: { '3rdparty': { Extensions: Record<string, Record<string, unknown>> } };
} {
  return { policies: { '3rdparty': { Extensions: { [SEALPOST_ADDON_ID]: settings } } } };
}

/**
 * Writes `policy` as the machine-wide policy file and returns the function that restores what
 * was there (the previous file, or no file and none of the folders this created). The restore
 * also runs if the test process exits without calling it.
 */
export function installMachinePolicy(policy: { policies: object }): () => void {
  const previous = existsSync(MACHINE_POLICY_PATH) ? readFileSync(MACHINE_POLICY_PATH) : null;
  const created: string[] = [];
  for (let folder = dirname(MACHINE_POLICY_PATH); !existsSync(folder); folder = dirname(folder)) {
    created.unshift(folder);
  }
  try {
    mkdirSync(dirname(MACHINE_POLICY_PATH), { recursive: true });
    writeFileSync(MACHINE_POLICY_PATH, JSON.stringify(policy, null, 2));
  } catch (error) {
    throw new Error(
      `Cannot write ${MACHINE_POLICY_PATH} (${String(error)}): the policy tests install Sealpost ` +
        'machine-wide, as an administrator does, and need root (CI runs as root).',
      { cause: error },
    );
  }
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    if (previous) {
      writeFileSync(MACHINE_POLICY_PATH, previous);
      return;
    }
    rmSync(MACHINE_POLICY_PATH, { force: true });
    for (const folder of created.reverse()) rmdirSync(folder);
  };
  process.once('exit', restore);
  return restore;
}
