import { writeFile } from 'node:fs/promises';
import { waitFor } from './chromeWindows.ts';
import { ExtensionPage } from './extensionPopup.ts';
import type { MarionetteClient } from './marionette.ts';
import { focusMainWindow } from './messageDisplay.ts';
import { SEALPOST_ADDON_ID } from './session.ts';

/** One row of the options page's settings section, as the page shows it. */
export interface ShownSetting {
  /** The value in force, as displayed (methods and languages by name). */
  value: string;
  source: 'default' | 'user' | 'organisation';
  /** Read-only, with the note "Set by your organisation". */
  locked: boolean;
}

/**
 * Sealpost's options page in a tab of the main window, as a user meets it: the server URL field
 * and the sign-in with a code mailed to the sender (selectors of the options page's test
 * contract: `input[name="server-url"]`, `input[name="sign-in-address"]`,
 * `button[data-action="sign-in-start"]`, `input[name="sign-in-code"]`,
 * `button[data-action="sign-in-complete"]`, `[data-testid="signed-in"]`), and the settings the
 * organisation's policy manages (`#settings[data-status="ready"]`, one
 * `[data-setting][data-source][data-locked]` per key with its `[data-role="value"]`,
 * `#policy-managed`, `#policy-problems li`; a server set by policy is `#server-url-value`).
 */
export class SealpostOptions {
  readonly page: ExtensionPage;

  private constructor(private readonly marionette: MarionetteClient) {
    this.page = new ExtensionPage(marionette, { kind: 'tab', urlPart: '/options.html' });
  }

  /** Opens the options page in a tab (as the Add-ons Manager's "Options" would). */
  static async open(marionette: MarionetteClient): Promise<SealpostOptions> {
    await focusMainWindow(marionette);
    await marionette.executeScript(
      `const url = WebExtensionPolicy.getByID(arguments[0]).getURL('options.html');
       document.getElementById('tabmail').openTab('contentTab', { url });`,
      [SEALPOST_ADDON_ID],
    );
    const options = new SealpostOptions(marionette);
    // The tab's browser shows about:blank until the page starts loading: look again until then.
    // (The server heading, not the URL field: a server set by policy has no field.)
    await waitFor(
      'the options page',
      async () => ((await options.page.count('#server-heading')) > 0 ? true : undefined),
      30_000,
      250,
    );
    return options;
  }

  /** Types the server URL and saves it; waits for the sign-in form. */
  async setServerUrl(url: string): Promise<void> {
    await focusMainWindow(this.marionette);
    await this.page.click('input[name="server-url"]');
    await this.page.clear('input[name="server-url"]');
    await this.page.type('input[name="server-url"]', url);
    await this.page.click('button[data-action="save-server-url"]');
    await this.page.waitFor('input[name="sign-in-address"]', 30_000);
  }

  /**
   * Signs in: the address, "send code", then the code `readCode` finds (in the mail the server
   * sent to that address), "sign in"; waits until the page says who is signed in.
   */
  async signIn(address: string, readCode: () => Promise<string>): Promise<string> {
    await focusMainWindow(this.marionette);
    // With a server set by policy there was no "save" that waited for the form.
    await this.page.waitFor('input[name="sign-in-address"]', 30_000);
    await this.page.click('input[name="sign-in-address"]');
    await this.page.clear('input[name="sign-in-address"]');
    await this.page.type('input[name="sign-in-address"]', address);
    await this.page.click('button[data-action="sign-in-start"]');
    await this.page.waitFor('input[name="sign-in-code"]', 30_000);
    const code = await readCode();
    await this.page.click('input[name="sign-in-code"]');
    await this.page.type('input[name="sign-in-code"]', code);
    await this.page.click('button[data-action="sign-in-complete"]');
    return waitFor(
      'the options page to say who is signed in',
      async () => {
        if ((await this.page.count('[data-testid="signed-in"]')) === 0) return undefined;
        return this.page.text('[data-testid="signed-in"]');
      },
      30_000,
    );
  }

