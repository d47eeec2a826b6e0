import { waitFor } from './chromeWindows.ts';
import type { LoadedScenario, RecipientChoice } from './scenario.ts';
import { SealpostPopup } from './sealpostPopup.ts';
import type { OpenCompose, ThunderbirdSession } from './session.ts';
import type { ReceivedMail } from './smtpSink.ts';

/** What happened when the scenario pressed Send. */
export interface ScenarioOutcome extends SendResult {
  /** What the popup showed per configured recipient after the choices were made. */
  recipients: Record<string, { kind: string | null; method: string; language: string }>;
  /** Things the scenario asked for that the UI did not offer (e.g. a disabled method). */
  notes: string[];
  /** The compose window (still open after a cancel). */
  compose: OpenCompose;
}

/** The menu entry a scenario's `method` means, given whether it brings its own code. */
export function menuEntryFor(choice: RecipientChoice): string | undefined {
  switch (choice.method) {
    case undefined:
      return undefined;
    case 'code':
      return choice.code === undefined ? 'code-existing' : 'code-new';
    case 'org-code':
      return choice.code === undefined ? 'org-code-existing' : 'org-code-new';
    case 'sms':
      return 'sms-new';
    default:
      return choice.method;
  }
}

/**
 * Composes the scenario's mail, makes its choices in the real Sealpost popup (toggle, per
 * recipient method, code typed key by key, language), presses Thunderbird's Send button and
 * reports whether the mail left or Sealpost cancelled it, with what the user was told.
 */
export async function runScenario(
  session: ThunderbirdSession,
  scenario: LoadedScenario,
  options: {
    sendTimeoutMs?: number;
    /** Called with the popup's PNG (base64) once every choice is made, before Send. */
    onPopupReady?: (screenshotPng: string) => Promise<void> | void;
  } = {},
): Promise<ScenarioOutcome> {
  const { compose, popup, recipients, notes } = await prepareScenario(session, scenario);
  if (options.onPopupReady) await options.onPopupReady(await popup.screenshot());
  const sent = await pressSend(session, compose, popup, options.sendTimeoutMs);
  if (sent.outcome === 'cancelled' && !sent.popupReopenedBySealpost) {
    notes.push('Sealpost did not reopen its popup after cancelling; the harness opened it');
  }
  return { ...sent, recipients, notes, compose };
}

/** A scenario composed and every choice made in the popup, ready for Send. */
export interface PreparedScenario {
  compose: OpenCompose;
  popup: SealpostPopup;
  recipients: ScenarioOutcome['recipients'];
  notes: string[];
}

/** Composes the scenario's mail and makes its choices in the popup, without pressing Send. */
export async function prepareScenario(
  session: ThunderbirdSession,
  scenario: LoadedScenario,
): Promise<PreparedScenario> {
  const compose = await session.compose({
    from: scenario.from,
    to: scenario.to,
    cc: scenario.cc,
    bcc: scenario.bcc,
    subject: scenario.subject,
    body: scenario.body,
    html: scenario.html,
    attachments: scenario.attachmentFiles,
  });
  const notes: string[] = [];
  const recipients: ScenarioOutcome['recipients'] = {};
  const popup = new SealpostPopup(session.thunderbird.marionette, compose.window);
  await popup.open();
  await setSecureUnlessLocked(popup, scenario.secure, notes);
  for (const [address, choice] of Object.entries(scenario.recipients)) {
    await popup.waitForRecipient(address);
    const entry = menuEntryFor(choice);
    if (entry) {
      const enabled = await popup.menuEntryEnabled(address, entry);
      if (enabled === undefined) notes.push(`${address}: the menu has no entry "${entry}"`);
      else if (!enabled) notes.push(`${address}: the menu entry "${entry}" is disabled`);
      else {
        await popup.chooseMethod(address, entry);
        if (choice.code !== undefined && entry.endsWith('-new')) {
          await popup.typeCode(address, choice.code);
        }
        if (choice.phone !== undefined && entry === 'sms-new') {
          await popup.typePhone(address, choice.phone);
        }
      }
    }
    if (choice.language) await popup.chooseLanguage(address, choice.language);
    if (entry || choice.language) await popup.waitUntilSaved(address);
    recipients[address] = {
      kind: await popup.recipientKind(address),
      method: await popup.methodValue(address),
      language: await popup.languageValue(address).catch(() => ''),
    };
  }
  if (scenario.sendByLink) {
    if ((await popup.popup.count('#send-by-link input')) === 0) {
      notes.push('the panel offers no "Send by link" (no server, or size or domain decide)');
    } else if (!(await popup.popup.isSelected('#send-by-link input'))) {
      await popup.popup.click('#send-by-link input');
    }
  }
  return { compose, popup, recipients, notes };
}

