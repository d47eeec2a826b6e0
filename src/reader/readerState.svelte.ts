/**
 * The reader's state: which screen is shown, in which language, and the unlock flow. Screens
 * are values, never exceptions: every failure of the envelope, the payload or the server becomes
 * a screen or a retry reason the UI can explain.
 */
import { takesAccessCode } from '../core/methods.ts';
import { passwordForCode } from '../core/accessCodeFormat.ts';
import type { NotificationLanguage } from '../core/languages.ts';
import { deriveLockPassword } from '../core/serverLock.ts';
import { readerText, type MessageArguments, type ReaderKey } from '../i18n/index.ts';
import type {
  NoCodeResponse,
  PublicMessageResponse,
  RememberedDevice,
  ServerLockMethod,
  VerifyCompleteResponse,
  VerifyDeviceResponse,
  VerifyStartResponse,
} from '../core/serverApi.ts';
import type { OpenedMessage } from './openedMessage.ts';
import {
  forgetDevice,
  rememberDevice,
  rememberedDevices,
  type DeviceStorage,
} from './rememberedDevices.ts';
import {
  addressProblem,
  codeProblem,
  ONE_TIME_CODE_DIGITS,
  serverOutcome,
  type RetryReason,
} from './readerProblems.ts';
import { callApi, callServer, type ServerFailure } from './serverClient.ts';
import { ReaderPayload, type PayloadResult } from './readerPayload.svelte.ts';
import { openPayload, type FatalReason, type ReaderEnvelope } from './unlock.ts';