  /**
   * Imports a recipient's public key as a sender does: armored text pasted into the field, or a
   * binary key file picked with the file input (`filePath` of a file holding the bytes). Returns
   * what the page then says; throws with the page's words when it refuses the key.
   */
  async importKey(key: string | Uint8Array, filePath?: string): Promise<string> {
    await focusMainWindow(this.marionette);
    await this.page.waitFor('[data-section="keys"]', 30_000);
    const noticeBefore = await this.page.text('[data-testid="keys-notice"]');
    if (typeof key === 'string') {
      await this.page.click('textarea[name="key-paste"]');
      await this.page.clear('textarea[name="key-paste"]');
      await this.page.type('textarea[name="key-paste"]', key);
      await this.page.click('button[data-action="import-key"]');
    } else {
      if (!filePath) throw new Error('importKey: a binary key needs the path of its file');
      await writeFile(filePath, key);
      // WebDriver's way of picking a file: its path typed into the file input.
      await this.page.type('input[name="key-file"]', filePath);
    }
    return waitFor(
      'the options page to take or refuse the key',
      async () => {
        if ((await this.page.count('#key-import-error')) > 0) {
          throw new Error(`key refused: ${await this.page.text('#key-import-error')}`);
        }
        const notice = await this.page.text('[data-testid="keys-notice"]');
        return notice !== '' && notice !== noticeBefore ? notice : undefined;
      },
      30_000,
      250,
    );
  }

  /**
   * Protects the sender's key with `passphrase` as a user does (Set a passphrase, type it twice,
   * save); waits until the page shows the key as protected and returns the section's words.
   */
  async setPassphrase(passphrase: string): Promise<string> {
    await focusMainWindow(this.marionette);
    await this.page.click('button[data-action="set-passphrase"]', 30_000);
    for (const field of ['new-passphrase', 'confirm-passphrase']) {
      await this.page.click(`input[name="${field}"]`);
      await this.page.type(`input[name="${field}"]`, passphrase);
    }
    await this.page.click('button[data-action="save-passphrase"]');
    const status = '[data-testid="key-protection"][data-protected="true"]';
    await this.page.waitFor(status, 60_000);
    return this.page.text(status);
  }

  /** Waits until the settings section has loaded (or throws if it could not). */
  private async settingsReady(): Promise<void> {
    await waitFor(
      'the settings section to load',
      async () => {
        const status = await this.page.attribute('#settings', 'data-status');
        if (status === 'failed') throw new Error(await this.page.text('#settings'));
        return status === 'ready' ? true : undefined;
      },
      30_000,
      250,
    );
  }

  /** Every setting the page shows, by policy key: displayed value, source and lock. */
  async readSettings(): Promise<Record<string, ShownSetting>> {
    await this.settingsReady();
    const keys = await this.page.attributeOfAll('[data-setting]', 'data-setting');
    const sources = await this.page.attributeOfAll('[data-setting]', 'data-source');
    const locks = await this.page.attributeOfAll('[data-setting]', 'data-locked');
    const settings: Record<string, ShownSetting> = {};
    for (const [index, key] of keys.entries()) {
      if (key === null) continue;
      settings[key] = {
        value: await this.page.text(`[data-setting="${key}"] [data-role="value"]`),
        source: sources[index] as ShownSetting['source'],
        locked: locks[index] === 'true',
      };
    }
    return settings;
  }

  /**
   * Sets a yes/no setting the sender may change, as a user does: Change, tick or untick, Save;
   * waits until the page shows it as the sender's own.
   */
  async setCheckboxSetting(key: string, checked: boolean): Promise<ShownSetting> {
    await this.settingsReady();
    const row = `[data-setting="${key}"]`;
    await this.page.click(`${row} button[data-action="change-setting"]`);
    await this.page.waitFor(`#setting-${key}-control`);
    if ((await this.page.property<boolean>(`#setting-${key}-control`, 'checked')) !== checked) {
      await this.page.click(`#setting-${key}-control`);
    }
    await this.page.click(`${row} button[data-action="save-setting"]`);
    await waitFor(`${key} saved as the sender's own`, async () =>
      (await this.page.attribute(row, 'data-source')) === 'user' ? true : undefined,
    );
    return (await this.readSettings())[key]!;
  }

