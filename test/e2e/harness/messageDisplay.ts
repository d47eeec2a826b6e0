import { waitFor, windowHandlesMatching } from './chromeWindows.ts';
import { ExtensionPage } from './extensionPopup.ts';
import type { MarionetteClient } from './marionette.ts';
import type { ThunderbirdSession } from './session.ts';

/**
 * Sealpost's message-display button ("Open sealed"): the add-on id with non-alphanumerics as
 * `_`, like the compose-toolbar button. It lives in the header of `about:message`.
 */
export const SEALPOST_MESSAGE_BUTTON =
  '#sealpost_sealpost_example-messageDisplayAction-toolbarbutton';

/** What the sender's copy page (`sent-copy.html`) shows. */
export interface SentCopyView {
  subject: string;
  bodyText: string;
  /** `data-name` of each `[data-testid="attachment"]`. */
  attachmentNames: string[];
}

/** Focuses Thunderbird's main window (`messenger.xhtml`) for chrome-context commands. */
export async function focusMainWindow(marionette: MarionetteClient): Promise<void> {
  const [handle] = await windowHandlesMatching(marionette, 'messenger.xhtml');
  if (!handle) throw new Error('the main Thunderbird window is not open');
  await marionette.command('WebDriver:SwitchToWindow', { handle });
}

/** Waits until the Sent folder holds exactly one message with `subject`; returns its id. */
export async function sentMessageId(session: ThunderbirdSession, subject: string): Promise<number> {
  return waitFor(`the Sent copy of "${subject}"`, async () => {
    const ids = await session.helper.call<number[]>('sentMessages', { subject });
    if (ids.length > 1) throw new Error(`${ids.length} Sent copies of "${subject}"`);
    return ids[0];
  });
}

/**
 * A message shown in a tab of the main window, with the buttons of its header. The helper
 * add-on opens it (as double-clicking it in the list would); the button is clicked for real.
 */
export class DisplayedMessage {
  private readonly header: ExtensionPage;

  private constructor(private readonly marionette: MarionetteClient) {
    this.header = new ExtensionPage(marionette, { kind: 'message' });
  }

  static async open(session: ThunderbirdSession, messageId: number): Promise<DisplayedMessage> {
    // Showing a message with a large attachment keeps Thunderbird busy for a while.
    await session.helper.call('displayMessage', { messageId }, 120_000);
    const marionette = session.thunderbird.marionette;
    await focusMainWindow(marionette);
    const displayed = new DisplayedMessage(marionette);
    await displayed.header.waitFor('#messageHeader', 60_000);
    return displayed;
  }

  /** Label, tooltip and whether Sealpost's header button is disabled; null if it is absent. */
  async sealpostButton(): Promise<{
    label: string | null;
    tooltip: string | null;
    disabled: boolean;
  } | null> {
    await focusMainWindow(this.marionette);
    if ((await this.header.count(SEALPOST_MESSAGE_BUTTON)) === 0) return null;
    return {
      label: await this.header.attribute(SEALPOST_MESSAGE_BUTTON, 'label'),
      tooltip: await this.header.attribute(SEALPOST_MESSAGE_BUTTON, 'tooltiptext'),
      disabled: (await this.header.property<boolean>(SEALPOST_MESSAGE_BUTTON, 'disabled')) === true,
    };
  }

  /**
   * Waits until the button's enabled state is `enabled`. Sealpost sets it per displayed message
   * after looking at its attachments, which takes Thunderbird seconds for a sealed message
   * (it parses the whole mail), hence the long default.
   */
  async waitForSealpostButton(enabled: boolean, timeoutMs = 90_000): Promise<void> {
    await waitFor(
      `the Sealpost header button ${enabled ? 'enabled' : 'disabled'}`,
      async () => {
        const button = await this.sealpostButton();
        return button && button.disabled === !enabled ? true : undefined;
      },
      timeoutMs,
      250,
    );
  }

  /** A real click on Sealpost's header button. */
  async clickSealpostButton(): Promise<void> {
    await focusMainWindow(this.marionette);
    await this.header.click(SEALPOST_MESSAGE_BUTTON);
  }
}

/** The tab Sealpost opens with the sender's copy (`sent-copy.html?message=<id>`). */
export class SentCopyTab {
  readonly page: ExtensionPage;

  constructor(
    private readonly marionette: MarionetteClient,
    messageId: number,
  ) {
    this.page = new ExtensionPage(marionette, {
      kind: 'tab',
      urlPart: `sent-copy.html?message=${messageId}`,
    });
  }

  /**
   * Waits for the copy to be decrypted and reads it; throws with the page's own words when it
   * shows `#sent-copy-problem` instead, or when it asks for the passphrase.
   */
  async read(timeoutMs = 120_000): Promise<SentCopyView> {
    const outcome = await this.outcome(timeoutMs);
    if (outcome === 'problem') {
      throw new Error(`sent copy page: ${await this.page.text('#sent-copy-problem')}`);
    }
    if (outcome === 'passphrase') throw new Error('sent copy page asked for the passphrase');
    const names = await this.page.attributeOfAll('[data-testid="attachment"]', 'data-name');
    return {
      subject: await this.page.text('[data-testid="subject"]'),
      bodyText: await this.page.text('[data-testid="message-body"]'),
      attachmentNames: names.map((name) => name ?? ''),
    };
  }

  /**
   * Waits until the page asks for the passphrase (`input[name="passphrase"]`), types `passphrase`
   * and clicks Unlock. Resolves with the error the page then shows (`#passphrase-error`), or null
   * once the field is gone (the copy is being opened).
   */
  async unlock(passphrase: string, timeoutMs = 60_000): Promise<string | null> {
    const outcome = await this.outcome(timeoutMs);
    if (outcome !== 'passphrase') throw new Error(`expected a passphrase prompt, got ${outcome}`);
    await this.page.click('input[name="passphrase"]');
    await this.page.type('input[name="passphrase"]', passphrase);
    await this.page.click('button[data-action="unlock-sender-key"]');
    return waitFor(
      'the passphrase to be accepted or refused',
      async () => {
        if ((await this.page.count('#passphrase-error')) > 0) {
          return this.page.text('#passphrase-error');
        }
        return (await this.page.count('input[name="passphrase"]')) === 0 ? null : undefined;
      },
      timeoutMs,
      250,
    );
  }

  private async outcome(timeoutMs: number): Promise<'open' | 'problem' | 'passphrase'> {
    await focusMainWindow(this.marionette);
    return waitFor(
      'the sent copy page to show the message, a problem or the passphrase prompt',
      async () => {
        if ((await this.page.count('[data-testid="subject"]')) > 0) return 'open';
        if ((await this.page.count('#sent-copy-problem')) > 0) return 'problem';
        if ((await this.page.count('input[name="passphrase"]')) > 0) return 'passphrase';
        return undefined;
      },
      timeoutMs,
      250,
    );
  }
}
