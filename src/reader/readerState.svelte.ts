/**
 * The reader's state: which screen is shown, in which language, and the unlock flow. Screens
 * are values, never exceptions: every failure of the envelope, the payload or the server becomes
 * a screen or a retry reason the UI can explain.
 */
import { takesAccessCode } from '../core/methods.ts';
import { passwordForCode } from '../core/accessCodeFormat.ts';
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../core/languages.ts';
import { deriveLockPassword } from '../core/serverLock.ts';
import { pickLanguage, readerText, type MessageArguments, type ReaderKey } from '../i18n/index.ts';
import type { VerifyCompleteResponse, VerifyStartResponse } from '../core/serverApi.ts';
import { readEnvelopeSource } from './envelopeSource.ts';
import { hostedMessageId, loadHostedEnvelope, mailShareFromHash } from './hostedMessage.ts';
import type { OpenedMessage } from './openedMessage.ts';
import { callServer, type ServerFailure } from './serverClient.ts';
import { loadEnvelope, openPayload, type FatalReason, type ReaderEnvelope } from './unlock.ts';

/** Failures after which a new code cannot help. */
export type { FatalReason };
/** Failures the recipient fixes by typing again, asking for a new code or waiting. */
export type RetryReason =
  | 'empty-code'
  | 'wrong-code'
  | 'code-expired'
  | 'rate-limited'
  | 'not-recipient'
  /** The verification handle ended (an hour passed, or the server forgot it): type the address. */
  | 'start-again'
  | 'unavailable';

export type ReaderScreen =
  /** The template itself was opened: no envelope in it. */
  | { kind: 'template' }
  /** A hosted page while it fetches its message. */
  | { kind: 'loading' }
  /** The envelope is unreadable, so not even the sender is known. */
  | { kind: 'invalid'; reason: FatalReason }
  /** The sender is known; waiting for the factor (or unable to open: `fatal`). */
  | { kind: 'locked'; envelope: ReaderEnvelope; fatal: FatalReason | null }
  | { kind: 'open'; envelope: ReaderEnvelope; message: OpenedMessage };

type LockedScreen = Extract<ReaderScreen, { kind: 'locked' }>;

/** True when the server guards the locks: the recipient verifies before typing a code. */
export function usesServer(envelope: ReaderEnvelope): boolean {
  return (
    !!envelope.serverUrl &&
    (envelope.serverOnly === true || envelope.locks.some((lock) => lock.serverProtected))
  );
}

export class ReaderState {
  // Raw: screens are replaced whole, never mutated, and a deep proxy over a message with
  // megabytes of attachments would only cost time.
  screen: ReaderScreen = $state.raw({ kind: 'template' });
  language: NotificationLanguage = $state('en');
  /** True while the server answers, or Argon2 and decryption run (about a second). */
  busy = $state(false);
  retry: RetryReason | null = $state(null);
  /** With `retry`: attempts left (wrong-code) or seconds to wait (rate-limited), if known. */
  retryCount: number | undefined = $state();
  /** Counts failed attempts so the UI can re-announce an identical error message. */
  attempts = $state(0);
  /** The server's answer once the recipient confirmed their address (server locks only). */
  verification: VerifyStartResponse | null = $state.raw(null);
  /** The address the recipient confirmed (server locks): their secure reply's From. */
  recipientAddress: string | null = $state(null);
  /** The server's permission to reply, given with its share once the factor passed. */
  replyToken: string | null = null;
  /** Offer "Reply securely" on an opened message (Thunderbird's own page has its own). */
  offerReply = true;

  constructor(screen: ReaderScreen, language: NotificationLanguage) {
    this.screen = screen;
    this.language = language;
  }

  /** The reader's texts in the current language. */
  text = <Key extends ReaderKey>(key: Key, ...params: MessageArguments<Key>): string =>
    readerText(this.language, key, ...params);

  /** The explanation of `retry`, or '' when there is none. */
  retryText(): string {
    const count = this.retryCount;
    if (this.retry === 'wrong-code' && count !== undefined) {
      return this.text('reader.error.attempts-left', { count });
    }
    if (this.retry === 'rate-limited') {
      return this.text('reader.error.rate-limited', { seconds: count ?? 60 });
    }
    return this.retry ? this.text(`reader.error.${this.retry}`) : '';
  }

  /** Server locks, step 1: the recipient confirms the address they got the mail at. */
  async verify(address: string): Promise<void> {
    await this.step('/verify/start', { address: address.trim() });
    if (this.verification) this.recipientAddress = address.trim();
  }

  /** Server locks: a new SMS/email code (the server throttles it). */
  async resend(): Promise<void> {
    await this.step('/verify/resend', { handle: this.verification?.handle });
  }

