/**
 * Starts the server: `npm run server -- [--config <file.json>]` (env `SEALPOST_*` overrides the
 * file). Checks everything it can before serving and refuses with one line per problem and exit
 * code 2 (never a stack trace); says what it runs on that nobody chose; migrates the database,
 * listens, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import { buildServer } from './app.ts';
import { loadConfig } from './config.ts';
import { displayDatabaseUrl, openCheckedDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { systemClock } from './deps.ts';
import { createMailer } from './mail/mailer.ts';
import { smsSenderForServer } from './providers/sms.ts';
import { reencryptOrgCodes } from './directory/directory.ts';
import { loadServerSecret } from './serverSecret.ts';
import { movePayloadsToStore } from './payloads/movePayloadsToStore.ts';
import { openPayloadStore } from './payloads/payloadStore.ts';
import { notReadyMessage, readinessChecks } from './readiness.ts';
import { listenProblem, parseServerArguments, readerPresent, startupNotices } from './startup.ts';

const PROGRAM = 'sealpost server';

/**
 * Says every problem on a line of its own, then stops with exit code 2 (nothing was started).
 * `transient`: nothing to change, something it needs is not there now (PostgreSQL down, the port
 * still held), so the last line says to try again rather than where to fix the configuration.
 */
function refuse(problems: string[], transient = false): never {
  for (const problem of problems) console.error(`${PROGRAM}: ${problem}`);
  console.error(
    transient
      ? `${PROGRAM}: not started; it may work when tried again`
      : `${PROGRAM}: not started; see docs/server.md, "Configuration"`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const parsed = parseServerArguments(process.argv.slice(2), process.env);
  if (!parsed.ok) refuse([parsed.error]);
  const loaded = await loadConfig(parsed.configPath, process.env);
  if (!loaded.ok) refuse(loaded.errors);
  const config = loaded.config;
  // The secret lives outside the database (configuration, environment or its own file). The
  // secret and the database are checked together, so both problems show at once.
  const [secret, opened] = await Promise.all([
    loadServerSecret({
      key: config.secretKey,
      keyFile: resolve(config.secretKeyFile),
      previousKeys: config.previousSecretKeys,
    }),
    openCheckedDatabase(config.databaseUrl),
  ]);
  if (!secret.ok || !opened.ok) {
    if (opened.ok) await opened.database.close();
    refuse(
      [...(secret.ok ? [] : [secret.error]), ...(opened.ok ? [] : [opened.error])],
      secret.ok && !opened.ok && opened.transient,
    );
  }
  const database = opened.database;
  await migrateToLatest(database.db);
  await reencryptOrgCodes(database.db, secret.secret);
  const payloads = openPayloadStore(config.payloads);
  // A store that cannot take a payload (a bucket that is not there, a read-only directory) is
  // a configuration to fix before anyone is given a link.
  const storeProblem = await payloads.problem();
  if (storeProblem !== null) {
    payloads.close?.();
    await database.close();
    refuse([storeProblem]);
  }
  // Payloads from before the payload store leave the database (once; quick when none are left).
  const moved = await movePayloadsToStore(database.db, payloads);
  const mailer = createMailer(config.smtp, database.db, systemClock);
  // dev (outbox, default), webhook or twilio, as configured.
  const sms = smsSenderForServer(config.sms, database.db, systemClock);
  const app = await buildServer({
    config,
    db: database.db,
    clock: systemClock,
    mailer,
    sms,
    secret: secret.secret,
    payloads,
  });
  app.log.info(
    {
      configFile: parsed.configPath ? resolve(parsed.configPath) : null,
      database: displayDatabaseUrl(config.databaseUrl),
    },
    'sealpost server starting',
  );
  for (const notice of startupNotices(config, readerPresent(config))) app.log.warn(notice);
  if (moved > 0) app.log.info({ moved }, 'moved payloads from the database to the payload store');
  if (secret.generatedAt) {
    app.log.warn(
      { secretKeyFile: secret.generatedAt },
      'generated a new server secret key: back this file up, apart from the database backups',
    );
  }
  // Connects and logs in to the SMTP server now, so a wrong host or password shows at start
  // (logged by the server, with its cause) rather than at the first sign-in.
  await mailer.verify?.();
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    await database.close();
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    refuse([listenProblem(error, config)], inUse);
  }
  // The checks /readyz makes: "ready" in the log means what it means to a load balancer.
  const problems = await readinessChecks({ db: database.db, mailer, config, payloads })();
  const details = { database: database.kind, organisation: config.organisation.name };
  if (problems.length === 0) app.log.info(details, 'sealpost server ready');
  else app.log.warn(details, `sealpost server started, but ${notReadyMessage(problems)}`);

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    mailer.close?.();
    payloads.close?.();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

try {
  await main();
} catch (error) {
  // Something not foreseen above (a migration, the payload store): one line; the stack only
  // when asked for, since it helps a developer and buries the cause for an administrator.
  console.error(`${PROGRAM}: could not start: ${(error as Error).message ?? String(error)}`);
  if (['debug', 'trace'].includes(process.env.SEALPOST_LOG_LEVEL ?? ''))
    console.error((error as Error).stack);
  process.exit(2);
}
