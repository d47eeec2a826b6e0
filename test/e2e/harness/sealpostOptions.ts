import { waitFor } from './chromeWindows.ts';
import { ExtensionPage } from './extensionPopup.ts';
import type { MarionetteClient } from './marionette.ts';
import { focusMainWindow } from './messageDisplay.ts';
import { SEALPOST_ADDON_ID } from './session.ts';

/**
 * Sealpost's options page in a tab of the main window, as a user meets it: the server URL field
 * and the sign-in with a code mailed to the sender (selectors of the options page's test
 * contract: `input[name="server-url"]`, `input[name="sign-in-address"]`,
 * `button[data-action="sign-in-start"]`, `input[name="sign-in-code"]`,
 * `button[data-action="sign-in-complete"]`, `[data-testid="signed-in"]`).
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
    await waitFor(
      'the options page',
      async () => ((await options.page.count('input[name="server-url"]')) > 0 ? true : undefined),
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
}
