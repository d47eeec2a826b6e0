import type { MarionetteClient } from './marionette.ts';

/** A Marionette element reference as the protocol returns it (`{"<kind>-uuid": "<id>"}`). */
export type ElementReference = Record<string, string>;

/** The id inside an element reference, as `WebDriver:ElementClick` wants it. */
export function elementId(reference: ElementReference): string {
  const id = Object.values(reference)[0];
  if (!id) throw new Error(`not an element reference: ${JSON.stringify(reference)}`);
  return id;
}

/** Handles of open Thunderbird windows whose document URL contains `urlPart`. */
export async function windowHandlesMatching(
  marionette: MarionetteClient,
  urlPart: string,
): Promise<string[]> {
  const handles = await marionette.command<string[]>('WebDriver:GetWindowHandles');
  const matching: string[] = [];
  for (const handle of handles) {
    try {
      await marionette.command('WebDriver:SwitchToWindow', { handle, focus: false });
      const url = await marionette.executeScript<string>('return window.location.href;');
      if (url.includes(urlPart)) matching.push(handle);
    } catch {
      // The window closed while we looked.
    }
  }
  return matching;
}

/** Waits until `check` resolves to a value that is not undefined. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * A compose window seen from the chrome context: its window handle and the few chrome
 * elements the tests press (Send, the Sealpost toolbar button).
 */
export class ComposeWindow {
  constructor(
    private readonly marionette: MarionetteClient,
    /** Marionette chrome window handle. */
    readonly handle: string,
  ) {}

  async focus(): Promise<void> {
    await this.marionette.command('WebDriver:SwitchToWindow', { handle: this.handle });
  }

  /** Clicks a chrome element of this window by CSS selector (a real, trusted click). */
  async click(selector: string): Promise<void> {
    await this.focus();
    const found = await this.marionette.command<{ value: ElementReference }>(
      'WebDriver:FindElement',
      { using: 'css selector', value: selector },
    );
    await this.marionette.command('WebDriver:ElementClick', { id: elementId(found.value) });
  }

  /** Whether the window is still open. */
  async isOpen(): Promise<boolean> {
    const handles = await this.marionette.command<string[]>('WebDriver:GetWindowHandles');
    return handles.includes(this.handle);
  }

  /** Whether a send is under way (the window is locked while add-ons' onBeforeSend run). */
  async isBusy(): Promise<boolean> {
    await this.focus();
    return this.marionette.executeScript<boolean>(
      'return Boolean(window.gWindowLocked || window.gSendOperationInProgress);',
    );
  }

  /** Clicks Thunderbird's own Send button, as a user would. */
  async clickSend(): Promise<void> {
    await this.click('#button-send');
  }
}
