/**
 * `npm run e2e:scenario -- <scenario.json> --out <dir>`: runs one send case through the real
 * Sealpost UI in a fresh headless Thunderbird and writes what left the machine:
 * `<dir>/mail-N.eml` per received mail and `<dir>/result.json`
 * (`{"outcome":"sent"|"cancelled","message":...}` plus details). The scenario format is
 * described in test/e2e/scenarios/README.md. Exit code 0 whatever the outcome; 1 only when the
 * harness itself failed (bad scenario, Thunderbird did not start, ...).
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureSealpostBuilt } from '../test/e2e/harness/build.ts';
import { runScenario } from '../test/e2e/harness/runScenario.ts';
import { loadScenario } from '../test/e2e/harness/scenario.ts';
import { ThunderbirdSession } from '../test/e2e/harness/session.ts';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      xpi: { type: 'string' },
      screenshot: { type: 'string' },
    },
  });
  const scenarioPath = positionals[0];
  if (!scenarioPath || !values.out || positionals.length > 1) {
    throw new Error(
      'usage: npm run e2e:scenario -- <scenario.json> --out <dir> [--xpi <file>] [--screenshot <png>]',
    );
  }
  const scenario = await loadScenario(resolve(scenarioPath));
  const outDirectory = resolve(values.out);
  // --xpi tries another build of the add-on; by default the project's own, built if missing.
  const xpiPath = values.xpi ? resolve(values.xpi) : ensureSealpostBuilt();
  if (!existsSync(xpiPath)) throw new Error(`--xpi ${xpiPath} does not exist`);
  await mkdir(outDirectory, { recursive: true });
  for (const name of await readdir(outDirectory)) {
    if (/^mail-\d+\.eml$/.test(name) || name === 'result.json') {
      await rm(join(outDirectory, name));
    }
  }
  const workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-scenario-'));
  const session = await ThunderbirdSession.start({
    from: scenario.from,
    sealpostXpi: xpiPath,
    workDirectory,
  });
  const stopOnSignal = () => {
    void session.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const screenshotPath = values.screenshot ? resolve(values.screenshot) : undefined;
    const outcome = await runScenario(session, scenario, {
      // --screenshot saves the popup as the user left it, just before Send.
      ...(screenshotPath
        ? { onPopupReady: (png: string) => writeFile(screenshotPath, Buffer.from(png, 'base64')) }
        : {}),
    });
    for (const [index, mail] of outcome.mails.entries()) {
      await writeFile(join(outDirectory, `mail-${index + 1}.eml`), mail.raw);
    }
    const result = {
      outcome: outcome.outcome,
      message: outcome.message,
      recipients: outcome.recipients,
      smtpEnvelope: outcome.mails.map((mail) => ({
        mailFrom: mail.mailFrom,
        rcptTo: mail.rcptTo,
      })),
      ...(outcome.outcome === 'cancelled'
        ? { popupReopenedBySealpost: outcome.popupReopenedBySealpost }
        : {}),
      notes: outcome.notes,
    };
    await writeFile(join(outDirectory, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `${outcome.outcome}${outcome.message ? `: ${outcome.message}` : ''} ` +
        `(${outcome.mails.length} mail(s) written to ${outDirectory})`,
    );
    for (const note of outcome.notes) console.log(`note: ${note}`);
  } finally {
    await session.stop();
    await copyFile(join(workDirectory, 'thunderbird.log'), join(outDirectory, 'thunderbird.log'));
    await rm(workDirectory, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`e2e:scenario failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
