/**
 * The Sealpost server for `npm start`: the embedded database (PGlite in `.tmp/server-data`, kept
 * between runs like the Thunderbird profile, so the add-on's device token stays valid) and its
 * hosted payloads (`.tmp/server-payloads`), the
 * development outbox for SMS and email, and the sender's mail domain as the organisation. Its
 * JSON log goes to `.tmp/server.log`; every code the outbox receives is printed to the console.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startSealpostServer,
  type OutboxMessage,
  type SealpostServer,
} from '../../test/e2e/harness/sealpostServer.ts';

export interface DevServer {
  url: string;
  outboxUrl: string;
  logPath: string;
  stop(): Promise<void>;
}

export async function startDevServer(options: {
  projectRoot: string;
  domains: string[];
  preferredPort: number;
}): Promise<DevServer> {
  const dataDirectory = join(options.projectRoot, '.tmp', 'server-data');
  const logPath = join(options.projectRoot, '.tmp', 'server.log');
  await mkdir(dataDirectory, { recursive: true });
  const log = createWriteStream(logPath, { flags: 'a' });
  const start = (port: number) =>
    startSealpostServer({
      domains: options.domains,
      organisationName: 'Sealpost development',
      databaseUrl: `pglite:${dataDirectory}`,
      port,
      log,
      // Kept with the database, outside it, like a production key file.
      secretKeyFile: join(options.projectRoot, '.tmp', 'server-secret.key'),
      // Hosted payloads beside the database (the file store), kept between runs like it.
      payloadDirectory: join(options.projectRoot, '.tmp', 'server-payloads'),
      // An organisation's opt-in, on here so a try-out shows "Remember this browser".
      rememberDevices: { enabled: true, days: 30 },
    });
  let server: SealpostServer;
  try {
    server = await start(options.preferredPort);
  } catch (error) {
    // Only a taken port is worth a second try; anything else (a broken database) is reported.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    server = await start(0);
  }
  const stopPrinting = printNewOutboxMessages(server);
  return {
    url: server.url,
    outboxUrl: `${server.url}/dev/outbox`,
    logPath,
    async stop() {
      stopPrinting();
      await server.close();
      log.end();
    },
  };
}

/** Prints each outbox message once (codes for sign-in, SMS and email verification). */
function printNewOutboxMessages(server: SealpostServer): () => void {
  // Messages of earlier runs are on the outbox page; the console shows this run's.
  let newestSeen = new Date().toISOString();
  const poll = async () => {
    const messages: OutboxMessage[] = await server.outboxQuietly().catch(() => []);
    const fresh = messages.filter((message) => message.at > newestSeen);
    if (messages[0] && messages[0].at > newestSeen) newestSeen = messages[0].at;
    for (const message of fresh.reverse()) {
      console.log(
        `[outbox] ${message.channel} to ${message.to}: ${message.text.replace(/\s+/g, ' ')}`,
      );
    }
  };
  const timer = setInterval(() => void poll(), 1000);
  return () => clearInterval(timer);
}
