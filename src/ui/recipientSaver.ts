import type { RecipientSettings } from '../core/recipientSettings.ts';
import type { RecipientChanges } from './recipientRow.ts';

/** How the saver reaches the background and reports back; injected so tests need no browser. */
export interface RecipientSaverPorts {
  /** Persists changes for one normalised address; resolves with what is now stored. */
  save(address: string, changes: RecipientChanges): Promise<RecipientSettings>;
  /** Number of changes of this address not yet acknowledged (waiting or in flight). */
  onPendingChange(address: string, pending: number): void;
  onSaved(settings: RecipientSettings): void;
  onError(address: string, error: Error): void;
}

export interface RecipientSaverOptions {
  /** Quiet time after the last keystroke before a typed value is saved. */
  debounceMs?: number;
}

/**
 * Saves recipient settings from the popup and options page.
 *
 * Requests for one address go out one after another, so the background always ends with the
 * sender's last value even when an earlier request is slow. Typed values (the access code) are
 * debounced; a choice (method, language) or a commit (change/blur) sends at once, after any
 * typed value still waiting. The pending count covers waiting and in-flight changes, which is
 * what the rows' `data-saved` attribute shows.
 */
export class RecipientSaver {
  readonly #ports: RecipientSaverPorts;
  readonly #debounceMs: number;
  readonly #chains = new Map<string, Promise<void>>();
  readonly #pending = new Map<string, number>();
  readonly #waiting = new Map<
    string,
    { changes: RecipientChanges; timer: ReturnType<typeof setTimeout> }
  >();

  constructor(ports: RecipientSaverPorts, options: RecipientSaverOptions = {}) {
    this.#ports = ports;
    this.#debounceMs = options.debounceMs ?? 250;
  }

  /** Changes not yet acknowledged for an address. */
  pending(address: string): number {
    return this.#pending.get(address) ?? 0;
  }

  /** Saves now (after anything still waiting for this address). */
  save(address: string, changes: RecipientChanges): Promise<void> {
    this.#flushWaiting(address);
    this.#adjust(address, +1);
    return this.#enqueue(address, changes);
  }

  /** Saves after a quiet time; later calls for the same address merge into one request. */
  saveSoon(address: string, changes: RecipientChanges): void {
    const waiting = this.#waiting.get(address);
    if (waiting) clearTimeout(waiting.timer);
    else this.#adjust(address, +1);
    const merged = { ...waiting?.changes, ...changes };
    const timer = setTimeout(() => this.#flushWaiting(address), this.#debounceMs);
    this.#waiting.set(address, { changes: merged, timer });
  }

  /** Sends a waiting change of this address now (on change/blur). */
  flush(address: string): Promise<void> {
    this.#flushWaiting(address);
    return this.#chains.get(address) ?? Promise.resolve();
  }

  /** Sends every waiting change now, e.g. when the popup is closing. */
  flushAll(): Promise<void> {
    for (const address of [...this.#waiting.keys()]) this.#flushWaiting(address);
    return Promise.all([...this.#chains.values()]).then(() => undefined);
  }

  #flushWaiting(address: string): void {
    const waiting = this.#waiting.get(address);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.#waiting.delete(address);
    // The pending count for this change was taken when it started waiting.
    void this.#enqueue(address, waiting.changes);
  }

  #enqueue(address: string, changes: RecipientChanges): Promise<void> {
    const previous = this.#chains.get(address) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        this.#ports.onSaved(await this.#ports.save(address, changes));
      } catch (error) {
        this.#ports.onError(address, error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.#adjust(address, -1);
      }
    });
    this.#chains.set(address, next);
    void next.then(() => {
      if (this.#chains.get(address) === next) this.#chains.delete(address);
    });
    return next;
  }

  #adjust(address: string, delta: number): void {
    const count = Math.max(0, this.pending(address) + delta);
    if (count === 0) this.#pending.delete(address);
    else this.#pending.set(address, count);
    this.#ports.onPendingChange(address, count);
  }
}
