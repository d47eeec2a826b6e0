import type { ComposeWindow } from './chromeWindows.ts';
import { waitFor } from './chromeWindows.ts';
import { ExtensionPopup } from './extensionPopup.ts';
import type { MarionetteClient } from './marionette.ts';

/** Sealpost's compose-toolbar button: the add-on id with non-alphanumerics as `_`. */
export const SEALPOST_TOOLBAR_BUTTON = '#sealpost_sealpost_example-composeAction-toolbarbutton';

/** CSS selector of a recipient's row (the popup keys rows by lower-case address). */
export function recipientRow(address: string): string {
  const key = address
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();
  return `li.recipient[data-address="${key.replace(/["\\]/g, '\\$&')}"]`;
}

/**
 * Sealpost's popup as a user meets it: the selectors below are the popup's test contract
 * (secure toggle, one row per recipient with method menu, access code field, language menu,
 * `data-saved` once the choice is stored, and `#send-problem` after a cancelled send).
 */
export class SealpostPopup {
  readonly popup: ExtensionPopup;

  constructor(
    marionette: MarionetteClient,
    private readonly window: ComposeWindow,
  ) {
    this.popup = new ExtensionPopup(marionette);
  }

  /** Clicks the toolbar button (unless the popup is already open) and waits for the toggle. */
  async open(): Promise<void> {
    await this.window.focus();
    if (!(await this.popup.isOpen())) await this.window.click(SEALPOST_TOOLBAR_BUTTON);
    await waitFor('the Sealpost popup', async () =>
      (await this.popup.isOpen()) ? true : undefined,
    );
    await this.popup.waitFor('#secure-toggle', 15_000);
  }

  /**
   * Waits for the popup of a window holding a Bcc recipient's sealed copy (`#sealed-copy`),
   * which Sealpost opens by itself when that copy's send failed. Returns whether it did (else
   * the harness clicked the toolbar button after `timeoutMs`).
   */
  async waitForSealedCopyPanel(timeoutMs = 10_000): Promise<boolean> {
    const openedBySealpost = await waitFor(
      'the panel of the sealed copy',
      async () => ((await this.popup.isOpen()) ? true : undefined),
      timeoutMs,
    ).catch(() => false);
    if (!openedBySealpost) {
      await this.window.focus();
      await this.window.click(SEALPOST_TOOLBAR_BUTTON);
    }
    await this.popup.waitFor('#sealed-copy', 15_000);
    return openedBySealpost;
  }

  async close(): Promise<void> {
    await this.window.focus();
    await this.popup.close();
  }

  /** Whether the toggle shows secure mode on (switch, toggle button or checkbox). */
  async isSecure(): Promise<boolean> {
    for (const name of ['aria-checked', 'aria-pressed']) {
      const value = await this.popup.attribute('#secure-toggle', name);
      if (value !== null) return value === 'true';
    }
    return (await this.popup.property<boolean>('#secure-toggle', 'checked')) === true;
  }

