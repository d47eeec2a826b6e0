/**
 * Accessibility of the sender's side, in a real Thunderbird with its real background: axe-core
 * (test/helpers/axe.ts, WCAG 2.0/2.1 A and AA plus best practices) runs inside the compose
 * popup and the options page themselves. Thunderbird is Gecko, and axe runs there as it does in
 * Firefox: the harness evaluates its source in Marionette's sandbox over the extension page's
 * window (test/e2e/harness/extensionPopup.ts `evaluate`), where the page's CSP does not apply.
 * No stub stands in for `browser.*`.
 *
 * One Thunderbird session and one Sealpost server serve every case, in order: the popup before
 * a server (secure mode off and on, a code typed, a send refused for a missing method) and the
 * options page before a server; then, with the keyboard alone (Tab, Shift+Tab, Enter, Space,
 * arrow keys and typing, pressed on whatever has focus), the popup from its first focus (secure
 * mode on, a method and a language picked in closed menus, a code generated, a previous code
 * kept, a code typed; the choices then read back from the background in a popup opened afresh)
 * and the refused send's problem dismissed; the options page's server address, the sign-in, a
 * setting, the passphrase and backup forms and a refused key; the popup signed in (SMS and
 * email), a message sent through the server, and the options page with a recipient's key and
 * the message's status rows, its new-number form and its revoke question. Every scan runs in
 * Thunderbird's light and dark colour schemes; every keyboard stop must show its focus, and
 * focus must never fall back to <body> when a control is replaced or a section comes or goes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSenderKey } from '../../src/crypto/index.ts';
import { axeScanScript, blockingViolations, type AxeScan } from '../helpers/axe.ts';
import { ensureSealpostBuilt } from './harness/build.ts';
import { waitFor } from './harness/chromeWindows.ts';
import type { ExtensionPage } from './harness/extensionPopup.ts';
import type { MarionetteClient } from './harness/marionette.ts';
import { focusMainWindow } from './harness/messageDisplay.ts';
import { pressSend } from './harness/runScenario.ts';
import type { SealpostServer } from './harness/sealpostServer.ts';
import { SealpostOptions } from './harness/sealpostOptions.ts';
import { recipientRow, SealpostPopup } from './harness/sealpostPopup.ts';
import { codeFromSink, startServerForSession } from './harness/serverSession.ts';
import { ThunderbirdSession } from './harness/session.ts';

const ALICE = 'alice@example.org';
const COLLEAGUE = 'erin@example.org';
const BOB = 'bob@partner.example';
const CAROL = 'carol@client.example';
const DANA = 'dana@elsewhere.example';
const FRANK = 'frank@partner.example';
const GRACE = 'grace@studio.example';

const TAB = '\uE004';
const SHIFT_TAB = '\uE008\uE004\uE000';
const ENTER = '\uE007';
const ARROW_UP = '\uE013';
const ARROW_DOWN = '\uE015';

let session: ThunderbirdSession | undefined;
let server: SealpostServer;
let workDirectory: string;
let marionette: MarionetteClient;
let options: SealpostOptions;
/** The first case's message, whose send was refused: its popup still shows the problem. */
let refused: SealpostPopup | undefined;

/**
 * The system's colour scheme as Thunderbird sees it (`ui.systemUsesDarkTheme`), switched at run
 * time: open pages restyle at once. (`layout.css.prefers-color-scheme.content-override` does not
 * reach extension pages.) Any chrome window will do: switching windows could close the popup.
 */
async function useColorScheme(scheme: 'light' | 'dark'): Promise<void> {
  await marionette.executeScript(
    `Services.prefs.setIntPref('ui.systemUsesDarkTheme', arguments[0]);`,
    [scheme === 'dark' ? 1 : 0],
  );
}

async function scan(page: ExtensionPage): Promise<AxeScan> {
  return JSON.parse(await page.evaluate<string>(axeScanScript())) as AxeScan;
}

/**
 * Scans `page` in light and in dark (leaving it light) and fails with axe's words for any
 * serious or critical finding. `focusWindow` brings the page's window to the front first.
 */
