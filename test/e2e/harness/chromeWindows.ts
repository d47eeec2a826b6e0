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

/** A `<key>` combination as Thunderbird writes it: `key="Y" modifiers="accel,shift"`. */
export interface WindowShortcut {
  key: string;
  modifiers: string;
}

/**
 * The WebDriver key sequence that presses `shortcut` (Linux: accel is Control): modifiers go
 * down in order, the key is typed, and U+E000 releases the modifiers.
 */
export function webDriverKeys(shortcut: WindowShortcut): string {
  const codes: Record<string, string> = {
    accel: '\uE009',
    control: '\uE009',
    shift: '\uE008',
    alt: '\uE00A',
    meta: '\uE03D',
  };
  const modifiers = shortcut.modifiers
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((modifier) => {
      const code = codes[modifier];
      if (!code) throw new Error(`unknown modifier ${modifier}`);
      return code;
    });
  return `${modifiers.join('')}${shortcut.key.toLowerCase()}\uE000`;
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

  /**
   * Types into a chrome element of this window (default: the subject field) through
   * Marionette's key-by-key input; WebDriver key codes such as `\uE009` (Control) and
   * `\uE008` (Shift) stay pressed until `\uE000`, so `'\uE009\uE008y\uE000'` is Ctrl+Shift+Y,
   * which reaches the window's keyboard shortcuts (add-on `commands` included).
   */
  async sendKeys(keys: string, selector = '#msgSubject'): Promise<void> {
    await this.focus();
    const found = await this.marionette.command<{ value: ElementReference }>(
      'WebDriver:FindElement',
      { using: 'css selector', value: selector },
    );
    await this.marionette.command('WebDriver:ElementSendKeys', {
      id: elementId(found.value),
      text: keys,
    });
  }

  /**
   * The keyboard shortcut Thunderbird registered in this window for an add-on's command (the
   * `<key>` of its `ext-keyset-id-<widget id>` keyset), or null if there is none.
   */
  async addonShortcut(widgetId: string): Promise<WindowShortcut | null> {
    await this.focus();
    return this.marionette.executeScript(
      `const key = document.querySelector('keyset[id="ext-keyset-id-' + arguments[0] + '"] key');
       return key ? { key: key.getAttribute('key') || '',
         modifiers: key.getAttribute('modifiers') || '' } : null;`,
      [widgetId],
    );
  }

  /**
   * Ids of this window's own `<key>`s (not add-ons') bound to the same combination as
   * `shortcut`: Thunderbird's shortcuts that could take the key press first.
   */
  async builtInKeysLike(shortcut: WindowShortcut): Promise<string[]> {
    await this.focus();
    return this.marionette.executeScript(
      `const [wanted] = arguments;
       const normal = (modifiers) => (modifiers || '').split(/[\\s,]+/).filter(Boolean)
         .map((m) => (m === 'accel' ? 'control' : m)).sort().join(',');
       return [...document.querySelectorAll('key')]
         .filter((key) => !(key.parentNode.id || '').startsWith('ext-keyset-id-'))
         .filter((key) => (key.getAttribute('key') || '').toLowerCase() === wanted.key.toLowerCase()
           && normal(key.getAttribute('modifiers')) === normal(wanted.modifiers))
         .map((key) => key.id || '(no id) ' + (key.getAttribute('command') || ''));`,
      [shortcut],
    );
  }

  /** Label, tooltip and icon URL of a toolbar button of this window (null if it is missing). */
  async toolbarButton(
    selector: string,
  ): Promise<{ label: string | null; tooltip: string | null; icon: string } | null> {
    await this.focus();
    return this.marionette.executeScript(
      `const button = document.querySelector(arguments[0]);
       if (!button) return null;
       return { label: button.getAttribute('label'), tooltip: button.getAttribute('tooltiptext'),
         icon: getComputedStyle(button).listStyleImage };`,
      [selector],
    );
  }

  /**
   * What the message editor shows: the text of a sheet over it (a `body::before` covering the
   * editor, null when there is none) and the text of the body under it.
   */
  async editorView(): Promise<{ cover: string | null; body: string }> {
    // Read without raising the window: right after Thunderbird's send error dialog closes,
    // switching with focus waited forever (measured, Thunderbird 153 headless).
    await this.marionette.command('WebDriver:SwitchToWindow', {
      handle: this.handle,
      focus: false,
    });
    return this.marionette.executeScript(
      `const editor = GetCurrentEditorElement();
       const doc = editor && editor.contentDocument;
       if (!doc || !doc.body) return { cover: null, body: '' };
       const before = editor.contentWindow.getComputedStyle(doc.body, '::before');
       const covers = before.content !== 'none' && before.position === 'fixed';
       return { cover: covers ? before.content : null, body: doc.body.textContent };`,
    );
  }

  /** The whole compose window as a PNG (base64), as the sender sees it. */
  async screenshot(): Promise<string> {
    await this.focus();
    const shot = await this.marionette.command<{ value: string }>('WebDriver:TakeScreenshot', {
      full: false,
    });
    return shot.value;
  }

  /** Clicks Thunderbird's own Send button, as a user would. */
  async clickSend(): Promise<void> {
    await this.click('#button-send');
  }
}

/**
 * Clicks OK on every open common dialog (Thunderbird's "Send Message Error" after a refused
 * send is one, a separate modal window) and returns their texts. Until it is closed, Thunderbird
 * does not finish the send (measured: `compose.sendMessage` stays pending).
 */
export async function acceptCommonDialogs(marionette: MarionetteClient): Promise<string[]> {
  const [first] = await marionette.command<string[]>('WebDriver:GetWindowHandles');
  if (!first) return [];
  await marionette.command('WebDriver:SwitchToWindow', { handle: first, focus: false });
  return marionette.executeScript<string[]>(`
    const texts = [];
    const windows = Services.wm.getEnumerator(null);
    while (windows.hasMoreElements()) {
      const dialogWindow = windows.getNext();
      if (!dialogWindow.location.href.includes('commonDialog')) continue;
      const document = dialogWindow.document;
      texts.push(document.title + ': ' + (document.getElementById('infoBody')?.textContent ?? ''));
      const dialog = document.querySelector('dialog');
      dialogWindow.setTimeout(() => dialog.getButton('accept').click(), 0);
    }
    return texts;`);
}
