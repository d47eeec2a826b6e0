import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { findFreePort } from './freePort.ts';

/** One mailbox user of the test IMAP server. */
export interface ImapUser {
  /** Login name, e.g. `alice`. */
  user: string;
  password: string;
}

/** A file the server keeps for a user: a message, an index, a log. */
export interface StoredFile {
  /** Path relative to the user's home, e.g. `Maildir/.Drafts/cur/1700…:2,S`. */
  path: string;
  bytes: Buffer;
  /** A maildir message (in `cur/` or `new/`), as opposed to dovecot's own bookkeeping. */
  isMessage: boolean;
}

/** One line of dovecot's `mail_log`: a message saved, flagged deleted, expunged or copied. */
export interface MailEvent {
  /** Milliseconds since the epoch, with the log's microseconds as the fraction. */
  time: number;
  event: 'save' | 'delete' | 'expunge' | 'copy';
  mailbox: string;
  uid: number;
  /** The message's Message-ID, with its angle brackets. */
  messageId: string;
}

/** Parses the `mail_log` lines of a dovecot log (see `log_timestamp` in the config). */
export function parseMailEvents(log: string): MailEvent[] {
  const events: MailEvent[] = [];
  const line =
    /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.(\d{6}) imap\([^)]*\)\S*: Info: (save|delete|expunge|copy): box=([^,]+), uid=(\d+), msgid=(<[^>]*>)/gm;
  for (const match of log.matchAll(line)) {
    const [, date, time, micros, event, mailbox, uid, messageId] = match;
    events.push({
      time: Date.parse(`${date}T${time}`) + Number(micros) / 1000,
      event: event as MailEvent['event'],
      mailbox: mailbox!,
      uid: Number(uid),
      messageId: messageId!,
    });
  }
  return events;
}

/** Which system users dovecot's processes run as, and which uid owns the mail. */
interface ProcessUsers {
  internalUser: string;
  internalGroup: string;
  loginUser: string;
  mailUid: number;
  mailGid: number;
}

/**
 * Dovecot refuses to run its login process as root ("This process must not be run as root")
 * and refuses mail owned by uid 0 ("userdb returned 0 as uid"), both measured with Debian's
 * 2.3.19. As root (CI), the Debian package's own unprivileged users take those parts; as
 * anyone else, everything runs as that user.
 */
async function processUsers(): Promise<ProcessUsers> {
  const me = userInfo();
  if (me.uid !== 0) {
    const group = (await commandOutput('id', ['-gn'])).trim();
    return {
      internalUser: me.username,
      internalGroup: group,
      loginUser: me.username,
      mailUid: me.uid,
      mailGid: me.gid,
    };
  }
  const mailUid = Number((await commandOutput('id', ['-u', 'dovecot'])).trim());
  const mailGid = Number((await commandOutput('id', ['-g', 'dovecot'])).trim());
  return {
    internalUser: 'dovecot',
    internalGroup: 'dovecot',
    loginUser: 'dovenull',
    mailUid,
    mailGid,
  };
}