async function expectAccessible(
  page: ExtensionPage,
  state: string,
  focusWindow: () => Promise<void>,
): Promise<void> {
  for (const scheme of ['dark', 'light'] as const) {
    await useColorScheme(scheme);
    await focusWindow();
    // The pref reaches the page's content process a moment later (seen under load: the popup
    // still light right after the switch to dark).
    await waitFor(`the page in ${scheme}`, async () => {
      const dark = await page.evaluate<boolean>(
        `return window.matchMedia('(prefers-color-scheme: dark)').matches;`,
      );
      return dark === (scheme === 'dark') ? true : undefined;
    });
    expect(blockingViolations(await scan(page)), `axe on ${state} (${scheme})`).toEqual([]);
  }
}

beforeAll(async () => {
  const xpi = ensureSealpostBuilt();
  workDirectory = await mkdtemp(join(tmpdir(), 'sealpost-a11y-thunderbird-'));
  session = await ThunderbirdSession.start({
    from: `Alice Example <${ALICE}>`,
    sealpostXpi: xpi,
    workDirectory,
  });
  marionette = session.thunderbird.marionette;
  server = await startServerForSession(session, ['example.org']);
}, 180_000);

afterAll(async () => {
  await session?.stop();
  await server?.close();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

describe('before a server', () => {
  it('the popup: secure mode off and on, an access code typed, a send refused', async () => {
    const compose = await session!.compose({
      from: ALICE,
      to: [BOB, COLLEAGUE],
      cc: [CAROL],
      subject: 'Figures',
      body: 'The figures.',
    });
    const popup = new SealpostPopup(marionette, compose.window);
    const focusCompose = () => compose.window.focus();
    await popup.open();
    await expectAccessible(popup.popup, 'the popup, secure mode off', focusCompose);

    await popup.setSecure(true);
    await popup.waitForRecipient(CAROL);
    await expectAccessible(popup.popup, 'the popup, secure mode on', focusCompose);

    await popup.chooseMethod(BOB, 'code-new');
    await popup.typeCode(BOB, 'Harbour-Lantern-Copper-42');
    await popup.waitUntilSaved(BOB);
    await expectAccessible(popup.popup, 'the popup, an access code typed', focusCompose);

    // Carol has no method yet: Sealpost refuses the send and says so in the popup.
    const sent = await pressSend(session!, compose, popup);
    expect(sent.outcome).toBe('cancelled');
    await popup.open();
    await popup.popup.waitFor('#send-problem');
    await expectAccessible(popup.popup, 'the popup after a refused send', focusCompose);
    await popup.close();
    refused = popup;
  });

  it('the options page: settings, server address, keys and remembered recipients', async () => {
    options = await SealpostOptions.open(marionette);
    await options.page.waitFor('#settings[data-status="ready"]', 30_000);
    // The recipients the popup remembered (or, run alone, the empty list's words).
    await options.page.waitFor('#remembered-recipients, [data-testid="options-empty"]', 30_000);
    await expectAccessible(options.page, 'the options page before a server', () =>
      focusMainWindow(marionette),
    );
  });
});

/** What has focus in an extension page, and whether it shows it (outline or box shadow). */
interface Focus {
  /** id, else data-action, else the tag name; `body` when nothing has focus. */
  what: string;
  visible: boolean;
  matches: boolean;
}

const FOCUS_SCRIPT = `
const [selector] = arguments;
const element = document.activeElement;
if (!element || element === document.body) return { what: 'body', visible: false, matches: false };
const style = getComputedStyle(element);
const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
return {
  what: element.id || element.getAttribute('data-action') || element.localName,
  visible: outlined || style.boxShadow !== 'none',
  matches: selector ? element.matches(selector) : false,
};`;

function focusIn(page: ExtensionPage, selector = ''): Promise<Focus> {
  return page.evaluate<Focus>(FOCUS_SCRIPT, [selector]);
}

/**
 * Presses Tab (or Shift+Tab) until focus reaches `selector`, at most `limit` times; at every
 * stop focus must be on something and show it.
 */
async function tabTo(
  page: ExtensionPage,
  selector: string,
  { backwards = false, limit = 80 } = {},
): Promise<void> {
  const key = backwards ? 'Shift+Tab' : 'Tab';
  for (let presses = 1; presses <= limit; presses++) {
    await page.pressKeys(backwards ? SHIFT_TAB : TAB);
    const focus = await focusIn(page, selector);
    expect(focus, `focus after ${key} ${presses} on the way to ${selector}`).toMatchObject({
      visible: true,
    });
    if (focus.matches) return;
  }
  throw new Error(`${key} did not reach ${selector} in ${limit} presses`);
}

/** After a key press changed the page, focus settles on `selector` (not on <body>). */
async function focusSettlesOn(page: ExtensionPage, selector: string): Promise<void> {
  await waitFor(`focus on ${selector}`, async () => {
    const focus = await focusIn(page, selector);
    return focus.matches ? focus : undefined;
  }).catch(async (error: Error) => {
    throw new Error(`${error.message}; focus is on ${JSON.stringify(await focusIn(page))}`);
  });
}

/**
 * Presses `key` (an arrow) on the focused closed menu `selector` until its value is `value`, at
 * most `limit` times: Gecko picks each entry on the way, as a user's arrow keys do. Focus must
 * stay on the menu and show it, whatever the picked entry brings or takes away.
 */
async function arrowTo(
  page: ExtensionPage,
  selector: string,
  key: string,
  value: string,
  limit = 8,
): Promise<void> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.pressKeys(key);
    expect(
      await focusIn(page, selector),
      `focus after arrow ${presses} in ${selector}`,
    ).toMatchObject({ matches: true, visible: true });
    if ((await page.property<string>(selector, 'value')) === value) return;
  }
  throw new Error(`the arrow keys did not reach ${value} in ${selector} in ${limit} presses`);
}

