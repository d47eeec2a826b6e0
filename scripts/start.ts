/**
 * `npm start`: the product on this machine.
 * 1. builds the add-on (`npm run build`);
 * 2. starts a mail sink: SMTP on 127.0.0.1 plus a web page listing what arrived, with links to
 *    each raw mail and attachment (open `secure-message.html` from there);
 * 3. starts the Sealpost server (scripts/dev/devServer.ts): embedded database in
 *    `.tmp/server-data`, development outbox for SMS and email codes (printed here too), the
 *    sender's domain as the organisation; `dist/extension/defaults.json` points the add-on at it;
 * 4. prepares a Thunderbird profile in `.tmp/dev-profile` (kept between runs) whose account
 *    (`SEALPOST_FROM`, default "Alice Example <alice@example.test>") sends to that sink;
 * 5. opens Thunderbird with Sealpost loaded as a temporary add-on through web-ext, headed when a
 *    display exists, headless otherwise (and says how to get a display).
 * Ctrl-C stops everything it started. Ports: SMTP 2525, web 8025 and server 8787 when free
 * (SEALPOST_SMTP_PORT, SEALPOST_WEB_PORT, SEALPOST_SERVER_PORT override), otherwise any free port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { testProfilePrefs, userJs } from '../test/e2e/harness/profile.ts';
import { SmtpSink } from '../test/e2e/harness/smtpSink.ts';
import { startDevServer } from './dev/devServer.ts';
import { MailViewer } from './dev/mailViewer.ts';

const projectRoot = resolve(import.meta.dirname, '..');
const profileDirectory = join(projectRoot, '.tmp', 'dev-profile');
const mailDirectory = join(projectRoot, '.tmp', 'dev-mail');
const sender = process.env.SEALPOST_FROM ?? 'Alice Example <alice@example.test>';
const thunderbirdPath = process.env.SEALPOST_THUNDERBIRD ?? '/usr/bin/thunderbird';

function build(): void {
  const result = spawnSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** The domain of an address written as `Name <address>` or `address`. */
function domainOf(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address
    .slice(address.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
}

/** SMTP on the preferred port if free, else any. */
async function startSink(preferredPort: number): Promise<SmtpSink> {
  try {
    return await SmtpSink.start(preferredPort);
  } catch {
    return SmtpSink.start(0);
  }
}

/**
 * Writes the profile's user.js (account, identity, the sink's port). Thunderbird applies
 * user.js at every start, so a changed port or sender takes effect; everything else in the
 * profile (mail, Sealpost's remembered recipients) is kept between runs.
 */
async function prepareProfile(smtpPort: number): Promise<void> {
  await mkdir(profileDirectory, { recursive: true });
  const prefs = testProfilePrefs({ from: sender, smtpPort });
  // Unlike the tests, behave as for a user: the event page is suspended when idle, and
  // Thunderbird warns before sending a message over 20 MB.
  delete prefs['extensions.background.idle.enabled'];
  delete prefs['mailnews.message_warning_size'];
  await writeFile(join(profileDirectory, 'user.js'), userJs(prefs));
}

/** PIDs of the direct children of `parentPid` (web-ext's Thunderbird). */
async function childPids(parentPid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the ")" that ends the command name: state, ppid, ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === parentPid) children.push(Number(entry));
  }
  return children;
}

async function main(): Promise<void> {
  build();
  const viewer = new MailViewer(mailDirectory);
  await viewer.start(Number(process.env.SEALPOST_WEB_PORT ?? 8025));
  const sink = await startSink(Number(process.env.SEALPOST_SMTP_PORT ?? 2525));
  sink.onMail((mail) => {
    void viewer.store(mail).then((number) => {
      console.log(
        `mail ${number} received for ${mail.rcptTo.join(', ')}: http://127.0.0.1:${viewer.port}/`,
      );
    });
  });
  const server = await startDevServer({
    projectRoot,
    domains: [domainOf(sender)],
    preferredPort: Number(process.env.SEALPOST_SERVER_PORT ?? 8787),
  });
  // The development build's server URL (the add-on reads it when the options set none).
  await writeFile(
    join(projectRoot, 'dist/extension/defaults.json'),
    `${JSON.stringify({ serverUrl: server.url }, null, 2)}\n`,
  );
  await prepareProfile(sink.port);

  const headed = Boolean(process.env.DISPLAY);
  const environment = { ...process.env };
  if (!headed) environment.MOZ_HEADLESS = '1';
  const webExt: ChildProcess = spawn(
    process.execPath,
    [
      join(projectRoot, 'node_modules/web-ext/bin/web-ext.js'),
      'run',
      `--firefox=${thunderbirdPath}`,
      `--firefox-profile=${profileDirectory}`,
      '--profile-create-if-missing',
      '--keep-profile-changes',
      '--no-reload',
      '--no-input',
      '--source-dir',
      join(projectRoot, 'dist/extension'),
    ],
    { cwd: projectRoot, env: environment, stdio: ['ignore', 'inherit', 'inherit'] },
  );

  console.log(`
Sealpost is starting in Thunderbird (${headed ? `on display ${process.env.DISPLAY}` : 'headless'}).
  sender identity : ${sender}
  SMTP sink       : 127.0.0.1:${sink.port} (everything Thunderbird sends stays here)
  received mails  : http://127.0.0.1:${viewer.port}/
  Sealpost server : ${server.url} (organisation: ${domainOf(sender)}; log ${server.logPath})
  code outbox     : ${server.outboxUrl} (SMS and email codes; also printed below)
  profile         : ${profileDirectory}
${
  headed
    ? ''
    : `No display (DISPLAY is not set): Thunderbird runs headless, so you cannot see its windows
(the mail page above still shows what it sends). To see Thunderbird, run npm start from a
desktop session or over "ssh -X"; on a server, "xvfb-run -a npm start" gives it a virtual
display (look at it with "DISPLAY=:99 import -window root shot.png" or a VNC server).
`
}Press Ctrl-C to stop.`);

  // web-ext leaves Thunderbird running when it is interrupted: remember its PIDs to stop them.
  const thunderbirdPids = new Set<number>();
  const watcher = setInterval(() => {
    if (webExt.pid === undefined) return;
    void childPids(webExt.pid).then((pids) => pids.forEach((pid) => thunderbirdPids.add(pid)));
  }, 1000);

  let stopping = false;
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watcher);
    if (webExt.pid !== undefined) {
      for (const pid of await childPids(webExt.pid)) thunderbirdPids.add(pid);
    }
    if (webExt.exitCode === null) webExt.kill('SIGINT');
    for (const pid of thunderbirdPids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    await sink.stop();
    await viewer.stop();
    await server.stop();
    console.log('\nStopped Thunderbird, the SMTP sink, the mail page and the Sealpost server.');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  webExt.once('exit', (code) => {
    if (!stopping) {
      console.log(`web-ext exited (${code ?? 'signal'}); Thunderbird was closed.`);
      void stop(code ?? 0);
    }
  });
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
