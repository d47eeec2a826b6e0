import type { MarionetteClient } from './marionette.ts';

/**
 * Reaches inside an add-on's compose-action popup. The popup is an extension page in a remote
 * `<browser>` that Marionette's frame switching cannot enter, so (from the chrome context of the
 * window that owns the panel) we take that browser's `MarionetteCommands` JSWindowActor and call
 * Marionette's own element commands on it: real, trusted clicks and key-by-key typing.
 * The same works for other `<browser>`s of the main window: an extension page opened in a tab,
 * and the message header of a displayed message (`about:message`, where message-display-action
 * buttons live; chrome-privileged, but also out of reach of Marionette's frame switching).
 * This depends on Marionette internals (THUNDERBIRD-TESTING.md, "Inside the popup"); it is the
 * only module that does, so a Thunderbird update that changes them breaks one file.
 */

/** Which `<browser>` of the current chrome window the actions run in. */
export type BrowserTarget =
  /** The add-on popup panel of this window. */
  | { kind: 'popup' }
  /** The tab (of the main window's tabmail) whose page URL contains `urlPart`. */
  | { kind: 'tab'; urlPart: string }
  /** `about:message` of the selected tab: a message tab, or the 3-pane's message pane. */
  | { kind: 'message' }
  /** The page of a window the add-on opened with `windows.create` (its one `<browser>`). */
  | { kind: 'window' };

/** Which action to run inside the popup, with its argument. */
type PopupAction =
  | { kind: 'find' }
  | { kind: 'click' }
  | { kind: 'clear' }
  | { kind: 'type'; text: string }
  | { kind: 'text' }
  | { kind: 'selected' }
  | { kind: 'attribute'; name: string }
  | { kind: 'property'; name: string }
  | { kind: 'count' }
  | { kind: 'attributeOfAll'; name: string }
  | { kind: 'screenshot' }
  | { kind: 'script'; script: string; args: unknown[] }
  | { kind: 'keys'; text: string }
  | { kind: 'focusBrowser' };

/** Actions that only read, so they may be repeated when the page went away mid-query. */
const READS = new Set<PopupAction['kind']>([
  'find',
  'count',
  'attributeOfAll',
  'text',
  'selected',
  'attribute',
  'property',
  'screenshot',
]);

// Runs in the chrome window. One script per action: element references from the actor are
// only valid inside the call that produced them.
const POPUP_SCRIPT = `
const [selector, action, timeout, target] = arguments;
const done = arguments[arguments.length - 1];
function locateBrowser() {
  if (target.kind === 'popup') {
    return document.querySelector(
      'panel.webextension-popup-panel browser.webextension-popup-browser');
  }
  if (target.kind === 'window') return document.querySelector('browser');
  const tabmail = document.getElementById('tabmail');
  if (!tabmail) return null;
  if (target.kind === 'tab') {
    const info = tabmail.tabInfo.find((tab) => tab.browser && tab.browser.currentURI
      && tab.browser.currentURI.spec.includes(target.urlPart));
    return info ? info.browser : null;
  }
  const chromeBrowser = tabmail.currentTabInfo && tabmail.currentTabInfo.chromeBrowser;
  if (!chromeBrowser) return null;
  if (chromeBrowser.currentURI.spec === 'about:message') return chromeBrowser;
  const inner = chromeBrowser.contentDocument
    && chromeBrowser.contentDocument.getElementById('messageBrowser');
  return inner || null;
}
(async () => {
  const browser = locateBrowser();
  if (!browser || !browser.browsingContext || !browser.browsingContext.currentWindowGlobal) {
    throw new Error(target.kind === 'popup' ? 'no add-on popup is open'
      : 'no browser for ' + JSON.stringify(target));
  }
  const actor = browser.browsingContext.currentWindowGlobal.getActor('MarionetteCommands');
  const caps = { toJSON: () => ({ 'moz:webdriverClick': true,
    'moz:accessibilityChecks': false, strictFileInteractability: false }) };
  if (action.kind === 'screenshot') return actor.takeScreenshot(null, 0, true, false);
  if (action.kind === 'script') {
    return actor.executeScript(action.script, action.args, { timeout });
  }
  if (action.kind === 'focusBrowser') {
    window.focus();
    browser.focus();
    return true;
  }
  if (action.kind === 'keys') {
    // Keys go to whatever has focus, as a keyboard's would (<body> when nothing has).
    const focused = await actor.getActiveElement();
    await actor.sendKeysToElement(focused, action.text, caps);
    return true;
  }
  if (action.kind === 'count') {
    const all = await actor.findElements('css selector', selector, { timeout: 0 });
    return all.length;
  }
  if (action.kind === 'attributeOfAll') {
    const all = await actor.findElements('css selector', selector, { timeout: 0 });
    const values = [];
    for (const one of all) values.push(await actor.getElementAttribute(one, action.name));
    return values;
  }
  const element = await actor.findElement('css selector', selector, { timeout });
  switch (action.kind) {
    case 'find': return true;
    case 'click': await actor.clickElement(element, caps); return true;
    case 'clear': await actor.clearElement(element); return true;
    case 'type': await actor.sendKeysToElement(element, action.text, caps); return true;
    case 'text': return actor.getElementText(element);
    case 'selected': return actor.isElementSelected(element, caps);
    case 'attribute': return actor.getElementAttribute(element, action.name);
    case 'property': return actor.getElementProperty(element, action.name);
  }
  throw new Error('unknown popup action ' + action.kind);
})().then((value) => done({ ok: true, value }),
  (error) => done({ ok: false, error: String((error && error.message) || error) }));
`;

