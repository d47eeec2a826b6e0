import { describe, expect, it } from 'vitest';
import { handleRequest } from '../../../src/background/requests.ts';
import type { ComposeState } from '../../../src/messaging/protocol.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';

const request = (name: string, payload: unknown) => ({ sealpost: 1, name, payload });

describe('handleRequest', () => {
  it('refuses anything that is not a request of the protocol', async () => {
    const host = new FakeThunderbirdHost();
    expect(await handleRequest(host, { name: 'setSecureMode' })).toEqual({
      ok: false,
      error: 'Unknown request',
    });
    expect(await handleRequest(host, request('runCode', {}))).toEqual({
      ok: false,
      error: 'Unknown request',
    });
  });

  it('builds the panel state: recipients expanded from lists, internal marked, settings remembered', async () => {
    const host = new FakeThunderbirdHost();
    host.mailingLists.set('Partners', [{ name: 'Eve', address: 'eve@partner.example' }]);
    host.openCompose(1, {
      to: ['Bob <BOB@partner.example>', 'Partners <Partners>'],
      cc: ['carol@example.test'],
    });
    await handleRequest(
      host,
      request('saveRecipientSettings', {
        address: ' mailto:Bob@Partner.example',
        changes: { method: 'code', code: 'X', language: 'nl' },
      }),
    );
    const response = await handleRequest(host, request('getComposeState', { tabId: 1 }));
    expect(response.ok).toBe(true);
    const state = (response as { value: ComposeState }).value;
    expect(state.secure).toBe(false);
    expect(state.sender).toEqual({ name: 'Alice Sender', address: 'alice@example.test' });
    expect(
      state.recipients.map((r) => [r.address, r.field, r.internal, r.list ?? null, r.language]),
    ).toEqual([
      ['bob@partner.example', 'to', false, null, 'nl'],
      ['eve@partner.example', 'to', false, 'Partners', 'en'],
      ['carol@example.test', 'cc', true, null, 'en'],
    ]);
    expect(state.recipients[0]?.menu.map((entry) => entry.id)).toContain('code-existing');
  });

  it('switches secure mode per tab and shows it on the button', async () => {
    const host = new FakeThunderbirdHost();
    host.openCompose(1, {});
    host.openCompose(2, {});
    expect(await handleRequest(host, request('setSecureMode', { tabId: 1, secure: true }))).toEqual(
      { ok: true, value: { secure: true, required: null } },
    );
    expect(host.buttonStates).toEqual([[1, true]]);
    const other = await handleRequest(host, request('getComposeState', { tabId: 2 }));
    expect((other as { value: ComposeState }).value.secure).toBe(false);
  });

  it('lists, changes and forgets remembered recipients; rejects invalid values', async () => {
    const host = new FakeThunderbirdHost();
    await handleRequest(
      host,
      request('saveRecipientSettings', { address: 'b@x.example', changes: { method: 'code' } }),
    );
    await handleRequest(
      host,
      request('saveRecipientSettings', { address: 'a@x.example', changes: { language: 'fr' } }),
    );
    const listed = await handleRequest(host, request('listRecipients', {}));
    expect(
      (listed as { value: { recipients: { address: string }[] } }).value.recipients.map(
        (r) => r.address,
      ),
    ).toEqual(['a@x.example', 'b@x.example']);
    const bad = await handleRequest(
      host,
      request('saveRecipientSettings', {
        address: 'a@x.example',
        changes: { method: 'carrier-pigeon' },
      }),
    );
    expect(bad.ok).toBe(false);
    expect(
      await handleRequest(host, request('forgetRecipient', { address: 'A@x.example' })),
    ).toEqual({ ok: true, value: { forgotten: true } });
    expect(
      await handleRequest(host, request('forgetRecipient', { address: 'a@x.example' })),
    ).toEqual({ ok: true, value: { forgotten: false } });
  });
});
