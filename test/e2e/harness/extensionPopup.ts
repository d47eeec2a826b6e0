import type { MarionetteClient } from './marionette.ts';

/**
 * Reaches inside an add-on's compose-action popup. The popup is an extension page in a remote
 * `<browser>` that Marionette's frame switching cannot enter, so (from the chrome context of the
 * window that owns the panel) we take that browser's `MarionetteCommands` JSWindowActor and call
 * Marionette's own element commands on it: real, trusted clicks and key-by-key typing.
 * This depends on Marionette internals (THUNDERBIRD-TESTING.md, "Inside the popup"); it is the
 * only module that does, so a Thunderbird update that changes them breaks one file.
 */

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
  | { kind: 'screenshot' };

// Runs in the chrome window. One script per action: element references from the actor are
// only valid inside the call that produced them.
const POPUP_SCRIPT = `
const [selector, action, timeout] = arguments;
const done = arguments[arguments.length - 1];
(async () => {
  const browser = document.querySelector(
    'panel.webextension-popup-panel browser.webextension-popup-browser');
  if (!browser || !browser.browsingContext || !browser.browsingContext.currentWindowGlobal) {
    throw new Error('no add-on popup is open');
  }
  const actor = browser.browsingContext.currentWindowGlobal.getActor('MarionetteCommands');
  const caps = { toJSON: () => ({ 'moz:webdriverClick': true,
    'moz:accessibilityChecks': false, strictFileInteractability: false }) };
  if (action.kind === 'screenshot') return actor.takeScreenshot(null, 0, true, false);
  if (action.kind === 'count') {
    const all = await actor.findElements('css selector', selector, { timeout: 0 });
    return all.length;
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

/** The popup of the window Marionette is currently switched to (a compose window). */
export class ExtensionPopup {
  constructor(private readonly marionette: MarionetteClient) {}

  private async run<T>(selector: string, action: PopupAction, timeoutMs = 5_000): Promise<T> {
    const result = await this.marionette.executeAsyncScript<
      { ok: true; value: T } | { ok: false; error: string }
    >(POPUP_SCRIPT, [selector, action, timeoutMs], timeoutMs + 10_000);
    if (!result.ok) throw new Error(`popup ${action.kind} "${selector}": ${result.error}`);
    return result.value;
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

  /** Resolves when an element matching `selector` exists in the popup (or throws). */
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

  /** A DOM property such as `value` or `checked`. */
  property<T = unknown>(selector: string, name: string): Promise<T> {
    return this.run(selector, { kind: 'property', name });
  }

  /** PNG of the whole popup document, base64. */
  screenshot(): Promise<string> {
    return this.run('', { kind: 'screenshot' });
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
