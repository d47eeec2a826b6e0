/**
 * The reader's state: which screen is shown, in which language, and the unlock flow. Screens
 * are values, never exceptions: every failure of the envelope or the payload becomes a screen
 * with a reason the UI can explain.
 */
import type { Envelope } from '../core/envelope.ts';
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../core/languages.ts';
import { pickLanguage, readerText, type MessageArguments, type ReaderKey } from '../i18n/index.ts';
import { readEnvelopeSource } from './envelopeSource.ts';
import type { OpenedMessage } from './openedMessage.ts';
import { loadEnvelope, unlockPayload, type FatalReason } from './unlock.ts';

/** Failures after which a new code cannot help. */
export type { FatalReason };
/** Failures the recipient fixes by typing the code again. */
export type RetryReason = 'empty-code' | 'wrong-code';

export type ReaderScreen =
  /** The template itself was opened: no envelope in it. */
  | { kind: 'template' }
  /** The envelope is unreadable, so not even the sender is known. */
  | { kind: 'invalid'; reason: FatalReason }
  /** The sender is known; waiting for the factor (or unable to open: `fatal`). */
  | { kind: 'locked'; envelope: Envelope; fatal: FatalReason | null }
  | { kind: 'open'; envelope: Envelope; message: OpenedMessage };

export class ReaderState {
  // Raw: screens are replaced whole, never mutated, and a deep proxy over a message with
  // megabytes of attachments would only cost time.
  screen: ReaderScreen = $state.raw({ kind: 'template' });
  language: NotificationLanguage = $state('en');
  /** True while Argon2 and decryption run (about a second). */
  busy = $state(false);
  retry: RetryReason | null = $state(null);
  /** Counts failed attempts so the UI can re-announce an identical error message. */
  attempts = $state(0);

  constructor(screen: ReaderScreen, language: NotificationLanguage) {
    this.screen = screen;
    this.language = language;
  }

  /** The reader's texts in the current language. */
  text = <Key extends ReaderKey>(key: Key, ...params: MessageArguments<Key>): string =>
    readerText(this.language, key, ...params);

  /** Tries a code; on success the screen becomes `open`, else `retry` or `fatal` says why. */
  async unlock(code: string): Promise<void> {
    const screen = this.screen;
    if (screen.kind !== 'locked' || screen.fatal || this.busy) return;
    if (code.trim() === '') {
      this.retry = 'empty-code';
      this.attempts++;
      return;
    }
    this.busy = true;
    this.retry = null;
    try {
      // Argon2 runs on the main thread; let the browser paint the busy state first.
      await nextPaint();
      const result = await unlockPayload(screen.envelope, code);
      if (result.ok) {
        this.screen = { kind: 'open', envelope: screen.envelope, message: result.message };
      } else if (result.reason === 'wrong-code') {
        this.retry = 'wrong-code';
        this.attempts++;
      } else {
        this.screen = { ...screen, fatal: result.reason };
      }
    } finally {
      this.busy = false;
    }
  }
}

/** Builds the state from the page: the envelope element and the browser's languages. */
export function createReaderState(
  document: Document,
  browserLanguages: readonly string[],
): ReaderState {
  const source = readEnvelopeSource(document);
  if (source.kind === 'template') {
    return new ReaderState({ kind: 'template' }, browserLanguage(browserLanguages));
  }
  if (source.kind === 'missing') {
    return new ReaderState(
      { kind: 'invalid', reason: 'damaged' },
      browserLanguage(browserLanguages),
    );
  }
  const loaded = loadEnvelope(source.json);
  if (!loaded.ok) {
    return new ReaderState(
      { kind: 'invalid', reason: loaded.reason },
      browserLanguage(browserLanguages),
    );
  }
  const { envelope } = loaded;
  return new ReaderState(
    { kind: 'locked', envelope, fatal: null },
    pickLanguage(envelope.languages, browserLanguages),
  );
}

/** Without an envelope, the browser's own language if it is one of ours, else English. */
function browserLanguage(browserLanguages: readonly string[]): NotificationLanguage {
  return pickLanguage(NOTIFICATION_LANGUAGES, browserLanguages);
}

function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
