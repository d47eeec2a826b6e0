/**
 * `npm run e2e:scenario` as a user runs it (the script in a child process, a real headless
 * Thunderbird): an organisation's scenario whose `policy` locks secure mode on for a partner
 * domain while the scenario asks for a plaintext send. The runner must report the locked switch,
 * press Send anyway and report what Sealpost did; write each sent mail's reader beside its
 * `.eml`; and put the machine-wide policy file back, also when the run fails.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractEnvelopeJson, parseEnvelope } from '../../src/core/envelopeCodec.ts';
import { ensureSealpostBuilt, PROJECT_ROOT } from './harness/build.ts';
import { installMachinePolicy, MACHINE_POLICY_PATH } from './harness/machinePolicy.ts';

const EXAMPLE = join(PROJECT_ROOT, 'test', 'e2e', 'scenarios', 'policy-locked-secure.json');
const BOB = 'bob@partner.example';
/** In the example's body: must never leave the machine in the clear. */
const BODY_MARKER = 'PLAINTEXT-ATTEMPT-5150';

let workDirectory: string;
/** The machine's policy file before the tests (null: none), which every run must leave as is. */
let policyBefore: Buffer | null;

beforeAll(async () => {
  ensureSealpostBuilt();
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-e2e-runner-'));
  policyBefore = existsSync(MACHINE_POLICY_PATH) ? readFileSync(MACHINE_POLICY_PATH) : null;
});

afterAll(async () => {
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the scenario runner on `scenarioPath` into `outDirectory`, as `npm run e2e:scenario` does. */
async function runRunner(scenarioPath: string, outDirectory: string): Promise<RunResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
      ['scripts/e2e-scenario.ts', scenarioPath, '--out', outDirectory],
      { cwd: PROJECT_ROOT, timeout: 200_000 },
    );
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      exitCode: failed.code ?? -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}

/** The example with `changes` over it, written where its relative paths still hold. */
async function variant(name: string, changes: Record<string, unknown>): Promise<string> {
  const example = JSON.parse(await readFile(EXAMPLE, 'utf8')) as Record<string, unknown>;
  const path = join(workDirectory, `${name}.json`);
  await writeFile(path, JSON.stringify({ ...example, ...changes }));
  return path;
}

function currentPolicyFile(): Buffer | null {
  return existsSync(MACHINE_POLICY_PATH) ? readFileSync(MACHINE_POLICY_PATH) : null;
}

describe('the scenario runner with an organisation policy that locks secure mode on', () => {
  it('reports the locked switch, presses Send, and reports the blocked send with the panel’s words', async () => {
    const out = join(workDirectory, 'blocked');
    const run = await runRunner(EXAMPLE, out);
    expect(run.stderr).not.toContain('e2e:scenario failed');
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toContain('the secure switch is locked on');
    // The panel's reason, which names the organisation of the policy and the enforced recipient.
    expect(result.notes[0]).toContain('Example Health Trust');
    expect(result.notes[0]).toContain(BOB);
    expect(result.outcome).toBe('cancelled');
    expect(result.message).toContain(BOB);
    expect(result.message).toContain('Nothing was sent');
    expect(result.smtpEnvelope).toEqual([]);
    expect(result.readerFiles).toEqual([]);
    expect((await readdir(out)).filter((name) => name.startsWith('mail-'))).toEqual([]);
    expect(currentPolicyFile()).toEqual(policyBefore);
  });

  it('seals the same attempt once Bob has an access code, and writes the reader beside the mail', async () => {
    const out = join(workDirectory, 'sealed');
    const scenario = await variant('sealed', {
      recipients: { [BOB]: { method: 'code', code: 'Otter-Harbour-Violet-93' } },
    });
    const run = await runRunner(scenario, out);
    expect(run.stderr).not.toContain('e2e:scenario failed');
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    expect(result.notes[0]).toContain('the secure switch is locked on');
    expect(result.outcome).toBe('sent');
    expect(result.readerFiles).toEqual(['mail-1-secure-message.html']);
    const raw = await readFile(join(out, 'mail-1.eml'));
    expect(raw.toString('latin1')).not.toContain(BODY_MARKER);
    const attached = (await simpleParser(raw)).attachments.find(
      (part) => part.filename === 'secure-message.html',
    );
    const written = await readFile(join(out, 'mail-1-secure-message.html'));
    expect(written.equals(attached!.content)).toBe(true);
    const envelope = parseEnvelope(extractEnvelopeJson(written.toString('utf8')) ?? '');
    expect(envelope.ok).toBe(true);
    expect(currentPolicyFile()).toEqual(policyBefore);
  });

  it('names the run’s server in the policy for a server method: the sender only signs in', async () => {
    const out = join(workDirectory, 'server');
    const example = JSON.parse(await readFile(EXAMPLE, 'utf8')) as { policy: object };
    const scenario = await variant('server', {
      recipients: { [BOB]: { method: 'email' } },
      policy: { ...example.policy, allowedMethods: ['code', 'email'] },
    });
    const run = await runRunner(scenario, out);
    expect(run.stderr).not.toContain('e2e:scenario failed');
    expect(run.stdout).toContain('Signed in as alice@example.org');
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
    expect(result.outcome).toBe('sent');
    expect(result.recipients[BOB].method).toBe('email');
    expect(result.readerFiles).toEqual(['mail-1-secure-message.html']);
    // The notification links the hosted reader on the server the policy named.
    const notification = await simpleParser(await readFile(join(out, 'mail-1.eml')));
    expect(notification.text).toContain(`${result.server.url}/r/`);
    expect(currentPolicyFile()).toEqual(policyBefore);
  });

  it('puts the previous policy file back when the run fails after installing its own', async () => {
    const badKey = join(workDirectory, 'not-a-key.asc');
    await writeFile(badKey, 'this is not an OpenPGP key\n');
    // A file of the machine's own that the run must not lose: written here, put back after.
    const restoreMachine = installMachinePolicy({ policies: { DisableAppUpdate: true } });
    try {
      const before = currentPolicyFile();
      // The key fails to load after the policy is in place (WKD comes after the policy).
      const scenario = await variant('failing', { wkd: [badKey] });
      const run = await runRunner(scenario, join(workDirectory, 'failing'));
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('e2e:scenario failed');
      expect(run.stdout).toContain('policy installed machine-wide for the run');
      expect(currentPolicyFile()).toEqual(before);
    } finally {
      restoreMachine();
    }
    expect(currentPolicyFile()).toEqual(policyBefore);
  });
});
