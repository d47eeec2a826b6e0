/**
 * The admin CLI: `npm run server:admin -- (--config <file> | --dev) <command>`.
 * tokens list [--address <a>] device tokens (id, address, device, created, last used, revoked)
 *   tokens revoke <id>                 revoke one device token
 *   directory export <file.csv|->      the organisation directory as CSV
 *   directory import <file.csv> [--by <name>]   bulk-load entries (all or nothing, audited)
 *   devices list [--address <a>]       remembered browsers (id, address, dates; never secrets)
 *   devices remove <id> | --address <a>   one remembered browser, or all of an address
 *   payloads usage                     payload bytes per sender (active messages) and in all
 * Uses the same config (file + SEALPOST_* env) and database as the server, and says which on
 * stderr: it never falls back to the development database unless told to (`--dev`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { revokeDeviceToken } from './auth/signIn.ts';
import { loadServerSecret, type ServerSecret } from './serverSecret.ts';
import { loadConfig } from './config.ts';
import { displayDatabaseUrl, openCheckedDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Database } from './db/schema.ts';
import { systemClock, type Clock } from './deps.ts';
import { exportDirectoryCsv, importDirectoryCsv } from './directory/csv.ts';
import { listDevices, removeDevices } from './devices/devices.ts';
import { normaliseAddress } from '../core/address.ts';
import { payloadBytesPerSender } from './payloads/payloadRows.ts';

export const ADMIN_USAGE = `usage: npm run server:admin -- (--config <file.json> | --dev) <command>
  tokens list [--address <address>]
  tokens revoke <token id>
  directory export <file.csv | ->
  directory import <file.csv> [--by <name>]
  devices list [--address <address>]
  devices remove <device id>
  devices remove --address <address>
  payloads usage`;

export interface AdminIo {
  db: Kysely<Database>;
  /** The server's secret key (organisation codes in the directory are encrypted with it). */
  secret: ServerSecret;
  clock: Clock;
  /** Normal output (one call per line). */
  out: (line: string) => void;
  /** Problems (one call per line). */
  error: (line: string) => void;
}

const ADMIN_OPTIONS = {
  address: { type: 'string' },
  by: { type: 'string' },
  config: { type: 'string' },
  dev: { type: 'boolean' },
} as const;

type AdminOption = keyof typeof ADMIN_OPTIONS;
type AdminOptionValues = { address?: string; by?: string; config?: string; dev?: boolean };

/**
 * Ids are random base64url and may begin with `-` (a device id `-6Zq…`): anything that is not
 * one of the options (with its value) goes after `--`, so it is read as the id it is.
 */
export function idsAsPositionals(argv: readonly string[]): string[] {
  const options: string[] = [];
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const name = /^--([a-z]+)(=|$)/.exec(argument);
    if (argument === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (name && name[1]! in ADMIN_OPTIONS) {
      options.push(argument);
      const takesValue = ADMIN_OPTIONS[name[1] as AdminOption].type === 'string';
      if (takesValue && name[2] === '' && index + 1 < argv.length) options.push(argv[++index]!);
    } else {
      positionals.push(argument);
    }
  }
  return [...options, '--', ...positionals];
}

/** The options and words of a command line, or why it cannot be read (one sentence). */
export function parseAdminArguments(
  argv: readonly string[],
): { ok: true; values: AdminOptionValues; positionals: string[] } | { ok: false; error: string } {
  // An option that takes a value, given last without one (Node would call it "ambiguous").
  const last = /^--([a-z]+)$/.exec(argv.at(-1) ?? '')?.[1];
  if (last && ADMIN_OPTIONS[last as AdminOption]?.type === 'string')
    return { ok: false, error: `--${last} needs a value` };
  try {
    const { values, positionals } = parseArgs({
      args: idsAsPositionals(argv),
      allowPositionals: true,
      options: ADMIN_OPTIONS,
    });
    return { ok: true, values, positionals };
  } catch (error) {
    // Node names the option ("Option '--dev' does not take an argument"); its first sentence.
    return { ok: false, error: (error as Error).message.split(/\.\s|\n/)[0]!.replace(/\.$/, '') };
  }
}

/** Commands and how many words each takes after its two (a stray word is a usage error). */
const EXTRA_WORDS: Record<string, number> = {
  'tokens list': 0,
  'tokens revoke': 1,
  'directory export': 1,
  'directory import': 1,
  'devices list': 0,
  'devices remove': 1,
  'payloads usage': 0,
};

