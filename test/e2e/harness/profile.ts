import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An add-on to install into a profile: a packed `.xpi` or an unpacked folder (tests only). */
export type ProfileAddon = { id: string; xpiPath: string } | { id: string; directory: string };

export interface ProfileOptions {
  /** The sender's identity, `alice@example.test` or `Alice Sender <alice@example.test>`. */
  from: string;
  /** SMTP port on 127.0.0.1 the account sends through (the test sink). */
  smtpPort: number;
  /** Port Marionette listens on (`marionette.port`). */
  marionettePort?: number;
  addons?: ProfileAddon[];
  /**
   * Let add-on event pages be suspended after this many idle milliseconds. Unset (the
   * default): event pages are never suspended, so a test cannot fail on a badly timed wake-up.
   */
  eventPageIdleTimeoutMs?: number;
  /** Extra `user_pref` lines, e.g. `{ 'mail.identity.id1.compose_html': true }`. */
  extraPrefs?: Record<string, string | number | boolean>;
  /** Folder to create the profile in; a fresh temporary one by default. */
  directory?: string;
  /**
   * Give the identity an IMAP account on this server (127.0.0.1, no TLS, password login) with
   * its Drafts and Templates there; Sent stays in Local Folders. Its password is not a pref:
   * Thunderbird reads it only from the login manager (see `addImapLogin` in session.ts).
   */
  imap?: ImapAccount;
}

/** An IMAP account for the profile's identity. */
export interface ImapAccount {
  port: number;
  /** Login name on the server. */
  user: string;
}

/** The folder URI Thunderbird gives a folder of the profile's IMAP account. */
export function imapFolderUri(account: ImapAccount, folder: string): string {
  return `imap://${encodeURIComponent(account.user)}@127.0.0.1/${folder}`;
}

/**
 * Prefs that add the IMAP account (`account2`, `server2`) and move the identity to it. It does
 * not connect at startup or check for new mail, so nothing asks for a password before the test
 * has stored one; Thunderbird connects when the first draft is saved.
 */
export function imapAccountPrefs(account: ImapAccount): Record<string, string | number | boolean> {
  return {
    'mail.accountmanager.accounts': 'account2,account1',
    'mail.accountmanager.defaultaccount': 'account2',
    'mail.account.account1.identities': '',
    'mail.account.account2.server': 'server2',
    'mail.account.account2.identities': 'id1',
    'mail.server.server2.type': 'imap',
    'mail.server.server2.hostname': '127.0.0.1',
    'mail.server.server2.port': account.port,
    'mail.server.server2.userName': account.user,
    'mail.server.server2.name': `${account.user} on the test IMAP server`,
    'mail.server.server2.directory-rel': '[ProfD]ImapMail/127.0.0.1',
    'mail.server.server2.socketType': 0,
    // 3: password sent as is (no TLS on loopback).
    'mail.server.server2.authMethod': 3,
    'mail.server.server2.login_at_startup': false,
    'mail.server.server2.check_new_mail': false,
    'mail.identity.id1.draft_folder': imapFolderUri(account, 'Drafts'),
    'mail.identity.id1.drafts_folder_picker_mode': '1',
    'mail.identity.id1.stationery_folder': imapFolderUri(account, 'Templates'),
    'mail.identity.id1.tmpl_folder_picker_mode': '1',
  };
}

/** Splits `Name <address>` (or a bare address) into a display name and an address. */
export function parseSender(from: string): { name: string; address: string } {
  const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
  const address = (match ? match[2]! : from).trim();
  const localPart = address.split('@')[0] ?? address;
  const name = match?.[1] || localPart.charAt(0).toUpperCase() + localPart.slice(1);
  return { name, address };
}

/**
 * The prefs of a test profile: one Local Folders account whose identity sends through the sink
 * (see THUNDERBIRD-TESTING.md), add-ons in the profile folder enabled without a prompt, event
 * pages never suspended (unless `eventPageIdleTimeoutMs` is set), and first-run chatter switched
 * off so nothing covers the windows.
 */