/** Whether the organisation's policy holds the switch (disabled: `#secure-required` says why). */
async function secureSwitchLocked(popup: SealpostPopup): Promise<boolean> {
  return (await popup.popup.property<boolean>('#secure-toggle', 'disabled')) === true;
}

/**
 * Switches secure mode as the scenario asks, unless the organisation's policy locks the switch
 * in the other state (secure mode enforced for a recipient's domain): then the switch is left
 * alone, as a user could only leave it, `notes` say so with the panel's reason, and the run goes
 * on to Send, so what a blocked plaintext send does is seen in the outcome.
 */
async function setSecureUnlessLocked(
  popup: SealpostPopup,
  wanted: boolean,
  notes: string[],
): Promise<void> {
  const noteLocked = async () => {
    const why = await popup.popup.text('#secure-required').catch(() => '');
    notes.push(
      `the secure switch is locked ${wanted ? 'off' : 'on'} by the organisation's policy; ` +
        `not switched ${wanted ? 'on' : 'off'}${why ? `: ${why.trim()}` : ''}`,
    );
  };
  if ((await popup.isSecure()) !== wanted && (await secureSwitchLocked(popup))) {
    await noteLocked();
    return;
  }
  try {
    await popup.setSecure(wanted);
  } catch (error) {
    // The lock can arrive while the click is on its way (the panel learns the recipients late).
    if ((await popup.isSecure()) === wanted || !(await secureSwitchLocked(popup))) throw error;
    await noteLocked();
  }
}

/** What pressing Send led to. */
export interface SendResult {
  outcome: 'sent' | 'cancelled';
  /** What the user saw: the `#send-problem` text when cancelled, '' when sent. */
  message: string;
  mails: ReceivedMail[];
  /**
   * After a cancel: whether Sealpost opened its popup by itself (as it should), or the harness
   * had to click the toolbar button to read the problem.
   */
  popupReopenedBySealpost: boolean;
}

/**
 * Closes the popup, clicks Send and waits for either a mail at the sink (sent) or Sealpost's
 * popup with `#send-problem` (cancelled). If the send ended (window unlocked, still open)
 * without the popup coming back, the harness opens it like a user would, to read the problem.
 */
export async function pressSend(
  session: ThunderbirdSession,
  compose: OpenCompose,
  popup: SealpostPopup,
  // Sealing tens of MB (Argon2 per recipient, then encryption) on a slow machine takes a while.
  timeoutMs = 300_000,
): Promise<SendResult> {
  const mailsBefore = session.sink.mails.length;
  await popup.close();
  await compose.window.clickSend();
  const clickedAt = Date.now();
  let openedByHarness = false;
  const result = await waitFor(
    'the mail at the sink or a send problem in the popup',
    async () => {
      if (session.sink.mails.length > mailsBefore) return { outcome: 'sent' as const, message: '' };
      if (!(await compose.window.isOpen())) return undefined;
      await compose.window.focus();
      const problem = await popup.sendProblem().catch(() => undefined);
      if (problem !== undefined) return { outcome: 'cancelled' as const, message: problem };
      if (!openedByHarness && Date.now() - clickedAt > 3_000 && !(await compose.window.isBusy())) {
        openedByHarness = true;
        await popup.open();
      }
      return undefined;
    },
    timeoutMs,
    250,
  );
  // A cancel must mean nothing left; give a stray mail a moment to show up.
  await new Promise((resolve) => setTimeout(resolve, result.outcome === 'sent' ? 500 : 1_500));
  const mails = session.sink.mails.slice(mailsBefore);
  return {
    outcome: mails.length > 0 ? 'sent' : result.outcome,
    message: result.message,
    mails,
    popupReopenedBySealpost: result.outcome === 'cancelled' && !openedByHarness,
  };
}