  /** The policy problems the page lists ("key: message"), in order; empty when there are none. */
  async readPolicyProblems(): Promise<string[]> {
    await this.settingsReady();
    const count = await this.page.count('#policy-problems li');
    const problems: string[] = [];
    for (let index = 1; index <= count; index++) {
      problems.push(await this.page.text(`#policy-problems li:nth-child(${index})`));
    }
    return problems;
  }

  /** "Managed by …" when a policy configures the add-on, else null. */
  async readManagedHeading(): Promise<string | null> {
    await this.settingsReady();
    if ((await this.page.count('#policy-managed')) === 0) return null;
    return this.page.text('#policy-managed');
  }

  /**
   * The server address the page shows, and whether it is the organisation's (read-only, no
   * save control) rather than the sender's own field.
   */
  async readServerUrl(): Promise<{ url: string; setByPolicy: boolean }> {
    if ((await this.page.count('#server-url-value')) > 0) {
      return { url: await this.page.text('#server-url-value'), setByPolicy: true };
    }
    const url = await this.page.property<string>('input[name="server-url"]', 'value');
    return { url, setByPolicy: false };
  }

  /**
   * Read status of a sent message as the page shows it after "Show status": per recipient
   * address, whether it was opened (`li.sent-message[data-message-id]`, `li[data-address]`,
   * `.state[data-opened]`).
   */
  async sentMessageStatus(messageId: string): Promise<Record<string, boolean>> {
    await focusMainWindow(this.marionette);
    const item = `li.sent-message[data-message-id="${messageId}"]`;
    await this.page.waitFor(item, 30_000);
    await this.page.click(`${item} button[data-action="message-status"]`);
    await this.page.waitFor(`${item} .recipients .state`, 30_000);
    const addresses = await this.page.attributeOfAll(`${item} .recipients li`, 'data-address');
    const states: Record<string, boolean> = {};
    for (const address of addresses) {
      if (address === null) continue;
      const state = `${item} .recipients li[data-address="${address}"] .state`;
      if ((await this.page.count(state)) === 0) continue;
      states[address] = (await this.page.attribute(state, 'data-opened')) === 'true';
    }
    return states;
  }

  /** Revokes a sent message as a user does (Revoke, then confirm); waits until it says so. */
  async revokeSentMessage(messageId: string): Promise<string> {
    await focusMainWindow(this.marionette);
    const item = `li.sent-message[data-message-id="${messageId}"]`;
    await this.page.click(`${item} button[data-action="revoke"]`);
    await this.page.click(`${item} button[data-action="confirm-revoke"]`);
    await waitFor(`${messageId} shown as revoked`, async () =>
      (await this.page.count(`${item} button[data-action="revoke"]`)) === 0 ? true : undefined,
    );
    return this.page.text(`${item} .note`);
  }

  /** Clicks "Unlock" next to a locked-out recipient; waits until the page no longer offers it. */
  /**
   * Gives an SMS recipient a new number as a user does (status, New number, type, save) and
   * returns what the page says then.
   */
  async changeRecipientNumber(messageId: string, address: string, phone: string): Promise<string> {
    await focusMainWindow(this.marionette);
    const item = `li.sent-message[data-message-id="${messageId}"]`;
    const row = `${item} .recipients li[data-address="${address}"]`;
    await this.page.waitFor(item, 30_000);
    await this.page.click(`${item} button[data-action="message-status"]`);
    await this.page.waitFor(`${row} button[data-action="new-number"]`, 30_000);
    await this.page.click(`${row} button[data-action="new-number"]`);
    await this.page.click(`${row} input[type="tel"]`);
    await this.page.type(`${row} input[type="tel"]`, phone);
    await this.page.click(`${row} button[data-action="save-new-number"]`);
    return waitFor(`the new number for ${address} saved`, async () =>
      (await this.page.count(`${row} p.note`)) > 0 ? this.page.text(`${row} p.note`) : undefined,
    );
  }

  async unlockRecipient(messageId: string, address: string): Promise<void> {
    await focusMainWindow(this.marionette);
    const row = `li.sent-message[data-message-id="${messageId}"] .recipients li[data-address="${address}"]`;
    await this.page.click(`${row} button[data-action="unlock-recipient"]`);
    await waitFor(`${address} unlocked`, async () =>
      (await this.page.count(`${row} button[data-action="unlock-recipient"]`)) === 0
        ? true
        : undefined,
    );
  }
}