export function testProfilePrefs(
  options: ProfileOptions,
): Record<string, string | number | boolean> {
  const sender = parseSender(options.from);
  return {
    'mail.accountmanager.accounts': 'account1',
    'mail.accountmanager.defaultaccount': 'account1',
    'mail.accountmanager.localfoldersserver': 'server1',
    'mail.account.account1.server': 'server1',
    'mail.account.account1.identities': 'id1',
    'mail.server.server1.type': 'none',
    'mail.server.server1.hostname': 'Local Folders',
    'mail.server.server1.userName': 'nobody',
    'mail.server.server1.name': 'Local Folders',
    'mail.server.server1.directory-rel': '[ProfD]Mail/Local Folders',
    'mail.identity.id1.fullName': sender.name,
    'mail.identity.id1.useremail': sender.address,
    'mail.identity.id1.smtpServer': 'smtp1',
    'mail.identity.id1.valid': true,
    'mail.identity.id1.compose_html': false,
    'mail.identity.id1.fcc': true,
    'mail.identity.id1.fcc_folder': 'mailbox://nobody@Local%20Folders/Sent',
    'mail.smtpservers': 'smtp1',
    'mail.smtp.defaultserver': 'smtp1',
    'mail.smtpserver.smtp1.type': 'smtp',
    'mail.smtpserver.smtp1.hostname': '127.0.0.1',
    'mail.smtpserver.smtp1.port': options.smtpPort,
    'mail.smtpserver.smtp1.authMethod': 1,
    'mail.smtpserver.smtp1.try_ssl': 0,
    'extensions.autoDisableScopes': 0,
    'extensions.enabledScopes': 15,
    ...(options.eventPageIdleTimeoutMs === undefined
      ? { 'extensions.background.idle.enabled': false }
      : {
          'extensions.background.idle.enabled': true,
          'extensions.background.idle.timeout': options.eventPageIdleTimeoutMs,
        }),
    'xpinstall.signatures.required': false,
    'devtools.console.stdout.content': true,
    'devtools.console.stdout.chrome': true,
    // The body may mention "attached"; the reminder bar would only add noise.
    'mail.compose.attachment_reminder': false,
    'mail.SpellCheckBeforeSend': false,
    // Over 20 MB on the wire Thunderbird asks "send anyway?"; sealed mail is ~1.37x the
    // original, so scenarios of a few MB can reach it. 0 = never ask.
    'mailnews.message_warning_size': 0,
    'mail.shell.checkDefaultClient': false,
    'mail.rights.version': 1,
    'mail.provider.suppress_dialog_on_startup': true,
    'mail.spotlight.firstRunDone': true,
    'mail.winsearch.firstRunDone': true,
    'mailnews.start_page.enabled': false,
    'mail.inappnotifications.enabled': false,
    'app.update.enabled': false,
    'app.update.auto': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'browser.shell.checkDefaultBrowser': false,
    ...(options.marionettePort ? { 'marionette.port': options.marionettePort } : {}),
    ...(options.imap ? imapAccountPrefs(options.imap) : {}),
    ...options.extraPrefs,
  };
}

/** Renders prefs as user.js lines. */
export function userJs(prefs: Record<string, string | number | boolean>): string {
  return Object.entries(prefs)
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
    .join('\n')
    .concat('\n');
}

/**
 * Creates a profile folder with the test user.js and the given add-ons in `extensions/`
 * (`<id>.xpi` for packed add-ons, `<id>/` for unpacked ones). Returns its path.
 */
export async function createTestProfile(options: ProfileOptions): Promise<string> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'sealpost-profile-')));
  await mkdir(join(directory, 'extensions'), { recursive: true });
  await writeFile(join(directory, 'user.js'), userJs(testProfilePrefs(options)));
  for (const addon of options.addons ?? []) {
    if ('xpiPath' in addon) {
      await cp(addon.xpiPath, join(directory, 'extensions', `${addon.id}.xpi`));
    } else {
      await cp(addon.directory, join(directory, 'extensions', addon.id), { recursive: true });
    }
  }
  return directory;
}
