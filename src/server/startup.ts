/**
 * What the server says before it serves (src/server/main.ts): its command line read without a
 * stack trace, what a first start runs on that nobody chose (the development database, the
 * example organisation), what is missing (the reader build), and why it could not listen.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, type ServerConfig } from './configDefaults.ts';
import { readerFilePath } from './messages/readerBuild.ts';

export const SERVER_USAGE = 'usage: npm run server -- [--config <file.json>]';

/** The project folder (where `npm run build` is run). */
const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** `--config <file>` (or `SEALPOST_CONFIG`); anything else is a usage error, said in one line. */
export function parseServerArguments(
  argv: string[],
  environment: NodeJS.ProcessEnv,
): { ok: true; configPath: string | undefined } | { ok: false; error: string } {
  try {
    const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } } });
    return { ok: true, configPath: values.config ?? (environment.SEALPOST_CONFIG || undefined) };
  } catch (error) {
    // Node's messages name the option ("Unknown option '--conf'"); the usage says what is known.
    const reason = (error as Error).message.split('. ')[0]!.replace(/\.$/, '');
    return { ok: false, error: `${reason} (${SERVER_USAGE})` };
  }
}

/** Whether the reader build this server serves is there. */
export function readerPresent(config: Pick<ServerConfig, 'readerFile'>): boolean {
  return existsSync(readerFilePath(config));
}

/**
 * One line for each thing the administrator did not choose or has not done yet, with what to
 * do. Logged as warnings at every start, so they stay visible until fixed.
 */
export function startupNotices(config: ServerConfig, readerBuilt: boolean): string[] {
  const notices: string[] = [];
  if (config.developmentMode) {
    notices.push(
      'development mode: codes that cannot be mailed or texted go to the outbox table, not to people; never use it in production (developmentMode, SEALPOST_DEVELOPMENT_MODE)',
    );
  }
  if (config.databaseUrl === DEFAULT_CONFIG.databaseUrl) {
    notices.push(
      `using the development database ${config.databaseUrl} (embedded, in ${resolve('.tmp/server-data')}): set databaseUrl (SEALPOST_DATABASE_URL) to PostgreSQL for real use (docs/server.md, "Setting up PostgreSQL")`,
    );
  }
  const { name, domains } = config.organisation;
  if (
    name === DEFAULT_CONFIG.organisation.name ||
    domains.join() === DEFAULT_CONFIG.organisation.domains.join()
  ) {
    notices.push(
      `the organisation is the built-in example ("${name}", ${domains.join(', ')}): set organisation.name and organisation.domains (SEALPOST_ORGANISATION_NAME, SEALPOST_ORGANISATION_DOMAINS)`,
    );
  }
  if (config.publicUrl === DEFAULT_CONFIG.publicUrl) {
    notices.push(
      `publicUrl is the default ${config.publicUrl}: links in mail point there; set publicUrl (SEALPOST_PUBLIC_URL) to the https:// address people reach`,
    );
  }
  const readerPath = readerFilePath(config);
  if (!readerBuilt) {
    notices.push(
      config.readerFile === undefined
        ? `the reader is not built (${readerPath} is missing): run \`npm run build\` in ${PROJECT_ROOT}; until then /r/<id> and /readyz answer 503`
        : `the reader is missing: readerFile ${readerPath} does not exist; until it does /r/<id> and /readyz answer 503`,
    );
  }
  return notices;
}

/** Why `listen` failed, as one sentence (a port in use, a privileged port). */
export function listenProblem(error: unknown, config: Pick<ServerConfig, 'host' | 'port'>): string {
  const { code, message } = error as { code?: string; message?: string };
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE')
    return `cannot listen on ${where}: the port is in use (EADDRINUSE); stop the other process or set port (SEALPOST_PORT)`;
  if (code === 'EACCES')
    return `cannot listen on ${where}: not allowed (EACCES); ports below 1024 need privileges, put a reverse proxy in front instead`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return `cannot listen on ${where}: no such address on this machine (${code}); check host (SEALPOST_HOST)`;
  return `cannot listen on ${where}: ${message ?? String(error)}`;
}
