import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarionetteClient } from './marionette.ts';

export interface LaunchOptions {
  profileDirectory: string;
  /** Must match the profile's `marionette.port` pref. */
  marionettePort: number;
  /** Where Thunderbird's stdout/stderr go (add-on console.log lands here too). */
  logPath: string;
  /** Default true; false needs DISPLAY. */
  headless?: boolean;
  executable?: string;
}

/**
 * A running Thunderbird in its own process group with its own TMPDIR (files added through the
 * compose API are written there and only deleted on a normal quit), driven over Marionette.
 */
export class ThunderbirdProcess {
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    /** Connected Marionette session (chrome and content commands). */
    readonly marionette: MarionetteClient,
    readonly logPath: string,
    private readonly temporaryDirectory: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts Thunderbird and resolves once Marionette accepts a session. */
  static async launch(options: LaunchOptions): Promise<ThunderbirdProcess> {
    const temporaryDirectory = await mkdtemp(join(tmpdir(), 'sealpost-tb-tmp-'));
    const log = await open(options.logPath, 'a');
    const headless = options.headless ?? true;
    const args = ['--marionette', '-remote-allow-system-access'];
    if (headless) args.push('--headless');
    args.push('-profile', options.profileDirectory, '--no-remote');
    const child = spawn(options.executable ?? 'thunderbird', args, {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: {
        ...process.env,
        TMPDIR: temporaryDirectory,
        ...(headless ? { MOZ_HEADLESS: '1' } : {}),
      },
    });
    await log.close();
    const killOnExit = () => killGroup(child, 'SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    let exitedEarly: string | undefined;
    child.once('exit', (code, signal) => (exitedEarly = `exited with ${code ?? signal}`));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (exitedEarly) throw await launchError(options.logPath, `Thunderbird ${exitedEarly}`);
      if (await canConnect(options.marionettePort)) break;
      if (Date.now() > deadline) {
        killGroup(child, 'SIGKILL');
        throw await launchError(options.logPath, 'Marionette did not start within 90 s');
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const marionette = await MarionetteClient.connect(options.marionettePort);
    await marionette.command('Marionette:SetContext', { value: 'chrome' });
    const thunderbird = new ThunderbirdProcess(
      child,
      marionette,
      options.logPath,
      temporaryDirectory,
    );
    child.once('exit', (code) => (thunderbird.exitCode = code));
    return thunderbird;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The log so far (for failure messages). */
  async logText(): Promise<string> {
    return readFile(this.logPath, 'utf8').catch(() => '');
  }

  /** Quits (SIGTERM, then SIGKILL after 5 s) and removes the private TMPDIR. */
  async stop(): Promise<void> {
    this.marionette.close();
    if (this.exitCode === undefined) {
      killGroup(this.child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
    // The child may leave helpers (crash reporter, content processes) in its group.
    killGroup(this.child, 'SIGKILL');
    await rm(this.temporaryDirectory, { recursive: true, force: true });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function launchError(logPath: string, reason: string): Promise<Error> {
  const log = await readFile(logPath, 'utf8').catch(() => '');
  return new Error(
    `${reason}; last log lines (${logPath}):\n${log.split('\n').slice(-30).join('\n')}`,
  );
}
