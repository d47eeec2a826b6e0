/**
 * A received or sent Sealpost message, opened in Thunderbird with the user's own keys, and shown
 * exactly as the recipient's reader shows it (same components, same sanitising sandbox). When
 * none of the user's keys opens it, the reader's own code and factor flow takes over on the page.
 */
import { mount, unmount } from 'svelte';
import { languageFromLocale } from '../core/languages.ts';
import { bytesFromBase64 } from '../core/envelopeCodec.ts';
import { parseOriginalMime } from '../core/mime/parseMime.ts';
import { message, uiLocale } from '../platform/thunderbird/i18n.ts';
import type { Requests } from '../messaging/protocol.ts';
import { sendRequest } from '../platform/thunderbird/sendRequest.ts';
import App from '../reader/App.svelte';
import '../reader/reader.css';
import { ReaderState, type ReaderScreen } from '../reader/readerState.svelte.ts';
import PassphrasePrompt from './PassphrasePrompt.svelte';
import ReplyBar from './ReplyBar.svelte';

type OpenFailureReason = Extract<Requests['openSecureMessage']['res'], { ok: false }>['reason'];

const PROBLEM_KEYS = {
  'not-sealed': 'secureMessageNotSealed',
  damaged: 'secureMessageDamaged',
  unsupported: 'secureMessageUnsupported',
  'too-large': 'secureMessageTooLarge',
  unavailable: 'secureMessageUnavailable',
  ended: 'secureMessageEnded',
} as const satisfies Record<Exclude<OpenFailureReason, 'locked' | 'no-own-key'>, string>;

async function show(target: HTMLElement): Promise<void> {
  const messageId = Number(new URLSearchParams(location.search).get('message'));
  const result = await sendRequest('openSecureMessage', { messageId });
  if (!result.ok) {
    if (result.reason === 'locked') askPassphrase(target);
    // Not for any key here: the recipient types their code or passes their factor instead.
    else if (result.reason === 'no-own-key')
      showReader(target, { kind: 'locked', envelope: result.envelope, fatal: null });
    else showProblem(target, message(PROBLEM_KEYS[result.reason]));
    return;
  }
  const mime = bytesFromBase64(result.mimeBase64);
  if (!mime) return showProblem(target, message('secureMessageDamaged'));
  const opened = await parseOriginalMime(mime);
  showReader(target, { kind: 'open', envelope: result.envelope, message: opened }, messageId);
}

/** The reader; with `replyTo` (opened with the user's own key), "Reply securely" above it. */
function showReader(target: HTMLElement, screen: ReaderScreen, replyTo?: number): void {
  target.replaceChildren();
  if (replyTo !== undefined) {
    const bar = document.createElement('div');
    target.append(bar);
    mount(ReplyBar, { target: bar, props: { messageId: replyTo } });
  }
  const readerTarget = document.createElement('div');
  target.append(readerTarget);
  const reader = new ReaderState(screen, languageFromLocale(uiLocale()));
  // Opened with the user's own key: Thunderbird's "Reply securely" above answers it.
  if (replyTo !== undefined) reader.offerReply = false;
  mount(App, { target: readerTarget, props: { reader } });
}

/** Asks for the passphrase protecting the user's keys, then tries them again. */
function askPassphrase(target: HTMLElement): void {
  target.replaceChildren();
  const prompt = mount(PassphrasePrompt, {
    target,
    props: {
      unlock: (passphrase: string) => sendRequest('unlockSenderKeys', { passphrase }),
      onunlocked: () => {
        void unmount(prompt);
        show(target).catch((error: unknown) => showFailure(target, error));
      },
    },
  });
}

function showFailure(target: HTMLElement, error: unknown): void {
  showProblem(
    target,
    `${message('secureMessageDamaged')} (${error instanceof Error ? error.message : String(error)})`,
  );
}

function showProblem(target: HTMLElement, text: string): void {
  const paragraph = document.createElement('p');
  paragraph.setAttribute('role', 'alert');
  paragraph.id = 'sent-copy-problem';
  paragraph.textContent = text;
  target.replaceChildren(paragraph);
}

const target = document.getElementById('app');
if (target) {
  show(target).catch((error: unknown) => showFailure(target, error));
}
