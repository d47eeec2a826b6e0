import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecipientSettings } from '../../../src/core/recipientSettings.ts';
import type { RecipientChanges } from '../../../src/ui/recipientRow.ts';
import { RecipientSaver } from '../../../src/ui/recipientSaver.ts';

/** A background whose answers the test releases one by one, recording what it was asked. */
function slowBackground() {
  const calls: {
    address: string;
    changes: RecipientChanges;
    resolve: () => void;
    reject: (error: Error) => void;
  }[] = [];
  const stored = new Map<string, RecipientSettings>();
  const pendingLog: [string, number][] = [];
  const errors: string[] = [];
  const saver = new RecipientSaver(
    {
      save: (address, changes) =>
        new Promise<RecipientSettings>((resolve, reject) => {
          calls.push({
            address,
            changes,
            resolve: () => {
              const next = { ...stored.get(address), ...changes, address, updatedAt: 'now' };
              stored.set(address, next);
              resolve(next);
            },
            reject,
          });
        }),
      onPendingChange: (address, count) => pendingLog.push([address, count]),
      onSaved: () => {},
      onError: (_address, error) => errors.push(error.message),
    },
    { debounceMs: 250 },
  );
  return { saver, calls, stored, pendingLog, errors };
}

/** Lets queued promise callbacks run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('RecipientSaver', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('merges typing into one request after a quiet time', async () => {
    const { saver, calls } = slowBackground();
    saver.saveSoon('bob@x.example', { code: 'a' });
    await vi.advanceTimersByTimeAsync(200);
    saver.saveSoon('bob@x.example', { code: 'ab' });
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toHaveLength(0);
    expect(saver.pending('bob@x.example')).toBe(1);
    await vi.advanceTimersByTimeAsync(60);
    expect(calls.map((call) => call.changes)).toEqual([{ code: 'ab' }]);
  });

  it('counts a change as pending until the background acknowledges it', async () => {
    const { saver, calls } = slowBackground();
    saver.saveSoon('bob@x.example', { code: 'abc' });
    await vi.advanceTimersByTimeAsync(300);
    expect(saver.pending('bob@x.example')).toBe(1);
    calls[0]!.resolve();
    await settle();
    expect(saver.pending('bob@x.example')).toBe(0);
  });

  it('sends a waiting code before a later choice, one request at a time', async () => {
    const { saver, calls, stored } = slowBackground();
    saver.saveSoon('bob@x.example', { code: 'first' });
    void saver.save('bob@x.example', { language: 'de' });
    await settle();
    // The second request waits for the first answer.
    expect(calls.map((call) => call.changes)).toEqual([{ code: 'first' }]);
    expect(saver.pending('bob@x.example')).toBe(2);
    calls[0]!.resolve();
    await settle();
    expect(calls.map((call) => call.changes)).toEqual([{ code: 'first' }, { language: 'de' }]);
    calls[1]!.resolve();
    await settle();
    expect(stored.get('bob@x.example')).toMatchObject({ code: 'first', language: 'de' });
    expect(saver.pending('bob@x.example')).toBe(0);
  });

  it('keeps addresses independent', async () => {
    const { saver, calls } = slowBackground();
    void saver.save('bob@x.example', { method: 'code' });
    void saver.save('carol@y.example', { method: 'code' });
    await settle();
    expect(calls.map((call) => call.address)).toEqual(['bob@x.example', 'carol@y.example']);
  });

  it('flush sends a waiting change at once (change/blur)', async () => {
    const { saver, calls } = slowBackground();
    saver.saveSoon('bob@x.example', { code: 'typed' });
    const flushed = saver.flush('bob@x.example');
    await settle();
    expect(calls.map((call) => call.changes)).toEqual([{ code: 'typed' }]);
    calls[0]!.resolve();
    await flushed;
    expect(saver.pending('bob@x.example')).toBe(0);
    // Nothing is sent twice when the debounce time passes afterwards.
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(1);
  });

  it('flushAll sends every waiting change (the popup is closing)', async () => {
    const { saver, calls } = slowBackground();
    saver.saveSoon('bob@x.example', { code: 'one' });
    saver.saveSoon('carol@y.example', { code: 'two' });
    void saver.flushAll();
    await settle();
    expect(calls.map((call) => call.changes.code).sort()).toEqual(['one', 'two']);
  });

  it('reports a refused save and still releases the pending count', async () => {
    const { saver, calls, errors, pendingLog } = slowBackground();
    void saver.save('bob@x.example', { method: 'code' });
    await settle();
    calls[0]!.reject(new Error('storage full'));
    await settle();
    expect(errors).toEqual(['storage full']);
    expect(saver.pending('bob@x.example')).toBe(0);
    expect(pendingLog).toEqual([
      ['bob@x.example', 1],
      ['bob@x.example', 0],
    ]);
  });
});
