/**
 * "Reply securely" from a secure message opened in Thunderbird: Thunderbird's threaded reply to
 * the sender, the decrypted text quoted, secure mode on, and the sender's account key (known
 * from the organisation's server or WKD) chosen by itself.
 */
import { describe, expect, it } from 'vitest';
import { getComposeState } from '../../../src/background/composeState.ts';
import { importKey } from '../../../src/background/recipientKeys.ts';
import { replySecurely } from '../../../src/background/secureReply.ts';
import { isSecure } from '../../../src/background/secureMode.ts';
import { ensureSenderKey } from '../../../src/background/senderKey.ts';
import { plainTextOf, quoteText, replySubject } from '../../../src/core/replyQuote.ts';
import { sealMessage } from '../../../src/core/sealPipeline.ts';
import { generateSenderKey } from '../../../src/crypto/index.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';
import { LIGHT_CRYPTO_CONFIG } from '../crypto/testCrypto.ts';

const RECEIVED = 701;

/** Alice seals "Contract" to `publicKey` (an account lock); it arrives as message RECEIVED. */
async function storeSealedTo(host: FakeThunderbirdHost, publicKey: string, fingerprint: string) {
  const alice = await generateSenderKey({ name: 'Alice', address: 'alice@example.test' });
  const sealed = await sealMessage({
    original: {
      messageId: '<r1@sealpost>',
      date: new Date('2026-12-01T09:00:00Z'),
      from: { name: 'Alice', address: 'alice@example.test' },
      to: ['bob@partner.example'],
      cc: [],
      subject: 'Contract',
      body: { kind: 'plain', text: 'Please sign by Friday.\nThanks' },
      attachments: [],
    },
    locks: [
      {
        method: 'account',
        publicKey: publicKey,
        fingerprint: fingerprint,
        hidden: false,
        language: 'en',
      },
    ],
    senderPublicKey: alice.armoredPublicKey,
    readerTemplate: host.template,
    serverUrl: null,
    languages: ['en'],
    cryptoConfig: LIGHT_CRYPTO_CONFIG,
  });
  host.storedMessages.set(RECEIVED, [
    {
      name: 'secure-message.html',
      file: new File([await sealed.readerHtml.text()], 'secure-message.html'),
    },
  ]);
  return alice;
}

describe('the quoted reply', () => {
  it('adds one "Re:", quotes each line, and reduces HTML to text', () => {
    expect(replySubject('Figures')).toBe('Re: Figures');
    expect(replySubject('RE: Figures')).toBe('RE: Figures');
    expect(quoteText('On Monday, Alice wrote:', 'Line one\r\n\r\nLine two\n')).toBe(
      '\n\nOn Monday, Alice wrote:\n> Line one\n>\n> Line two\n',
    );
    expect(
      plainTextOf({
        text: null,
        html: '<p>Hello &amp; welcome</p><script>alert(1)</script><p>Bye<br>now</p>',
      }),
    ).toBe('Hello & welcome\nBye\nnow');
    expect(plainTextOf({ text: 'plain', html: '<b>rich</b>' })).toBe('plain');
  });
});

describe('replying securely', () => {
  it('opens a threaded reply to the sender, quoted, in secure mode, with their key chosen', async () => {
    const bob = new FakeThunderbirdHost();
    const bobKey = await ensureSenderKey(bob.local, {
      name: 'Bob',
      address: 'bob@partner.example',
    });
    const alice = await storeSealedTo(bob, bobKey.armoredPublicKey, bobKey.fingerprint);
    bob.messageSenders.set(RECEIVED, 'Alice <alice@example.test>');
    bob.replyFrom = 'Bob <bob@partner.example>';
    // Bob knows Alice's key (here imported; usually from the server or WKD).
    expect((await importKey(bob, alice.armoredPublicKey)).ok).toBe(true);

    expect(await replySecurely(bob, RECEIVED)).toEqual({ ok: true });
    const [reply] = bob.replies;
    expect(reply?.messageId).toBe(RECEIVED);
    const details = bob.tabs.get(reply!.tabId)!.details;
    expect(details.subject).toBe('Re: Contract');
    expect(details.plainTextBody).toContain('replyQuoteHeader|');
    expect(details.plainTextBody).toContain('> Please sign by Friday.\n> Thanks');
    expect(await isSecure(bob, reply!.tabId)).toBe(true);
    const state = await getComposeState(bob, reply!.tabId);
    expect(state.recipients.map((view) => [view.address, view.settings?.method])).toEqual([
      ['alice@example.test', 'account'],
    ]);
  });

  it('puts no decrypted text into the window when secure mode cannot be switched on', async () => {
    const bob = new FakeThunderbirdHost();
    const key = await ensureSenderKey(bob.local, { name: 'Bob', address: 'bob@partner.example' });
    await storeSealedTo(bob, key.armoredPublicKey, key.fingerprint);
    bob.session.set = async () => {
      throw new Error('storage.session unavailable');
    };
    await expect(replySecurely(bob, RECEIVED)).rejects.toThrow('storage.session');
    const details = bob.tabs.get(bob.replies[0]!.tabId)!.details;
    expect(details.plainTextBody).not.toContain('Please sign');
    expect(details.subject).not.toContain('Contract');
  });

  it('opens nothing for a message no own key opens', async () => {
    const host = new FakeThunderbirdHost();
    host.storedMessages.set(RECEIVED, [{ name: 'notes.txt', file: new File(['x'], 'notes.txt') }]);
    expect(await replySecurely(host, RECEIVED)).toEqual({ ok: false, reason: 'not-sealed' });
    expect(host.replies).toEqual([]);
  });
});