/** Runs one admin command; returns the process exit code (0 ok, 1 failed, 2 usage). */
export async function runAdminCommand(argv: string[], io: AdminIo): Promise<number> {
  const parsed = parseAdminArguments(argv);
  if (!parsed.ok) {
    io.error(parsed.error);
    io.error(ADMIN_USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  const [group, command, argument] = positionals;
  const allowed = EXTRA_WORDS[`${group} ${command}`];
  if (allowed !== undefined && positionals.length > 2 + allowed) {
    io.error(`unexpected argument: ${positionals[2 + allowed]}`);
    io.error(ADMIN_USAGE);
    return 2;
  }
  try {
    return await runCommand(group, command, argument, values, io);
  } catch (error) {
    // A file that cannot be read or written: said in one line, not as a stack trace.
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      io.error(fileProblem(error as NodeJS.ErrnoException, argument));
      return 1;
    }
    throw error;
  }
}

/** Why a file could not be read or written, in words (Node's message names the syscall). */
const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file (or its folder does not exist)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'this is a folder, give a file',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
};

function fileProblem(error: NodeJS.ErrnoException, argument: string | undefined): string {
  const why = FILE_PROBLEMS[error.code ?? ''] ?? error.message;
  // A folder read as a file gives no path: the command's own argument is that file.
  const path = error.path ?? argument;
  return path ? `${path}: ${why}` : why;
}

async function runCommand(
  group: string | undefined,
  command: string | undefined,
  argument: string | undefined,
  values: { address?: string; by?: string },
  io: AdminIo,
): Promise<number> {
  if (group === 'tokens' && command === 'list') {
    let query = io.db.selectFrom('device_tokens').selectAll().orderBy('created_at');
    if (values.address) query = query.where('address', '=', values.address.trim().toLowerCase());
    const rows = await query.execute();
    io.out(['id', 'address', 'device', 'created', 'last used', 'revoked'].join('\t'));
    for (const row of rows) {
      io.out(
        [
          row.id,
          row.address,
          row.device_name,
          row.created_at.toISOString(),
          row.last_used_at.toISOString(),
          row.revoked_at?.toISOString() ?? '-',
        ].join('\t'),
      );
    }
    return 0;
  }
  if (group === 'payloads' && command === 'usage') {
    // What the quotas count: active messages' payloads, finished and still uploading.
    const rows = await payloadBytesPerSender(io.db, io.clock.now());
    io.out(['sender', 'payloads', 'bytes', 'unfinished uploads'].join('\t'));
    for (const row of rows)
      io.out([row.sender, row.payloads, row.bytes, row.unfinished].join('\t'));
    const total = rows.reduce((sum, row) => sum + row.bytes, 0);
    io.out(['(all)', rows.reduce((sum, row) => sum + row.payloads, 0), total, '-'].join('\t'));
    return 0;
  }
  if (group === 'tokens' && command === 'revoke' && argument) {
    if (await revokeDeviceToken(io.db, io.clock, argument)) {
      io.out(`revoked ${argument}`);
      return 0;
    }
    io.error(`no active token with id ${argument}`);
    return 1;
  }
  if (group === 'directory' && command === 'export' && argument) {
    const csv = await exportDirectoryCsv(io.db, io.secret);
    if (argument === '-') io.out(csv.trimEnd());
    else {
      await writeFile(argument, csv);
      io.out(`wrote ${csv.trimEnd().split('\n').length - 1} entries to ${argument}`);
    }
    return 0;
  }
  if (group === 'directory' && command === 'import' && argument) {
    const by = values.by ?? 'admin (CSV import)';
    const result = await importDirectoryCsv(
      io.db,
      io.secret,
      await readFile(argument, 'utf8'),
      by,
      io.clock.now(),
    );
    if (!result.ok) {
      for (const problem of result.errors) io.error(problem);
      io.error(
        `nothing was imported: ${result.errors.length} ${result.errors.length === 1 ? 'problem' : 'problems'}; correct them and import the whole file again`,
      );
      return 1;
    }
    io.out(
      `imported ${result.rows} ${result.rows === 1 ? 'row' : 'rows'} (${result.changedRows} changed) as "${by}"`,
    );
    return 0;
  }
  if (group === 'devices' && command === 'list' && argument === undefined) {
    const address = values.address === undefined ? undefined : normaliseAddress(values.address);
    const rows = await listDevices(io.db, address);
    // Only digests of a device's secrets are stored: nothing here opens or removes anything.
    io.out(['id', 'address', 'created', 'expires', 'last used', 'removed'].join('\t'));
    for (const row of rows) {
      io.out(
        [
          row.id,
          row.address,
          row.created_at.toISOString(),
          row.expires_at.toISOString(),
          row.last_used_at?.toISOString() ?? '-',
          row.removed_at?.toISOString() ?? '-',
        ].join('\t'),
      );
    }
    return 0;
  }
  if (group === 'devices' && command === 'remove' && (argument === undefined) !== !values.address) {
    const which = argument ? { id: argument } : { address: normaliseAddress(values.address!) };
    const removed = await removeDevices(io.db, which, io.clock.now());
    if (removed === 0) {
      io.error(
        argument
          ? `no remembered browser in use with id ${argument}`
          : `no remembered browser in use for ${which.address}`,
      );
      return 1;
    }
    io.out(`removed ${removed} remembered browser${removed === 1 ? '' : 's'}`);
    return 0;
  }
  io.error(ADMIN_USAGE);
  return 2;
}

