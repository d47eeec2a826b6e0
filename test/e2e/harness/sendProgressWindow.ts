import { waitFor, windowHandlesMatching } from './chromeWindows.ts';
import { ExtensionPage } from './extensionPopup.ts';
import type { MarionetteClient } from './marionette.ts';

/**
 * The small window Sealpost opens while a send uploads (`send-progress.html` in a popup window
 * the add-on made with `windows.create`): `#upload-progress` (value = percent), `#time-left`,
 * `#cancel-send`.
 */
export class SendProgressWindow {
  readonly page: ExtensionPage;

  private constructor(
    private readonly marionette: MarionetteClient,
    readonly handle: string,
  ) {
    this.page = new ExtensionPage(marionette, { kind: 'window' });
  }

  /** Waits for the window to open and switches Marionette to it. */
  static async find(marionette: MarionetteClient, timeoutMs = 60_000): Promise<SendProgressWindow> {
    const handle = await waitFor(
      'the send progress window',
      async () => {
        for (const candidate of await windowHandlesMatching(marionette, 'extensionPopup')) {
          await marionette.command('WebDriver:SwitchToWindow', {
            handle: candidate,
            focus: false,
          });
          const url = await marionette.executeScript<string>(
            `const browser = document.querySelector('browser');
             return browser && browser.currentURI ? browser.currentURI.spec : '';`,
          );
          if (url.includes('send-progress.html')) return candidate;
        }
        return undefined;
      },
      timeoutMs,
      250,
    );
    return new SendProgressWindow(marionette, handle);
  }

  private async focus(): Promise<void> {
    await this.marionette.command('WebDriver:SwitchToWindow', {
      handle: this.handle,
      focus: false,
    });
  }

  /** The upload's percent, as the progress bar shows it (waits for the bar). */
  async percent(): Promise<number> {
    await this.focus();
    await this.page.waitFor('#upload-progress', 30_000);
    return Number(await this.page.property<number>('#upload-progress', 'value'));
  }

  async text(): Promise<string> {
    await this.focus();
    return this.page.text('main');
  }

  async cancel(): Promise<void> {
    await this.focus();
    await this.page.click('#cancel-send');
  }

  /** Whether the window is still open. */
  async isOpen(): Promise<boolean> {
    const handles = await this.marionette.command<string[]>('WebDriver:GetWindowHandles');
    return handles.includes(this.handle);
  }
}
