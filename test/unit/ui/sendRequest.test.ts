import { afterEach, describe, expect, it } from 'vitest';
import { isRequestEnvelope } from '../../../src/messaging/protocol.ts';
import { sendRequest } from '../../../src/platform/thunderbird/sendRequest.ts';

const global = globalThis as { browser?: unknown };

/** Installs a `browser.runtime.sendMessage` that answers with `reply(message)`. */
function backgroundAnswering(reply: (message: unknown) => unknown): unknown[] {
  const sent: unknown[] = [];
  global.browser = {
    runtime: {
      sendMessage: async (message: unknown) => {
        sent.push(message);
        return reply(message);
      },
    },
  };
  return sent;
}

describe('sendRequest', () => {
  afterEach(() => {
    delete global.browser;
  });

  it('sends a protocol envelope and returns the value', async () => {
    const sent = backgroundAnswering(() => ({ ok: true, value: { secure: true } }));
    await expect(sendRequest('setSecureMode', { tabId: 7, secure: true })).resolves.toEqual({
      secure: true,
    });
    expect(sent).toEqual([
      { sealpost: 1, name: 'setSecureMode', payload: { tabId: 7, secure: true } },
    ]);
    expect(isRequestEnvelope(sent[0])).toBe(true);
  });

  it("throws the background's message when it refuses", async () => {
    backgroundAnswering(() => ({ ok: false, error: 'Invalid settings for bob@x.example' }));
    await expect(
      sendRequest('saveRecipientSettings', { address: 'bob@x.example', changes: {} }),
    ).rejects.toThrow('Invalid settings for bob@x.example');
  });

  it('throws when nothing answers instead of returning undefined', async () => {
    backgroundAnswering(() => undefined);
    await expect(sendRequest('listRecipients', {})).rejects.toThrow(/no answer to listRecipients/);
  });
});