describe('the popup with the keyboard alone', () => {
  it('turns secure mode on, picks access codes, generates and types one, keeps a previous one and changes a language', async () => {
    const compose = await session!.compose({
      from: ALICE,
      to: [GRACE, BOB],
      subject: 'Drawings',
      body: 'The drawings.',
    });
    const popup = new SealpostPopup(marionette, compose.window);
    const page = popup.popup;
    const grace = recipientRow(GRACE);
    const bob = recipientRow(BOB);
    await popup.open();
    await popup.waitForRecipient(BOB);
    // Thunderbird gives the panel's page focus as it opens (no takeKeyboardFocus needed):
    // nothing in it has focus yet, and the first Tab reaches the switch.
    expect(await focusIn(page)).toMatchObject({ what: 'body' });
    await tabTo(page, '#secure-toggle', { limit: 1 });
    await page.pressKeys(' ');
    await page.waitFor('#secure-toggle:checked[data-saved="true"]');
    await focusSettlesOn(page, '#secure-toggle');

    // Grace has no method yet: the arrow keys walk her closed menu to "Access code".
    await tabTo(page, `${grace} select[name="method"]`);
    await arrowTo(page, `${grace} select[name="method"]`, ARROW_DOWN, 'code-new');
    await page.waitFor(`${grace} input[name="access-code"]`);
    await tabTo(page, `${grace} select[name="language"]`);
    await arrowTo(page, `${grace} select[name="language"]`, ARROW_DOWN, 'de');
    await tabTo(page, `${grace} input[name="access-code"]`);
    await tabTo(page, `${grace} [data-action="generate-code"]`);
    await page.pressKeys(ENTER);
    const generated = await page.property<string>(`${grace} input[name="access-code"]`, 'value');
    expect(generated).not.toBe('');
    await focusSettlesOn(page, `${grace} [data-action="generate-code"]`);

    // Bob has a code: "Access code" (new) offers to keep it; keeping it takes that button away.
    await tabTo(page, `${bob} select[name="method"]`);
    await arrowTo(page, `${bob} select[name="method"]`, ARROW_UP, 'code-new');
    await tabTo(page, `${bob} [data-action="restore-code"]`);
    await page.pressKeys(ENTER);
    await focusSettlesOn(page, `${bob} select[name="method"]`);
    await page.waitFor(`${bob} select[name="method"] option[value="code-existing"]:checked`);
    // Then a new code after all, typed; Tab leaves the field, which saves it.
    await arrowTo(page, `${bob} select[name="method"]`, ARROW_UP, 'code-new');
    await tabTo(page, `${bob} input[name="access-code"]`);
    await page.pressKeys('Meadow-Violet-Anchor-17');
    await tabTo(page, `${bob} [data-action="generate-code"]`);
    await popup.waitUntilSaved(GRACE);
    await popup.waitUntilSaved(BOB);

    // What the background holds, in a popup opened afresh (no choice of the last one lingers).
    await popup.close();
    await popup.open();
    expect(await popup.isSecure()).toBe(true);
    expect(await popup.methodValue(GRACE)).toBe('code-existing');
    expect(await popup.methodLabel(GRACE)).toContain(generated);
    expect(await popup.languageValue(GRACE)).toBe('de');
    expect(await popup.methodValue(BOB)).toBe('code-existing');
    expect(await popup.methodLabel(BOB)).toContain('Meadow-Violet-Anchor-17');
    await popup.close();
  });

  it("dismisses a refused send's problem and stays on the control it was about", async () => {
    if (!refused) throw new Error('the first case did not leave a refused send');
    await refused.open();
    const page = refused.popup;
    await page.waitFor('#send-problem');
    // The panel brings the recipient without a method into view and focuses their menu.
    await focusSettlesOn(page, `${recipientRow(CAROL)} select[name="method"]`);
    await tabTo(page, '[data-action="dismiss-problem"]', { backwards: true });
    await page.pressKeys(ENTER);
    await page.waitFor('main:not(:has(#send-problem))');
    await focusSettlesOn(page, `${recipientRow(CAROL)} select[name="method"]`);
    expect(await focusIn(page)).toMatchObject({ visible: true });
    await refused.close();
  });
});

