/**
 * `npm run e2e:scenario -- <scenario.json> --out <dir> [--xpi <file>] [--screenshot <png>]
 * [--keep-server]`: runs one send case through the real Sealpost UI in a fresh headless
 * Thunderbird and writes what left the machine: `<dir>/mail-N.eml` per received mail, the
 * `secure-message.html` each carries as `<dir>/mail-N-secure-message.html`, and
 * `<dir>/result.json` (`{"outcome":"sent"|"cancelled","message":...}` plus details). Flags, fields
 * and output are described in test/e2e/scenarios/README.md. Exit code 0 whatever the outcome; 1
 * only when the harness itself failed (bad scenario, Thunderbird did not start, ...).
 *
 * A scenario with a server method (`sms`, `email`, `org-code`) gets a Sealpost server for the
 * run (PGlite, development outbox for SMS, email into the run's SMTP sink), set up in Sealpost's
 * options page with a sign-in as the sender. `--keep-server` keeps that server running after
 * Thunderbird stopped (email codes then go to its outbox), so the reader attached to the mail
 * can be opened and asked for codes; Ctrl-C stops it.
 *
 * `policy` is written as the machine-wide policies.json before Thunderbird starts (its
 * `serverUrl` the run's server, if any) and the previous file is put back when Thunderbird
 * stopped, also when the run fails.
 *
 * `keys` are imported by hand on the options page before composing; `wkd` keys are served by a
 * loopback Web Key Directory that a copy of the add-on with `wkdBaseUrl` asks (docs/keys.md).
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureSealpostBuilt, xpiWithDefaults } from '../test/e2e/harness/build.ts';
import { installMachinePolicy, sealpostSettingsPolicy } from '../test/e2e/harness/machinePolicy.ts';
import { runScenario } from '../test/e2e/harness/runScenario.ts';
import { loadScenario, type LoadedScenario } from '../test/e2e/harness/scenario.ts';
import { clearRunOutput, writeMails } from '../test/e2e/harness/scenarioOutput.ts';
import { startSealpostServer, type SealpostServer } from '../test/e2e/harness/sealpostServer.ts';
import { codeFromSink, connectSealpost, domainOf } from '../test/e2e/harness/serverSession.ts';
import { SealpostOptions } from '../test/e2e/harness/sealpostOptions.ts';
import { ThunderbirdSession } from '../test/e2e/harness/session.ts';
import { WkdServer } from '../test/e2e/harness/wkdServer.ts';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      xpi: { type: 'string' },
      screenshot: { type: 'string' },
      'keep-server': { type: 'boolean' },
    },
  });
  const scenarioPath = positionals[0];
  if (!scenarioPath || !values.out || positionals.length > 1) {
    throw new Error(
      'usage: npm run e2e:scenario -- <scenario.json> --out <dir> [--xpi <file>] [--screenshot <png>] [--keep-server]',
    );
  }
  const scenario = await loadScenario(resolve(scenarioPath));
  const outDirectory = resolve(values.out);
  // --xpi tries another build of the add-on; by default the project's own, built if missing.
  const xpiPath = values.xpi ? resolve(values.xpi) : ensureSealpostBuilt();
  if (!existsSync(xpiPath)) throw new Error(`--xpi ${xpiPath} does not exist`);
  await mkdir(outDirectory, { recursive: true });
  await clearRunOutput(outDirectory);
  const workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-scenario-'));
  // The server starts before Thunderbird so that a policy can name it; its mail goes to the
  // session's sink once that exists.
  const server: SealpostServer | null = usesServer(scenario)
    ? await startSealpostServer({ domains: [domainOf(scenario.from)] })
    : null;
  let restorePolicy: (() => void) | null = null;
  let session: ThunderbirdSession | null = null;
  let wkd: WkdServer | null = null;
  const stopOnSignal = () => {
    void (session?.stop() ?? Promise.resolve())
      .then(() => server?.close())
      // process.exit also restores the policy file (installMachinePolicy's exit handler).
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    if (scenario.policy) {
      restorePolicy = installMachinePolicy(
        sealpostSettingsPolicy({
          ...scenario.policy,
          ...(server ? { serverUrl: server.url } : {}),
        }),
      );
      console.log('policy installed machine-wide for the run');
    }
    // `wkd`: the keys are served by a loopback Web Key Directory the test build asks.
    wkd = (scenario.wkdFiles ?? []).length > 0 ? await WkdServer.start() : null;
    for (const file of scenario.wkdFiles ?? []) {
      const published = await wkd!.publish(keyText(file.bytes));
      console.log(`WKD serves ${file.path} for ${published.join(', ')}`);
    }
    session = await ThunderbirdSession.start({
      from: scenario.from,
      sealpostXpi: wkd
        ? await xpiWithDefaults(
            xpiPath,
            { wkdBaseUrl: wkd.url },
            join(workDirectory, 'sealpost.xpi'),
          )
        : xpiPath,
      workDirectory,
    });
    if (server) {
      server.setSmtp({ host: '127.0.0.1', port: session.sink.port });
      const sender = bareAddress(scenario.from);
      // A server set by policy is shown read-only: the sender only signs in.
      const signedIn = scenario.policy
        ? await signInToPolicyServer(session, sender)
        : await connectSealpost(session, server, sender);
      console.log(`Sealpost server ${server.url}: ${signedIn}`);
    }
    if ((scenario.keyFiles ?? []).length > 0) {
      // `keys`: imported by hand on the options page, as a sender would.
      const options = await SealpostOptions.open(session.thunderbird.marionette);
      for (const [index, file] of (scenario.keyFiles ?? []).entries()) {
        const key = keyText(file.bytes);
        const picked = join(workDirectory, `key-${index + 1}.gpg`);
        console.log(`imported ${file.path}: ${await options.importKey(key, picked)}`);
      }
    }
    const screenshotPath = values.screenshot ? resolve(values.screenshot) : undefined;
    const outcome = await runScenario(session, scenario, {
      // --screenshot saves the popup as the user left it, just before Send.
      ...(screenshotPath
        ? { onPopupReady: (png: string) => writeFile(screenshotPath, Buffer.from(png, 'base64')) }
        : {}),
    });
    const readerFiles = await writeMails(outDirectory, outcome.mails);
    const result = {
      outcome: outcome.outcome,
      message: outcome.message,
      recipients: outcome.recipients,
      smtpEnvelope: outcome.mails.map((mail) => ({
        mailFrom: mail.mailFrom,
        rcptTo: mail.rcptTo,
      })),
      readerFiles,
      ...(outcome.outcome === 'cancelled'
        ? { popupReopenedBySealpost: outcome.popupReopenedBySealpost }
        : {}),
      notes: outcome.notes,
      ...(server ? { server: { url: server.url, outbox: `${server.url}/dev/outbox` } } : {}),
    };
    await writeFile(join(outDirectory, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `${outcome.outcome}${outcome.message ? `: ${outcome.message}` : ''} ` +
        `(${outcome.mails.length} mail(s) written to ${outDirectory})`,
    );
    for (const note of outcome.notes) console.log(`note: ${note}`);
  } finally {
    try {
      await session?.stop();
      if (session) {
        await copyFile(
          join(workDirectory, 'thunderbird.log'),
          join(outDirectory, 'thunderbird.log'),
        );
      }
    } finally {
      // Every Thunderbird on the machine reads the policy file: it goes back before anything
      // else can fail.
      restorePolicy?.();
      await rm(workDirectory, { recursive: true, force: true });
      if (server && !values['keep-server']) await server.close();
      await wkd?.close();
    }
  }
  if (server && values['keep-server']) {
    // The run's SMTP sink stopped with Thunderbird: email codes go to the outbox from now on.
    server.setSmtp(null);
    const running = server;
    console.log(
      `Sealpost server still running at ${running.url} (codes: ${running.url}/dev/outbox). Ctrl-C stops it.`,
    );
    await new Promise<void>((resolveStop) => {
      process.removeListener('SIGINT', stopOnSignal);
      process.removeListener('SIGTERM', stopOnSignal);
      const stop = () => void running.close().finally(resolveStop);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  }
}

/** Signs the sender in on the options page to the server the policy names; what the page says. */
async function signInToPolicyServer(session: ThunderbirdSession, sender: string): Promise<string> {
  const options = await SealpostOptions.open(session.thunderbird.marionette);
  const mailsBefore = session.sink.mails.length;
  return options.signIn(sender, () => codeFromSink(session.sink, sender, mailsBefore));
}

/** Methods (ids or menu entries) that need a Sealpost server. */
const SERVER_METHOD = /^(sms|email|org-code)(-|$)/;

function usesServer(scenario: LoadedScenario): boolean {
  return Object.values(scenario.recipients).some(
    (choice) => choice.method !== undefined && SERVER_METHOD.test(choice.method),
  );
}

/** A key file as text when it is armored, else its bytes (a binary key). */
function keyText(bytes: Uint8Array): string | Uint8Array {
  const text = Buffer.from(bytes).toString('utf8');
  return text.includes('-----BEGIN PGP') ? text : bytes;
}

/** `alice@x.example` from `Alice <alice@x.example>` or `alice@x.example`. */
function bareAddress(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`e2e:scenario failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