  /**
   * Tries a code; on success the screen becomes `open`, else `retry` or `fatal` says why. With
   * server locks the server checks the code first and releases its share of the lock.
   */
  async unlock(code: string): Promise<void> {
    if (code.trim() === '') return this.fail('empty-code');
    await this.run(async (screen) => {
      const { envelope } = screen;
      const verification = this.verification;
      let password = passwordForCode(code);
      if (verification) {
        const { handle, lockId, method } = verification;
        const released = await callServer<VerifyCompleteResponse>(
          envelope.serverUrl ?? '',
          envelope.messageId,
          '/verify/complete',
          { handle, code },
        );
        if (!released.ok) return this.failOnServer(screen, released);
        this.replyToken = released.value.replyToken ?? null;
        const derived = await deriveLockPassword({
          messageId: envelope.messageId,
          lockId,
          mailShare: envelope.mailShare ?? '',
          serverShare: released.value.serverShare,
          ...(takesAccessCode(method) ? { accessCode: code } : {}),
        });
        if (!derived.ok) return this.end(screen, 'damaged');
        password = derived.password;
      }
      // Argon2 runs on the main thread; let the browser paint the busy state first.
      await nextPaint();
      const result = await openPayload(envelope, password);
      if (result.ok) {
        this.screen = { kind: 'open', envelope, message: result.message };
      } else if (result.reason !== 'wrong-code') {
        this.end(screen, result.reason);
      } else if (verification) {
        // The server accepted the factor, so the mail's share does not fit its lock.
        this.end(screen, 'damaged');
      } else {
        this.fail('wrong-code');
      }
    });
  }

  /** Runs one step of the locked screen, unless a step is running or nothing can help. */
  private async run(work: (screen: LockedScreen) => Promise<void>): Promise<void> {
    const screen = this.screen;
    if (screen.kind !== 'locked' || screen.fatal || this.busy) return;
    this.busy = true;
    this.retry = null;
    try {
      await work(screen);
    } finally {
      this.busy = false;
    }
  }

  /** A verify/start or verify/resend call: both answer where the code went. */
  private step(route: string, body: object): Promise<void> {
    return this.run(async (screen) => {
      const { serverUrl, messageId } = screen.envelope;
      const answer = await callServer<VerifyStartResponse>(serverUrl ?? '', messageId, route, body);
      if (answer.ok) this.verification = answer.value;
      else this.failOnServer(screen, answer);
    });
  }

  private failOnServer(
    screen: LockedScreen,
    { code, attemptsLeft, retryAfterSeconds }: ServerFailure,
  ) {
    if (code === 'locked' || code === 'expired' || code === 'revoked')
      return this.end(screen, code);
    // The last try of a sent code: only a new code helps now.
    if (code === 'wrong-code' && attemptsLeft === 0 && this.verification?.sentTo) {
      return this.fail('code-expired');
    }
    if (code === 'wrong-code' || code === 'code-expired' || code === 'rate-limited') {
      return this.fail(code, attemptsLeft ?? retryAfterSeconds);
    }
    if (code === 'not-found' && this.verification) {
      // The handle from the address step ended: back to that step, with a word why.
      this.verification = null;
      return this.fail('start-again');
    }
    if (code === 'not-found' || code === 'bad-request' || code === 'forbidden') {
      // Before verification: no lock for that address. After: the code's challenge is gone.
      return this.fail(this.verification ? 'code-expired' : 'not-recipient');
    }
    this.fail('unavailable');
  }

  private fail(reason: RetryReason, count?: number): void {
    this.retry = reason;
    this.retryCount = count;
    this.attempts++;
  }

  private end(screen: LockedScreen, fatal: FatalReason): void {
    this.screen = { ...screen, fatal };
  }
}

/** Builds the state from the page: the envelope element (or hosted link) and the browser's languages. */
export function createReaderState(
  document: Document,
  browserLanguages: readonly string[],
): ReaderState {
  const fallbackLanguage = pickLanguage(NOTIFICATION_LANGUAGES, browserLanguages);
  const hostedId = hostedMessageId(document);
  if (hostedId) {
    const reader = new ReaderState({ kind: 'loading' }, fallbackLanguage);
    void loadHosted(reader, document.location, hostedId);
    return reader;
  }
  const source = readEnvelopeSource(document);
  if (source.kind === 'template') return new ReaderState({ kind: 'template' }, fallbackLanguage);
  const loaded = source.kind === 'json' ? loadEnvelope(source.json) : null;
  if (!loaded?.ok) {
    return new ReaderState(
      { kind: 'invalid', reason: loaded?.reason ?? 'damaged' },
      fallbackLanguage,
    );
  }
  const { envelope } = loaded;
  return new ReaderState(
    { kind: 'locked', envelope, fatal: null },
    pickLanguage(envelope.languages, browserLanguages),
  );
}

/** A hosted page: the server is the page's own (`<server>/r/<id>`), the share is the fragment. */
async function loadHosted(reader: ReaderState, location: Location, messageId: string) {
  const mailShare = mailShareFromHash(location.hash);
  // Read once, then gone from the address bar and the history: someone looking at this
  // screen or this browser's history later must not find the mail's half of the key there.
  if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  const loaded = mailShare
    ? await loadHostedEnvelope(new URL('..', location.href).href, messageId, mailShare)
    : ({ ok: false, reason: 'link' } as const);
  reader.screen = loaded.ok
    ? { kind: 'locked', envelope: loaded.envelope, fatal: null }
    : { kind: 'invalid', reason: loaded.reason };
}

function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