/**
 * Which configuration the CLI uses. The admin CLI changes real data, so it never guesses: the
 * server's file (`--config` or `SEALPOST_CONFIG`), the server's environment (at least
 * `SEALPOST_DATABASE_URL`), or, only when asked with `--dev`, the development defaults.
 */
export function adminConfigSource(
  values: { config?: string; dev?: boolean },
  environment: NodeJS.ProcessEnv,
):
  | { ok: true; path: string | undefined; environment: NodeJS.ProcessEnv; description: string }
  | { ok: false; error: string } {
  const path = values.config ?? (environment.SEALPOST_CONFIG || undefined);
  if (values.dev && path) return { ok: false, error: 'give --config or --dev, not both' };
  if (values.dev) {
    // The database and key `npm start` uses (scripts/dev/devServer.ts), from the project folder
    // where `npm run` runs: another key could not read its directory's organisation codes.
    return {
      ok: true,
      path: undefined,
      environment: {
        SEALPOST_SECRET_KEY_FILE: '.tmp/server-secret.key',
        ...environment,
        SEALPOST_DEVELOPMENT_MODE: 'true',
      },
      description: 'the development configuration (--dev)',
    };
  }
  if (path) return { ok: true, path, environment, description: `configuration ${resolve(path)}` };
  if (environment.SEALPOST_DATABASE_URL)
    return { ok: true, path: undefined, environment, description: 'the SEALPOST_* environment' };
  return {
    ok: false,
    error:
      "which server? give --config <file.json> (or SEALPOST_CONFIG, or the server's SEALPOST_* variables with SEALPOST_DATABASE_URL); --dev uses the development database",
  };
}

/** Says every problem on a line of its own, then stops with exit code 2 (nothing was changed). */
function refuse(problems: string[]): never {
  for (const problem of problems) console.error(`sealpost admin: ${problem}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const parsed = parseAdminArguments(argv);
  if (!parsed.ok) refuse([parsed.error, ADMIN_USAGE]);
  const source = adminConfigSource(parsed.values, process.env);
  if (!source.ok) refuse([source.error, ADMIN_USAGE]);
  const loaded = await loadConfig(source.path, source.environment);
  if (!loaded.ok) refuse([`invalid configuration (${source.description}):`, ...loaded.errors]);
  // The same secret as the server's: the directory's organisation codes are encrypted with it.
  const [secret, opened] = await Promise.all([
    loadServerSecret({
      key: loaded.config.secretKey,
      keyFile: resolve(loaded.config.secretKeyFile),
      previousKeys: loaded.config.previousSecretKeys,
    }),
    openCheckedDatabase(loaded.config.databaseUrl),
  ]);
  if (!secret.ok || !opened.ok) {
    if (opened.ok) await opened.database.close();
    refuse([...(secret.ok ? [] : [secret.error]), ...(opened.ok ? [] : [opened.error])]);
  }
  // On stderr, so `directory export -` still writes only CSV to stdout.
  console.error(
    `sealpost admin: ${source.description}, database ${displayDatabaseUrl(loaded.config.databaseUrl)}`,
  );
  const database = opened.database;
  let exitCode: number;
  try {
    await migrateToLatest(database.db);
    exitCode = await runAdminCommand(argv, {
      db: database.db,
      secret: secret.secret,
      clock: systemClock,
      out: (line) => console.log(line),
      error: (line) => console.error(line),
    });
  } finally {
    await database.close();
  }
  process.exit(exitCode);
}

// Run only as a program, not when the tests import runAdminCommand.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    await main();
  } catch (error) {
    // Something not foreseen (a migration): one line, the stack only when asked for.
    console.error(`sealpost admin: failed: ${(error as Error).message ?? String(error)}`);
    if (['debug', 'trace'].includes(process.env.SEALPOST_LOG_LEVEL ?? ''))
      console.error((error as Error).stack);
    process.exit(1);
  }
}
