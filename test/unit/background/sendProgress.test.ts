import { describe, expect, it } from 'vitest';
import {
  cancelSend,
  endSendProgress,
  progressView,
  reportUploaded,
  sendProgressView,
  startSendProgress,
} from '../../../src/background/sendProgress.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

describe('progressView', () => {
  const controller = new AbortController();
  it('gives percent of the estimate, sizes, and time left from the rate so far', () => {
    const view = progressView(
      { startedAt: 0, expectedBytes: 40_000_000, uploadedBytes: 10_000_000, controller },
      10_000,
    );
    expect(view).toEqual({
      percent: 25,
      uploaded: '10.0 MB',
      expected: '40.0 MB',
      secondsLeft: 30,
      cancelling: false,
    });
  });

  it('holds below 100 % when the estimate was low, and has no time left before any rate', () => {
    const over = progressView(
      { startedAt: 0, expectedBytes: 10, uploadedBytes: 20, controller },
      1000,
    );
    expect(over.percent).toBe(99);
    expect(over.secondsLeft).toBe(0);
    const early = progressView(
      { startedAt: 0, expectedBytes: 10, uploadedBytes: 0, controller },
      1000,
    );
    expect(early.secondsLeft).toBeNull();
  });
});

describe('a send in progress', () => {
  it('opens a window, reports uploads, cancels through the signal and closes the window', async () => {
    const host = new FakeThunderbirdHost();
    const signal = await startSendProgress(host, 7, 1000);
    expect(host.progressWindows).toEqual([{ tabId: 7, closed: false }]);
    expect(host.awakeHolds).toBe(1);
    reportUploaded(7, 100, 400);
    expect(sendProgressView(7)?.uploaded).toBe('0.0 MB');
    expect(sendProgressView(7)?.percent).toBe(50);
    expect(sendProgressView(8)).toBeNull();
    expect(cancelSend(8)).toBe(false);
    expect(cancelSend(7)).toBe(true);
    expect(signal.aborted).toBe(true);
    expect(sendProgressView(7)?.cancelling).toBe(true);
    await endSendProgress(host, 7);
    expect(host.progressWindows[0]?.closed).toBe(true);
    expect(host.awakeHolds).toBe(0);
    expect(sendProgressView(7)).toBeNull();
  });
});