/**
 * A page in a `<browser>` of the window Marionette is currently switched to: by default the
 * add-on popup (of a compose window); see `BrowserTarget` for the others.
 */
export class ExtensionPage {
  constructor(
    protected readonly marionette: MarionetteClient,
    readonly target: BrowserTarget = { kind: 'popup' },
  ) {}

  private async run<T>(selector: string, action: PopupAction, timeoutMs = 5_000): Promise<T> {
    let result = await this.runOnce<T>(selector, action, timeoutMs);
    // The page was replaced while we asked (the panel swaps its browser when it is shown, a tab
    // navigates): a read can simply be asked again; a click or typing cannot, it may have run.
    for (let attempt = 1; attempt <= 3 && !result.ok && READS.has(action.kind); attempt++) {
      if (!/destroyed before query/.test(result.error)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
      result = await this.runOnce<T>(selector, action, timeoutMs);
    }
    if (!result.ok) {
      const where = this.target.kind === 'popup' ? 'popup' : this.target.kind;
      throw new Error(`${where} ${action.kind} "${selector}": ${result.error}`);
    }
    return result.value;
  }

  private runOnce<T>(selector: string, action: PopupAction, timeoutMs: number) {
    return this.marionette.executeAsyncScript<
      { ok: true; value: T } | { ok: false; error: string }
    >(POPUP_SCRIPT, [selector, action, timeoutMs, this.target], timeoutMs + 10_000);
  }

  /** Resolves when an element matching `selector` exists in the page (or throws). */
  async waitFor(selector: string, timeoutMs = 10_000): Promise<void> {
    await this.run(selector, { kind: 'find' }, timeoutMs);
  }

  /** Number of elements matching `selector` right now. */
  count(selector: string): Promise<number> {
    return this.run(selector, { kind: 'count' });
  }

  click(selector: string, timeoutMs?: number): Promise<void> {
    return this.run(selector, { kind: 'click' }, timeoutMs);
  }

  clear(selector: string): Promise<void> {
    return this.run(selector, { kind: 'clear' });
  }

  /** Types `text` key by key into the element (it gets focus first). */
  type(selector: string, text: string): Promise<void> {
    return this.run(selector, { kind: 'type', text });
  }

  text(selector: string, timeoutMs?: number): Promise<string> {
    return this.run(selector, { kind: 'text' }, timeoutMs);
  }

  isSelected(selector: string): Promise<boolean> {
    return this.run(selector, { kind: 'selected' });
  }

  attribute(selector: string, name: string): Promise<string | null> {
    return this.run(selector, { kind: 'attribute', name });
  }

  /** The attribute `name` of every element matching `selector`, in document order. */
  attributeOfAll(selector: string, name: string): Promise<Array<string | null>> {
    return this.run(selector, { kind: 'attributeOfAll', name });
  }

  /** A DOM property such as `value` or `checked`. */
  property<T = unknown>(selector: string, name: string): Promise<T> {
    return this.run(selector, { kind: 'property', name });
  }

  /**
   * Runs `script` (a function body; `arguments` holds `args`; it may return a promise) in the
   * page, in Marionette's sandbox over the page's window (not subject to the page's CSP), and
   * returns its result.
   */
  evaluate<T>(script: string, args: unknown[] = [], timeoutMs = 60_000): Promise<T> {
    return this.run('', { kind: 'script', script, args }, timeoutMs);
  }

  /**
   * Gives the page's `<browser>` the window's keyboard focus, as clicking into the tab or the
   * popup would (focus inside the page stays where it was). Without it the page's document does
   * not have focus, and Gecko draws no focus ring (`:focus-visible`) for keyboard navigation.
   */
  async takeKeyboardFocus(): Promise<void> {
    await this.run('', { kind: 'focusBrowser' });
  }

  /**
   * Presses keys on what has focus in the page: no element is focused first, so Tab moves on
   * from wherever focus is, as a keyboard user's would (WebDriver key codes: `\uE004` Tab,
   * `\uE007` Enter, `\uE008` Shift held until `\uE000`; a space is Space).
   */
  async pressKeys(text: string): Promise<void> {
    await this.run('', { kind: 'keys', text });
  }

  /** PNG of the whole page, base64. */
  screenshot(): Promise<string> {
    return this.run('', { kind: 'screenshot' });
  }
}

/** The compose-action popup of the window Marionette is currently switched to. */
export class ExtensionPopup extends ExtensionPage {
  constructor(marionette: MarionetteClient) {
    super(marionette, { kind: 'popup' });
  }

  /** Whether a popup browser is showing in the current window. */
  async isOpen(): Promise<boolean> {
    return this.marionette.executeScript<boolean>(
      `const browser = document.querySelector(
        'panel.webextension-popup-panel browser.webextension-popup-browser');
       const panel = browser && browser.closest('panel');
       return !!(panel && panel.state === 'open' && browser.browsingContext
         && browser.browsingContext.currentWindowGlobal);`,
    );
  }

  /** Closes the panel, as pressing Escape would. */
  async close(): Promise<void> {
    await this.marionette.executeScript(
      `const browser = document.querySelector(
        'panel.webextension-popup-panel browser.webextension-popup-browser');
       const panel = browser && browser.closest('panel');
       if (panel && panel.state !== 'closed') panel.hidePopup();`,
    );
  }
}