  /**
   * Clicks the toggle if it is not already in the wanted state, then checks it took. A click can
   * miss while Thunderbird is still sizing the panel to its content (seen under load: the toggle
   * stayed off, Marionette's "flushEventLoop" timed out), so an untaken click is tried again.
   */
  async setSecure(wanted: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if ((await this.isSecure()) === wanted) return;
      await this.popup.click('#secure-toggle');
      try {
        await waitFor(
          `secure mode ${wanted ? 'on' : 'off'}`,
          async () => ((await this.isSecure()) === wanted ? true : undefined),
          attempt < 3 ? 4_000 : 20_000,
        );
        return;
      } catch (error) {
        if (attempt < 3) continue;
        // Say what the panel showed instead, so a failure explains itself.
        const shown = await this.popup.text('main').catch((cause: unknown) => String(cause));
        throw new Error(`${(error as Error).message}; the panel showed: ${shown}`, {
          cause: error,
        });
      }
    }
  }

  /** Waits until the popup lists `address`. */
  async waitForRecipient(address: string, timeoutMs = 15_000): Promise<void> {
    await this.popup.waitFor(recipientRow(address), timeoutMs);
  }

  /** `internal` or `external`, as the row is marked. */
  recipientKind(address: string): Promise<string | null> {
    return this.popup.attribute(recipientRow(address), 'data-kind');
  }

  /** Value of the row's method menu (a menu entry id such as `code-existing`, or ''). */
  async methodValue(address: string): Promise<string> {
    return this.popup.property<string>(`${recipientRow(address)} select[name="method"]`, 'value');
  }

  async languageValue(address: string): Promise<string> {
    return this.popup.property<string>(`${recipientRow(address)} select[name="language"]`, 'value');
  }

  /** Text of the method menu's selected entry, e.g. "Access code Abc…". */
  async methodLabel(address: string): Promise<string> {
    return this.popup.text(`${recipientRow(address)} select[name="method"] option:checked`);
  }

  /** Whether the menu entry exists and is enabled; `undefined` if the menu lacks it. */
  async menuEntryEnabled(address: string, entryId: string): Promise<boolean | undefined> {
    const option = `${recipientRow(address)} select[name="method"] option[value="${entryId}"]`;
    if ((await this.popup.count(option)) === 0) return undefined;
    return !(await this.popup.property<boolean>(option, 'disabled'));
  }

  /** Picks a menu entry by clicking its `<option>`. */
  async chooseMethod(address: string, entryId: string): Promise<void> {
    await this.popup.click(
      `${recipientRow(address)} select[name="method"] option[value="${entryId}"]`,
    );
  }

  /** Clicks into the access-code field, clears it and types `code` key by key. */
  async typeCode(address: string, code: string): Promise<void> {
    const field = `${recipientRow(address)} input[name="access-code"]`;
    await this.popup.waitFor(field);
    await this.popup.click(field);
    await this.popup.clear(field);
    await this.popup.type(field, code);
  }

  /** Types a mobile number into the row's phone field key by key, then leaves it (Tab) to save. */
  async typePhone(address: string, phone: string): Promise<void> {
    const field = `${recipientRow(address)} input[name="phone"]`;
    await this.popup.waitFor(field);
    await this.popup.click(field);
    await this.popup.clear(field);
    await this.popup.type(field, `${phone}\uE004`);
  }

  async chooseLanguage(address: string, language: string): Promise<void> {
    await this.popup.click(
      `${recipientRow(address)} select[name="language"] option[value="${language}"]`,
    );
  }

  /** Waits until the row reports its choices stored (`data-saved="true"`). */
  async waitUntilSaved(address: string, timeoutMs = 10_000): Promise<void> {
    await this.popup.waitFor(`${recipientRow(address)}[data-saved="true"]`, timeoutMs);
  }

  /** The row's key fingerprint as shown (groups of four), or null when it shows none. */
  async keyFingerprint(address: string): Promise<string | null> {
    const selector = `${recipientRow(address)} [data-part="fingerprint"]`;
    if ((await this.popup.count(selector)) === 0) return null;
    return this.popup.property<string>(selector, 'textContent');
  }

  /** Whether the row says the key changed since the last send (and waits for a confirmation). */
  async keyChanged(address: string): Promise<boolean> {
    return (await this.popup.count(`${recipientRow(address)} [data-part="key-changed"]`)) > 0;
  }

  /** Confirms the new key ("Use the new key"). */
  async confirmNewKey(address: string): Promise<void> {
    await this.popup.click(`${recipientRow(address)} button[data-action="confirm-key"]`);
  }

  /** The text of `#send-problem` if the popup shows one, else undefined. */
  async sendProblem(): Promise<string | undefined> {
    if (!(await this.popup.isOpen())) return undefined;
    if ((await this.popup.count('#send-problem')) === 0) return undefined;
    return this.popup.text('#send-problem');
  }

  /** The text of `#draft-notice` (what became of the last saved draft), else undefined. */
  async draftNotice(): Promise<string | undefined> {
    if ((await this.popup.count('#draft-notice')) === 0) return undefined;
    return this.popup.text('#draft-notice');
  }

  /** PNG (base64) of the popup's content. */
  screenshot(): Promise<string> {
    return this.popup.screenshot();
  }
}
