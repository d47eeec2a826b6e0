import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ComposeWindow, waitFor, windowHandlesMatching } from './chromeWindows.ts';
import { findFreePort } from './freePort.ts';
import { HelperChannel } from './helperChannel.ts';
import { addImapLogin } from './imapLogin.ts';
import { createTestProfile, parseSender, type ProfileAddon } from './profile.ts';
import { SmtpSink } from './smtpSink.ts';
import { ThunderbirdProcess } from './thunderbird.ts';

export const SEALPOST_ADDON_ID = 'sealpost@sealpost.example';
export const HELPER_ADDON_ID = 'sealpost-test-helper@sealpost.example';
export const HELPER_ADDON_DIRECTORY = resolve(import.meta.dirname, '../helper-addon');

export interface SessionOptions {
  /** Sender identity of the profile's account. */
  from: string;
  /** Sealpost's packed add-on; omit to run Thunderbird with only the test helper. */
  sealpostXpi?: string;
  /** Folder for the profile and the Thunderbird log; a fresh one is made under it. */
  workDirectory: string;
  /** See `ProfileOptions.eventPageIdleTimeoutMs`: suspend idle event pages after this long. */
  eventPageIdleTimeoutMs?: number;
  extraPrefs?: Record<string, string | number | boolean>;
  /** Give the identity an IMAP account on 127.0.0.1 (see `ProfileOptions.imap`). */
  imap?: { port: number; user: string; password: string };
}

/** What the test helper needs to open a compose window. */
export interface ComposeRequest {
  from: string;
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  body: string;
  html?: boolean;
  attachments?: Array<{ name: string; bytes: Uint8Array; type?: string }>;
}

/** What the test helper reports about an open compose window. */
export interface ComposeState {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  isPlainText: boolean;
  body: string;
  plainTextBody: string;
  attachments: Array<{ name: string; size: number }>;
}

/** An open compose window: its tab id (helper side) and its chrome window (Marionette side). */
export interface OpenCompose {
  tabId: number;
  window: ComposeWindow;
}

/**
 * One Thunderbird with a fresh profile, an SMTP sink it sends to and the test helper add-on,
 * reusable across test cases.
 */
export class ThunderbirdSession {
  private constructor(
    readonly sink: SmtpSink,
    readonly helper: HelperChannel,
    readonly thunderbird: ThunderbirdProcess,
    readonly profileDirectory: string,
  ) {}

  static async start(options: SessionOptions): Promise<ThunderbirdSession> {
    await mkdir(options.workDirectory, { recursive: true });
    const sink = await SmtpSink.start();
    const helper = await HelperChannel.start();
    try {
      const marionettePort = await findFreePort();
      const addons: ProfileAddon[] = [{ id: HELPER_ADDON_ID, directory: HELPER_ADDON_DIRECTORY }];
      if (options.sealpostXpi) addons.push({ id: SEALPOST_ADDON_ID, xpiPath: options.sealpostXpi });
      const profileDirectory = join(options.workDirectory, 'profile');
      await rm(profileDirectory, { recursive: true, force: true });
      await createTestProfile({
        from: options.from,
        smtpPort: sink.port,
        marionettePort,
        addons,
        eventPageIdleTimeoutMs: options.eventPageIdleTimeoutMs,
        extraPrefs: options.extraPrefs,
        directory: profileDirectory,
        ...(options.imap ? { imap: { port: options.imap.port, user: options.imap.user } } : {}),
      });
      await writeFile(
        join(profileDirectory, 'extensions', HELPER_ADDON_ID, 'config.json'),
        JSON.stringify({ port: helper.port }),
      );
      const thunderbird = await ThunderbirdProcess.launch({
        profileDirectory,
        marionettePort,
        logPath: join(options.workDirectory, 'thunderbird.log'),
      });
      try {
        if (options.imap) {
          await addImapLogin(thunderbird.marionette, { host: '127.0.0.1', ...options.imap });
        }
        await helper.waitUntilConnected();
      } catch (error) {
        await thunderbird.stop();
        throw error;
      }
      return new ThunderbirdSession(sink, helper, thunderbird, profileDirectory);
    } catch (error) {
      await helper.stop();
      await sink.stop();
      throw error;
    }
  }

  /** Opens a compose window through the helper and finds its chrome window. */
  async compose(request: ComposeRequest): Promise<OpenCompose> {
    const marionette = this.thunderbird.marionette;
    const before = await windowHandlesMatching(marionette, 'messengercompose');
    const opened = await this.helper.call<{ tabId: number }>(
      'compose',
      {
        from: parseSender(request.from).address,
        to: request.to,
        cc: request.cc ?? [],
        bcc: request.bcc ?? [],
        subject: request.subject,
        body: request.body,
        html: request.html ?? false,
        attachments: (request.attachments ?? []).map((attachment) => ({
          name: attachment.name,
          type: attachment.type,
          url: this.helper.shareFile(attachment.bytes),
        })),
      },
      120_000,
    );
    const handle = await waitFor('the new compose window', async () => {
      const now = await windowHandlesMatching(marionette, 'messengercompose');
      return now.find((candidate) => !before.includes(candidate));
    });
    const window = new ComposeWindow(marionette, handle);
    await window.focus();
    return { tabId: opened.tabId, window };
  }

  /**
   * Waits for a compose window something else opens (`open`: e.g. a click in a page), and finds
   * its tab and chrome window.
   */
  async composeOpenedBy(open: () => Promise<void>): Promise<OpenCompose> {
    const marionette = this.thunderbird.marionette;
    const before = await windowHandlesMatching(marionette, 'messengercompose');
    const tabsBefore = await this.helper.call<Array<{ tabId: number }>>('composeTabs', {});
    await open();
    const handle = await waitFor('the new compose window', async () => {
      const now = await windowHandlesMatching(marionette, 'messengercompose');
      return now.find((candidate) => !before.includes(candidate));
    });
    const tabId = await waitFor('the new compose tab', async () => {
      const tabs = await this.helper.call<Array<{ tabId: number }>>('composeTabs', {});
      return tabs.find((tab) => !tabsBefore.some((old) => old.tabId === tab.tabId))?.tabId;
    });
    const window = new ComposeWindow(marionette, handle);
    await window.focus();
    return { tabId, window };
  }

  /** Files a mail another profile sent in this profile's Local Folders; its message id. */
  async receive(raw: Buffer): Promise<number> {
    const { messageId } = await this.helper.call<{ messageId: number }>(
      'importMessage',
      { rawBase64: raw.toString('base64') },
      60_000,
    );
    return messageId;
  }

  /** The compose window's current content, read through the compose API. */
  composeState(tabId: number): Promise<ComposeState> {
    return this.helper.call<ComposeState>('details', { tabId });
  }

  async stop(): Promise<void> {
    await this.thunderbird.stop();
    await this.helper.stop();
    await this.sink.stop();
  }
}