function commandOutput(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

/** The configuration: loopback only, plaintext LOGIN allowed, no TLS, maildir in `directory`. */
export function dovecotConfig(options: {
  directory: string;
  port: number;
  users: ProcessUsers;
}): string {
  const { directory, port, users } = options;
  return `# Written by the Sealpost test harness; a throw-away server on loopback.
protocols = imap
listen = 127.0.0.1
base_dir = ${join(directory, 'run')}
state_dir = ${join(directory, 'run', 'state')}
instance_name = sealpost-test-${port}
default_internal_user = ${users.internalUser}
default_internal_group = ${users.internalGroup}
default_login_user = ${users.loginUser}
first_valid_uid = ${users.mailUid}
last_valid_uid = ${users.mailUid}
first_valid_gid = ${users.mailGid}
log_path = ${join(directory, 'dovecot.log')}
# Microseconds, and one line per saved, deleted and expunged message (mail_log): the test reads
# from the server's own log how long a draft stayed.
log_timestamp = "%Y-%m-%d %H:%M:%S.%{usecs} "
mail_plugins = $mail_plugins notify mail_log
plugin {
  mail_log_events = save delete expunge copy
  mail_log_fields = uid box msgid size
}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(directory, 'users')}
}
userdb {
  driver = static
  args = uid=${users.mailUid} gid=${users.mailGid} home=${join(directory, 'mail')}/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Templates {
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

/**
 * A real IMAP server for tests: Debian's dovecot (`dovecot-imapd`) with its own configuration in
 * a temporary folder, listening on 127.0.0.1, started as `dovecot -F -c <conf>` and killed at
 * the end. What it stores is read straight from its maildir, index files included, so a test
 * sees everything the server keeps, not only what IMAP shows.
 */
export class ImapServer {
  private exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly directory: string,
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(users: ImapUser[]): Promise<ImapServer> {
    const directory = await mkdtemp(join(tmpdir(), 'sealpost-imap-'));
    const processes = await processUsers();
    // mkdtemp makes it 0700; dovecot's unprivileged processes must pass through it.
    await chmod(directory, 0o711);
    const mailDirectory = join(directory, 'mail');
    await mkdir(join(directory, 'run'), { recursive: true });
    await mkdir(mailDirectory);
    await chown(mailDirectory, processes.mailUid, processes.mailGid);
    await writeFile(
      join(directory, 'users'),
      users.map(({ user, password }) => `${user}:{PLAIN}${password}\n`).join(''),
    );
    const port = await findFreePort();
    const configPath = join(directory, 'dovecot.conf');
    await writeFile(configPath, dovecotConfig({ directory, port, users: processes }));
    const child = spawn('dovecot', ['-F', '-c', configPath], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killOnExit = () => killGroup(child, 'SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    const server = new ImapServer(child, directory, port);
    const deadline = Date.now() + 20_000;
    // The greeting comes before the auth process is up: only a login shows the server ready.
    while (!(await logsIn(port, users[0]))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await server.stop();
        throw new Error(`dovecot did not start: ${stderr}${await server.logText()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return server;
  }

  /** The server's log (logins, appends, expunges). */
  logText(): Promise<string> {
    return readFile(join(this.directory, 'dovecot.log'), 'utf8').catch(() => '');
  }

  /** Every message the server saved, deleted, expunged or copied so far, from its log. */
  async mailEvents(): Promise<MailEvent[]> {
    return parseMailEvents(await this.logText());
  }

  /** Every file the server keeps for `user`: messages and dovecot's index and cache files. */
  async storedFiles(user: string): Promise<StoredFile[]> {
    const home = join(this.directory, 'mail', user);
    const entries = await readdir(home, { recursive: true, withFileTypes: true }).catch(() => []);
    const files: StoredFile[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      // Dovecot renames and removes files (locks, expunged messages) while we read.
      const bytes = await readFile(path).catch(() => null);
      if (bytes === null) continue;
      files.push({
        path: relative(home, path),
        bytes,
        isMessage: /(^|\/)(cur|new)$/.test(relative(home, entry.parentPath)),
      });
    }
    return files;
  }

  /** The messages of one mailbox (`INBOX`, `Drafts`, `Trash`…), as stored. */
  async messages(user: string, mailbox: string): Promise<StoredFile[]> {
    const folder = mailbox === 'INBOX' ? 'Maildir/' : `Maildir/.${mailbox}/`;
    return (await this.storedFiles(user)).filter(
      (file) =>
        file.isMessage &&
        file.path.startsWith(folder) &&
        !file.path.slice(folder.length).includes('/.'),
    );
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      killGroup(this.child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
    killGroup(this.child, 'SIGKILL');
    await rm(this.directory, { recursive: true, force: true });
  }
}

/** Whether a LOGIN as `user` succeeds (without users: whether the greeting arrives). */
function logsIn(port: number, user: ImapUser | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    let loginSent = false;
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(5_000, () => done(false));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (!loginSent && /^\* OK/m.test(text)) {
        if (!user) return done(true);
        loginSent = true;
        socket.write(`p LOGIN "${user.user}" "${user.password}"\r\n`);
      }
      const answer = /^p (OK|NO|BAD)/m.exec(text);
      if (answer) done(answer[1] === 'OK');
    });
    socket.once('error', () => done(false));
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