describe('the options page with the keyboard alone', () => {
  it('sets the server address, signs in and changes a setting with Tab, typing, Enter and Space', async () => {
    const page = options.page;
    await focusMainWindow(marionette);
    // The options tab in front, as a user who clicked into it has it; nothing in it has focus.
    await page.takeKeyboardFocus();
    expect(await focusIn(page)).toMatchObject({ what: 'body' });

    await tabTo(page, '#server-url');
    await page.pressKeys(server.url + ENTER);
    await page.waitFor('#sign-in-address', 30_000);

    await tabTo(page, '#sign-in-address');
    const mailsBefore = session!.sink.mails.length;
    await page.pressKeys(ALICE + ENTER);
    await page.waitFor('#sign-in-code', 30_000);
    await tabTo(page, '#sign-in-code');
    await page.pressKeys(await codeFromSink(session!.sink, ALICE, mailsBefore));
    await page.pressKeys(ENTER);
    await page.waitFor('[data-testid="signed-in"]', 30_000);
    // The form is gone: focus moves on to what follows it, not back to <body>.
    await focusSettlesOn(page, '[data-action="sign-out"]');
    expect(await focusIn(page)).toMatchObject({ visible: true });

    // A yes/no setting: Change, Space on the checkbox, Save; focus returns to Change.
    const row = '[data-setting="secureByDefault"]';
    await tabTo(page, `${row} [data-action="change-setting"]`, { backwards: true });
    await page.pressKeys(ENTER);
    await focusSettlesOn(page, '#setting-secureByDefault-control');
    const checked = await page.property<boolean>('#setting-secureByDefault-control', 'checked');
    await page.pressKeys(' ');
    expect(await page.property<boolean>('#setting-secureByDefault-control', 'checked')).toBe(
      !checked,
    );
    await tabTo(page, `${row} [data-action="save-setting"]`);
    await page.pressKeys(ENTER);
    await page.waitFor(`${row}[data-source="user"]`, 30_000);
    await focusSettlesOn(page, `${row} [data-action="change-setting"]`);
  });

  it('opens and cancels the passphrase and backup forms, and hears why a pasted key is refused', async () => {
    const page = options.page;
    const focusMain = () => focusMainWindow(marionette);
    // On from the setting's Change button, down the page.
    await tabTo(page, '[data-action="set-passphrase"]');
    await page.pressKeys(ENTER);
    await focusSettlesOn(page, '#new-passphrase');
    await expectAccessible(page, 'the options page with the passphrase form', focusMain);
    await page.takeKeyboardFocus();
    await tabTo(page, '[data-action="cancel-passphrase"]');
    await page.pressKeys(ENTER);
    await focusSettlesOn(page, '#key-protection-status');

    await tabTo(page, '[data-action="export-keys"]');
    await page.pressKeys(ENTER);
    await focusSettlesOn(page, '#backup-passphrase');
    await expectAccessible(page, 'the options page with the backup form', focusMain);
    await page.takeKeyboardFocus();
    await tabTo(page, '[data-action="cancel-backup"]');
    await page.pressKeys(ENTER);
    await focusSettlesOn(page, '#backup-heading');

    await tabTo(page, '#key-paste');
    await page.pressKeys('not a key');
    await tabTo(page, '[data-action="import-key"]');
    await page.pressKeys(ENTER);
    await page.waitFor('#key-import-error', 30_000);
    await focusSettlesOn(page, '#key-paste');
    await expectAccessible(page, 'the options page with a refused key', focusMain);
  });
});