/** Failures after which a new code cannot help. */
export type { FatalReason };
export type { RetryReason };

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
  /** While a payload is decrypted: how much of it, in whole percents (a large one takes a while). */
  openingPercent: number | null = $state(null);
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
  /** The recipient ticked "Remember this browser" (offered on hosted pages that allow it). */
  rememberThisDevice = $state(false);
  /** The remembered browser that opened this message instead of a code, if one did. */
  openedWithDevice: RememberedDevice | null = $state.raw(null);
  /** The recipient forgot that browser ("Forget this browser"): it is gone here and on the server. */
  deviceForgotten = $state(false);
  /** When the server told the sender that this recipient has no code ("I don't have the code"). */
  senderToldAt: string | null = $state(null);
  /** Where remembered browsers are kept; null where none may be (a reader file). */
  deviceStorage: DeviceStorage | null = null;
  /** The locked envelope's payload: its bytes, or their download and its progress. */
  payload: ReaderPayload | null = $state.raw(null);

  /** A locked screen starts fetching its payload at once (Thunderbird's page mounts one too). */
  constructor(screen: ReaderScreen, language: NotificationLanguage) {
    this.screen = screen;
    this.language = language;
    this.startPayload();
  }

  /**
   * Starts downloading the locked envelope's payload, if it has to be downloaded: while the
   * recipient verifies, so it is ready when they are. A failure no code can mend (damaged,
   * gone, not on the server) is shown at once, before anyone asks for a code.
   */
  startPayload(): void {
    const screen = this.screen;
    if (screen.kind !== 'locked' || screen.fatal || this.payload) return;
    const payload = new ReaderPayload(screen.envelope);
    this.payload = payload;
    if (!payload.downloads) return;
    void payload.load().then(async (result) => {
      if (!result.ok && result.reason !== 'unavailable' && this.screen === screen) {
        this.end(screen, await this.payloadFailure(screen.envelope, result.reason));
      }
    });
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
    if (this.retry === 'code-digits') {
      return this.text('reader.error.code-digits', { count: ONE_TIME_CODE_DIGITS });
    }
    if (this.retry === 'rate-limited') {
      return this.text('reader.error.rate-limited', { seconds: count ?? 60 });
    }
    return this.retry ? this.text(`reader.error.${this.retry}`) : '';
  }

  /** Server locks, step 1: the recipient confirms the address they got the mail at. */
  async verify(address: string): Promise<void> {
    const problem = addressProblem(address);
    if (problem) return this.fail(problem);
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
    const problem = codeProblem(code, !!this.verification?.sentTo);
    if (problem) return this.fail(problem);
    await this.run(async (screen) => {
      const { envelope } = screen;
      // The payload first: a code is not spent on a message that cannot be had.
      const payload = await this.payloadOf(screen);
      if (!payload) return;
      const verification = this.verification;
      if (!verification) {
        return this.openWithPassword(screen, payload, passwordForCode(code), false);
      }
      const { handle, lockId, method } = verification;
      const remember = this.rememberThisDevice && this.canRememberDevice(method);
      const released = await callServer<VerifyCompleteResponse>(
        envelope.serverUrl ?? '',
        envelope.messageId,
        '/verify/complete',
        { handle, code, ...(remember ? { rememberDevice: true } : {}) },
      );
      if (!released.ok) return this.failOnServer(screen, released);
      const { device } = released.value;
      if (device && this.deviceStorage) rememberDevice(this.deviceStorage, device);
      await this.openReleased(screen, payload, released.value, lockId, method, code);
    });
  }

  /** True when this page may offer "Remember this browser" for a lock of `method`. */
  canRememberDevice(method: ServerLockMethod): boolean {
    const screen = this.screen;
    return (
      this.deviceStorage !== null &&
      (method === 'sms' || method === 'email') &&
      screen.kind === 'locked' &&
      !!screen.envelope.rememberDevice
    );
  }

  /**
   * Hosted pages: tries the browsers remembered here, newest first, before asking for anything.
   * One the server refuses (expired, removed) is forgotten here too; one whose address is not on
   * this message is kept for other messages. Nothing found: the usual address step.
   */
  async openWithRememberedDevice(): Promise<void> {
    const storage = this.deviceStorage;
    if (!storage) return;
    await this.run(async (screen) => {
      const { serverUrl, messageId } = screen.envelope;
      const devices = rememberedDevices(storage, Date.now());
      const payload = devices.length > 0 ? await this.payloadOf(screen) : null;
      if (!payload) return;
      for (const device of devices) {
        const answer = await callServer<VerifyDeviceResponse>(
          serverUrl ?? '',
          messageId,
          '/verify/device',
          { deviceId: device.deviceId, secret: device.secret },
        );
        if (answer.ok) {
          this.openedWithDevice = device;
          this.recipientAddress = device.address;
          const { lockId, method } = answer.value;
          return this.openReleased(screen, payload, answer.value, lockId, method, '');
        }
        if (answer.code === 'forbidden') forgetDevice(storage, device.deviceId);
        else if (answer.code !== 'not-found') return this.failOnServer(screen, answer);
      }
    });
  }

  /** The recipient forgets the browser that opened this message, here and on the server. */
  async forgetThisDevice(serverUrl: string): Promise<void> {
    const device = this.openedWithDevice;
    if (!device || this.deviceForgotten) return;
    if (this.deviceStorage) forgetDevice(this.deviceStorage, device.deviceId);
    this.deviceForgotten = true;
    // Forgotten here whatever the server says: this browser never offers the secret again.
    await callApi(serverUrl, '/devices/forget', {
      deviceId: device.deviceId,
      secret: device.secret,
    });
  }

  /**
   * "I don't have the code": the server tells the sender (by mail and in their status). Needs the
   * address step first (its handle proves the address is on the message).
   */
  async noCode(): Promise<void> {
    await this.run(async (screen) => {
      const { serverUrl, messageId } = screen.envelope;
      const answer = await callServer<NoCodeResponse>(
        serverUrl ?? '',
        messageId,
        '/verify/no-code',
        {
          handle: this.verification?.handle,
        },
      );
      if (answer.ok) this.senderToldAt = answer.value.senderToldAt;
      else this.failOnServer(screen, answer);
    });
  }

  /** The server released its share: derive the lock's password and open the payload with it. */
  private async openReleased(
    screen: LockedScreen,
    payload: Uint8Array,
    released: VerifyCompleteResponse,
    lockId: string,
    method: ServerLockMethod,
    code: string,
  ): Promise<void> {
    this.replyToken = released.replyToken ?? null;
    const { envelope } = screen;
    const derived = await deriveLockPassword({
      messageId: envelope.messageId,
      lockId,
      mailShare: envelope.mailShare ?? '',
      serverShare: released.serverShare,
      ...(takesAccessCode(method) ? { accessCode: code } : {}),
    });
    if (!derived.ok) return this.end(screen, 'damaged');
    await this.openWithPassword(screen, payload, derived.password, true);
  }

  /**
   * Opens the payload. `fromServer`: the server accepted the factor, so a password that does not
   * fit means the mail's share does not fit its lock (damaged), not a wrong code.
   */
  private async openWithPassword(
    screen: LockedScreen,
    payload: Uint8Array,
    password: string,
    fromServer: boolean,
  ): Promise<void> {
    // Argon2 runs on the main thread; let the browser paint the busy state first.
    await nextPaint();
    this.openingPercent = 0;
    const result = await openPayload(payload, password, (done, total) => {
      const percent = Math.floor((done * 100) / total);
      if (percent !== this.openingPercent) this.openingPercent = percent;
    }).finally(() => (this.openingPercent = null));
    if (result.ok) {
      // The ciphertext is not needed once open: let a large payload go.
      this.payload = null;
      this.screen = { kind: 'open', envelope: screen.envelope, message: result.message };
    } else if (result.reason !== 'wrong-code') {
      this.end(screen, result.reason);
    } else if (fromServer) {
      this.end(screen, 'damaged');
    } else {
      this.fail('wrong-code');
    }
  }

  /**
   * The payload's bytes, waiting for the download if it still runs; null when it cannot be had
   * (the screen then says why: `unavailable` as a retry, anything else as the end).
   */
  private async payloadOf(screen: LockedScreen): Promise<Uint8Array | null> {
    this.startPayload();
    const result = await (this.payload ?? new ReaderPayload(screen.envelope)).load();
    if (result.ok) return result.payload;
    if (result.reason === 'unavailable') this.fail('unavailable');
    else this.end(screen, await this.payloadFailure(screen.envelope, result.reason));
    return null;
  }

  /** What to tell the recipient when the payload cannot be had; a 410 asks the server why. */
  private async payloadFailure(
    envelope: ReaderEnvelope,
    reason: Exclude<Extract<PayloadResult, { ok: false }>['reason'], 'unavailable'>,
  ): Promise<FatalReason> {
    if (reason !== 'ended') return reason;
    const described = await callServer<PublicMessageResponse>(
      envelope.serverUrl ?? '',
      envelope.messageId,
      '/public',
    );
    if (described.ok && described.value.state === 'revoked') return 'revoked';
    return !described.ok && described.code === 'revoked' ? 'revoked' : 'expired';
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

  private failOnServer(screen: LockedScreen, failure: ServerFailure): void {
    const outcome = serverOutcome(failure, this.verification !== null, !!this.verification?.sentTo);
    if (outcome.kind === 'end') return this.end(screen, outcome.reason);
    if (outcome.kind === 'retry') return this.fail(outcome.reason, outcome.count);
    this.verification = null;
    this.fail('start-again');
  }

  private fail(reason: RetryReason, count?: number): void {
    this.retry = reason;
    this.retryCount = count;
    this.attempts++;
  }

  private end(screen: LockedScreen, fatal: FatalReason): void {
    // Once per screen: a late download failure does not overwrite what the server said.
    if (this.screen === screen) this.screen = { ...screen, fatal };
  }
}

function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
