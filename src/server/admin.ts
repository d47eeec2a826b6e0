/**
 * The admin CLI: `npm run server:admin -- [--config <file>] <command>`.
 * tokens list [--address <a>] device tokens (id, address, device, created, last used, revoked)
 *   tokens revoke <id>                 revoke one device token
 *   directory export <file.csv|->      the organisation directory as CSV
 *   directory import <file.csv> [--by <name>]   bulk-load entries (all or nothing, audited)
 *   devices list [--address <a>]       remembered browsers (id, address, dates; never secrets)
 *   devices remove <id> | --address <a>   one remembered browser, or all of an address
 *   payloads usage                     payload bytes per sender (active messages) and in all
 * Uses the same config (file + SEALPOST_* env) and database as the server.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { revokeDeviceToken } from './auth/signIn.ts';
import { loadServerSecret, type ServerSecret } from './serverSecret.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Database } from './db/schema.ts';
import { systemClock, type Clock } from './deps.ts';
import { exportDirectoryCsv, importDirectoryCsv } from './directory/csv.ts';
import { listDevices, removeDevices } from './devices/devices.ts';
import { normaliseAddress } from '../core/address.ts';
import { payloadBytesPerSender } from './payloads/payloadRows.ts';

export const ADMIN_USAGE = `usage: npm run server:admin -- [--config <file.json>] <command>
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
} as const;

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
      if (name[2] === '' && index + 1 < argv.length) options.push(argv[++index]!);
    } else {
      positionals.push(argument);
    }
  }
  return [...options, '--', ...positionals];
}

/** Runs one admin command; returns the process exit code (0 ok, 1 failed, 2 usage). */
export async function runAdminCommand(argv: string[], io: AdminIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: idsAsPositionals(argv),
    allowPositionals: true,
    options: ADMIN_OPTIONS,
  });
  const [group, command, argument] = positionals;
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
      io.error('nothing was imported');
      return 1;
    }
    io.out(`imported ${result.rows} rows (${result.changedRows} changed) as "${by}"`);
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

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { config: { type: 'string' } },
  });
  const configPath =
    typeof values.config === 'string' ? values.config : process.env.SEALPOST_CONFIG;
  const loaded = await loadConfig(configPath, process.env);
  if (!loaded.ok) {
    console.error(`sealpost admin: invalid configuration:\n  ${loaded.errors.join('\n  ')}`);
    process.exit(2);
  }
  // The same secret as the server's: the directory's organisation codes are encrypted with it.
  const secret = await loadServerSecret({
    key: loaded.config.secretKey,
    keyFile: resolve(loaded.config.secretKeyFile),
    previousKeys: loaded.config.previousSecretKeys,
  });
  if (!secret.ok) {
    console.error(`sealpost admin: ${secret.error}`);
    process.exit(2);
  }
  const database = await openDatabase(loaded.config.databaseUrl);
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
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