describe('signed in', () => {
  let messageId: string;

  it('the popup with the server methods: SMS with a number, email', async () => {
    const compose = await session!.compose({
      from: ALICE,
      to: [BOB],
      cc: [DANA],
      subject: 'Contract',
      body: 'The contract.',
    });
    const popup = new SealpostPopup(marionette, compose.window);
    await popup.open();
    await popup.setSecure(true);
    await popup.waitForRecipient(DANA);
    await popup.chooseMethod(BOB, 'sms-new');
    await popup.typePhone(BOB, '+49 151 23456789');
    await popup.chooseMethod(DANA, 'email');
    await popup.waitUntilSaved(DANA);
    await expectAccessible(popup.popup, 'the popup signed in, SMS and email', () =>
      compose.window.focus(),
    );
    const sent = await pressSend(session!, compose, popup);
    expect(sent.outcome).toBe('sent');
    messageId = String(
      /^x-sealpost-message-id:\s*(\S+)/im.exec(sent.mails[0]!.raw.toString())?.[1] ?? '',
    );
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("the options page: a recipient's key; by keyboard, a sent message's status, a new number and the revoke question", async () => {
    const page = options.page;
    const focusMain = () => focusMainWindow(marionette);
    const frank = await generateSenderKey({ name: 'Frank', address: FRANK });
    expect(await options.importKey(frank.armoredPublicKey)).not.toBe('');
    await page.waitFor('[data-action="remove-key"]');
    // The page lists sent messages when it opens: open it again, as the sender would.
    await page.evaluate(`setTimeout(() => location.reload(), 0);`);
    const item = `li.sent-message[data-message-id="${messageId}"]`;
    await page.waitFor(item, 30_000);

    await focusMain();
    await page.takeKeyboardFocus();
    await tabTo(page, `${item} [data-action="message-status"]`);
    await page.pressKeys(' ');
    await page.waitFor(`${item} .recipients .state`, 30_000);
    await expectAccessible(page, 'the options page with status rows and a key', focusMain);

    await page.takeKeyboardFocus();
    // The recipients' rows come before the message's own buttons.
    await tabTo(page, `${item} [data-action="new-number"]`, { backwards: true });
    await page.pressKeys(ENTER);
    await focusSettlesOn(page, `${item} input[type="tel"]`);
    await expectAccessible(page, 'the options page with the new-number form', focusMain);
    await page.takeKeyboardFocus();
    await tabTo(page, `${item} .new-number button[type="button"]`);
    await page.pressKeys(ENTER);
    await focusSettlesOn(page, `${item} [data-action="new-number"]`);

    await tabTo(page, `${item} [data-action="revoke"]`);
    await page.pressKeys(ENTER);
    await focusSettlesOn(page, `${item} [data-action="cancel-revoke"]`);
    await expectAccessible(page, 'the options page asking to revoke', focusMain);
    await page.takeKeyboardFocus();
    await page.pressKeys(ENTER);
    await focusSettlesOn(page, `${item} [data-action="revoke"]`);
  });
});
