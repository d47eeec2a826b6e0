/**
 * The sender's copy of a sealed message, opened with their own key in Thunderbird. It shows the
 * message exactly as the recipient's reader does (same components, same sanitising sandbox).
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
import { ReaderState } from '../reader/readerState.svelte.ts';
import PassphrasePrompt from './PassphrasePrompt.svelte';

const PROBLEM_KEYS = {
  'not-sealed': 'sentCopyNotSealed',
  'no-key': 'sentCopyNoKey',
  'wrong-key': 'sentCopyWrongKey',
  damaged: 'sentCopyDamaged',
  unsupported: 'sentCopyDamaged',
  'too-large': 'sentCopyDamaged',
} as const satisfies Record<Exclude<OpenFailureReason, 'locked'>, string>;

type OpenFailureReason = Extract<Requests['openSentCopy']['res'], { ok: false }>['reason'];

async function show(target: HTMLElement): Promise<void> {
  const messageId = Number(new URLSearchParams(location.search).get('message'));
  const result = await sendRequest('openSentCopy', { messageId });
  if (!result.ok) {
    if (result.reason === 'locked') askPassphrase(target);
    else showProblem(target, message(PROBLEM_KEYS[result.reason]));
    return;
  }
  const mime = bytesFromBase64(result.mimeBase64);
  if (!mime) return showProblem(target, message('sentCopyDamaged'));
  const opened = await parseOriginalMime(mime);
  const reader = new ReaderState(
    { kind: 'open', envelope: result.envelope, message: opened },
    languageFromLocale(uiLocale()),
  );
  mount(App, { target, props: { reader } });
}

/** Asks for the passphrase protecting the sender's key, then tries again. */
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
    `${message('sentCopyDamaged')} (${error instanceof Error ? error.message : String(error)})`,
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
