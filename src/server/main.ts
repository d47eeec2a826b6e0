/**
 * Starts the server: `npm run server -- [--config <file.json>]` (env `SEALPOST_*` overrides the
 * file). Migrates the database, listens, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { systemClock } from './deps.ts';
import { createMailer } from './mail/mailer.ts';
import { smsSenderForServer } from './providers/sms.ts';
import { reencryptOrgCodes } from './directory/directory.ts';
import { loadServerSecret } from './serverSecret.ts';
import { movePayloadsToStore } from './payloads/movePayloadsToStore.ts';
import { openPayloadStore } from './payloads/payloadStore.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' } } });
  const loaded = await loadConfig(values.config ?? process.env.SEALPOST_CONFIG, process.env);
  if (!loaded.ok) {
    console.error(`sealpost server: invalid configuration:\n  ${loaded.errors.join('\n  ')}`);
    process.exit(2);
  }
  const config = loaded.config;
  // The secret lives outside the database (configuration, environment or its own file).
  const secret = await loadServerSecret({
    key: config.secretKey,
    keyFile: resolve(config.secretKeyFile),
    previousKeys: config.previousSecretKeys,
  });
  if (!secret.ok) {
    console.error(`sealpost server: ${secret.error}`);
    process.exit(2);
  }
  const database = await openDatabase(config.databaseUrl);
  await migrateToLatest(database.db);
  await reencryptOrgCodes(database.db, secret.secret);
  const payloads = openPayloadStore(config.payloads);
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
  if (moved > 0) app.log.info({ moved }, 'moved payloads from the database to the payload store');
  if (secret.generatedAt) {
    app.log.warn(
      { secretKeyFile: secret.generatedAt },
      'generated a new server secret key: back this file up, apart from the database backups',
    );
  }
  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    {
      database: database.kind,
      organisation: config.organisation.name,
      devOutbox: config.devOutbox,
    },
    'sealpost server ready',
  );

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

await main();
