import { beforeEach, describe, expect, it } from 'vitest';
import { saveRecipientSettings } from '../../../src/background/recipientStore.ts';
import { handleRequest } from '../../../src/background/requests.ts';
import { handleAfterSend, handleBeforeSend } from '../../../src/background/sealOnSend.ts';
import { setSecure } from '../../../src/background/secureMode.ts';
import {
  bytesFromBase64,
  extractEnvelopeJson,
  parseEnvelope,
} from '../../../src/core/envelopeCodec.ts';
import type { Envelope } from '../../../src/core/envelope.ts';
import { parseOriginalMime } from '../../../src/core/mime/parseMime.ts';
import { deriveLockPassword, generateShare } from '../../../src/core/serverLock.ts';
import { openWithPassword } from '../../../src/crypto/index.ts';
import type { RegisterLock } from '../../../src/core/serverApi.ts';
import { FakeSealpostServer } from '../../fakes/fakeSealpostServer.ts';
import { FakeThunderbirdHost } from '../../fakes/fakeThunderbirdHost.ts';
import { inlineEnvelope } from '../../helpers/inlineEnvelope.ts';

const TAB = 9;

async function request(host: FakeThunderbirdHost, name: string, payload: unknown) {
  const answer = await handleRequest(host, { sealpost: 1, name, payload });
  if (!answer.ok) throw new Error(answer.error);
  return answer.value as never;
}

/** Points the add-on at the fake server and signs in through the real options flow. */
async function signIn(host: FakeThunderbirdHost, server: FakeSealpostServer) {
  host.server = server.fetch;
  expect(await request(host, 'setServerUrl', { url: server.baseUrl + '/' })).toMatchObject({
    ok: true,
  });
  const started = (await request(host, 'signInStart', { address: 'Alice@Example.test' })) as {
    ok: true;
    value: { challengeId: string };
  };
  expect(started.ok).toBe(true);
  const completed = await request(host, 'signInComplete', {
    challengeId: started.value.challengeId,
    code: ' 123456 ',
  });
  expect(completed).toMatchObject({
    ok: true,
    value: { signedIn: { address: 'alice@example.test' } },
  });
}

async function sealedEnvelope(
  host: FakeThunderbirdHost,
): Promise<{ html: string; envelope: Envelope }> {
  const attachments = host.tabs.get(TAB)?.attachments ?? [];
  expect(attachments.map((attachment) => attachment.name)).toEqual(['secure-message.html']);
  const html = await attachments[0]!.file.text();
  const parsed = parseEnvelope(extractEnvelopeJson(html) ?? '');
  if (!parsed.ok) throw new Error(`envelope ${parsed.reason}`);
  return { html, envelope: inlineEnvelope(parsed.envelope) };
}

describe('sealing with a server', () => {
  let host: FakeThunderbirdHost;
  let server: FakeSealpostServer;

  beforeEach(async () => {
    host = new FakeThunderbirdHost();
    server = new FakeSealpostServer();
    await signIn(host, server);
    host.openCompose(
      TAB,
      {
        to: ['Bob <bob@partner.example>'],
        cc: ['dave@mobile.example'],
        bcc: ['carol@hidden.example'],
        subject: 'Contract',
        plainTextBody: 'The secret clause.',
      },
      [new File([new Uint8Array([1, 2, 3, 4])], 'draft.pdf', { type: 'application/pdf' })],
    );
    // A short code is allowed with a server: its attempt limit protects it.
    await saveRecipientSettings(host.local, 'bob@partner.example', {
      method: 'code',
      code: 'abc-123',
    });
    await saveRecipientSettings(host.local, 'dave@mobile.example', {
      method: 'sms',
      phone: '+4915112345612',
    });
    await saveRecipientSettings(host.local, 'carol@hidden.example', { method: 'email' });
    await setSecure(host, TAB, true);
  });

  it('registers every lock with the server, links the hosted reader, and needs both shares to open', async () => {
    const result = await handleBeforeSend(host, TAB);
    expect(result.cancel).toBeUndefined();
    // One registration for the To/Cc mail, one for the Bcc recipient's own mail.
    expect(server.messages.size).toBe(2);
    const { envelope, html } = await sealedEnvelope(host);
    const registrations = [...server.messages.values()].map((message) => message.request);
    const registration = registrations.find((entry) => entry.messageId === envelope.messageId)!;
    const copy = registrations.find((entry) => entry.messageId !== envelope.messageId)!;
    expect(copy.locks).toEqual([
      expect.objectContaining({ address: 'carol@hidden.example', method: 'email', hidden: true }),
    ]);

    // The envelope: server id, mail share, lock ids; Bcc hidden from everything public.
    expect(envelope.messageId).toBe(registration.messageId);
    expect(envelope.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope.serverUrl).toBe(server.baseUrl);
    expect(bytesFromBase64(envelope.mailShare ?? '')?.length).toBe(32);
    expect(html).not.toContain('carol@hidden.example');
    expect(html).not.toContain('+4915112345612');
    const byMethod = new Map(
      [...registration.locks, ...copy.locks].map((lock) => [lock.method, lock]),
    );
    expect(registration.locks.map((lock) => lock.method)).toEqual(['code', 'sms']);
    expect(byMethod.get('code')).toMatchObject({ hidden: false, accessCode: 'ABC123' });
    expect(byMethod.get('sms')).toMatchObject({ phone: '+4915112345612', hidden: false });
    expect(envelope.locks.map((lock) => lock.method)).toEqual(['code', 'sms', 'sender-key']);
    for (const lock of envelope.locks.slice(0, 2)) {
      expect(lock.serverProtected).toBe(true);
      expect(lock.hint).toBeDefined();
      expect(registration.locks.map((registered) => registered.lockId)).toContain(lock.id);
    }
    // The server never gets the mail's share; the hosted payload is the envelope's.
    expect(JSON.stringify(registration)).not.toContain(envelope.mailShare);
    expect(registration.payload).toBe(envelope.payload);

    // The notification links the hosted reader with the mail's share in the fragment.
    expect(result.details?.plainTextBody).toContain(
      `${server.baseUrl}/r/${registration.messageId}?lang=en#${envelope.mailShare}`,
    );

    // The password needs the mail share, the server share and the code together.
    const payload = bytesFromBase64(envelope.payload)!;
    const codeLock = byMethod.get('code') as RegisterLock;
    const derive = async (mailShare: string, serverShare: string, accessCode?: string) => {
      const derived = await deriveLockPassword({
        messageId: envelope.messageId,
        lockId: codeLock.lockId,
        mailShare,
        serverShare,
        ...(accessCode === undefined ? {} : { accessCode }),
      });
      if (!derived.ok) throw new Error('derive failed');
      return derived.password;
    };
    const opened = await openWithPassword({
      payload,
      password: await derive(envelope.mailShare!, codeLock.serverShare, 'ABC 123'),
    });
    expect(opened.ok).toBe(true);
    if (opened.ok) {
      const original = await parseOriginalMime(opened.plaintext);
      expect(original.text).toContain('The secret clause.');
      expect(new TextDecoder().decode(opened.plaintext)).not.toContain('carol@hidden.example');
    }
    // The server's data alone: its share with a guessed mail share opens nothing.
    expect(
      await openWithPassword({
        payload,
        password: await derive(generateShare(), codeLock.serverShare, 'ABC123'),
      }),
    ).toEqual({ ok: false, reason: 'wrong-code' });
    // The mail alone: the mail share with another lock's server share opens nothing.
    expect(
      await openWithPassword({
        payload,
        password: await derive(envelope.mailShare!, byMethod.get('email')!.serverShare, 'ABC123'),
      }),
    ).toEqual({ ok: false, reason: 'wrong-code' });
  }, 60_000);

  it("names the organisation in the notification: the server's, or the policy's when it names one", async () => {
    const flat = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');
    const fromServer = await handleBeforeSend(host, TAB);
    expect(flat(fromServer.details?.plainTextBody)).toMatch(
      /from Example Org has sent you a secure message\./,
    );
    host.policy = { organisationName: 'Example Health Trust' };
    host.openCompose(TAB + 1, {
      to: ['Bob <bob@partner.example>'],
      subject: 'Again',
      plainTextBody: 'x',
    });
    await setSecure(host, TAB + 1, true);
    const fromPolicy = await handleBeforeSend(host, TAB + 1);
    expect(flat(fromPolicy.details?.plainTextBody)).toMatch(
      /from Example Health Trust has sent you a secure message\./,
    );
  }, 60_000);

  it('cancels with the draft untouched when the server refuses the registration', async () => {
    server.failure = { status: 413, code: 'payload-too-large', message: 'Too large' };
    const before = structuredClone(host.tabs.get(TAB)!.details);
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.tabs.get(TAB)!.details).toEqual(before);
    expect(host.tabs.get(TAB)!.attachments.map((attachment) => attachment.name)).toEqual([
      'draft.pdf',
    ]);
    expect(await host.session.get('problem:9')).toEqual({
      reason: 'server-refused',
      message: 'problemServerRefused|serverErrorTooLarge',
    });
    expect(host.panelsOpened).toEqual([TAB]);
  });

  it('registers without the hosted copy when the payload is over the server limit', async () => {
    server.maxPayloadCharacters = 10;
    const result = await handleBeforeSend(host, TAB);
    expect(result.cancel).toBeUndefined();
    const registered = [...server.messages.values()].map((message) => message.request);
    expect(registered.map((request) => request.payload)).toEqual([undefined, undefined]);
    expect(registered.map((request) => request.locks.length)).toEqual([2, 1]);
  });

  it('cancels as unreachable when the server is down, and keeps no sent record', async () => {
    server.failure = 'down';
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(await host.session.get('problem:9')).toMatchObject({ reason: 'server-unreachable' });
    expect(host.tabs.get(TAB)!.details.plainTextBody).toBe('The secret clause.');
    expect(await request(host, 'listSentMessages', {})).toEqual({ messages: [] });
  });

  it('revokes the registration when the window cannot be changed afterwards', async () => {
    host.failOn = 'addAttachment';
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    const [registered] = [...server.messages.values()];
    expect(registered?.revokedAt).not.toBeNull();
    expect(host.tabs.get(TAB)!.details.plainTextBody).toBe('The secret clause.');
  });

  it('refuses a too-short code even with a server', async () => {
    await saveRecipientSettings(host.local, 'bob@partner.example', { code: '12-34' });
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(await host.session.get('problem:9')).toMatchObject({
      reason: 'weak-code',
      recipient: 'bob@partner.example',
    });
    expect(server.messages.size).toBe(0);
  });

  it('lists the sent message with its status and revokes it', async () => {
    await handleBeforeSend(host, TAB);
    const { messages } = (await request(host, 'listSentMessages', {})) as {
      messages: { messageId: string; subject: string; recipients: { address: string }[] }[];
    };
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ subject: 'Contract' });
    expect(messages[0]?.recipients.map((recipient) => recipient.address).sort()).toEqual([
      'bob@partner.example',
      'carol@hidden.example',
      'dave@mobile.example',
    ]);
    const messageId = messages[0]!.messageId;
    // Read status covers the Bcc recipient's separate mail too.
    const status = (await request(host, 'getMessageStatus', { messageId })) as {
      ok: true;
      value: { messageId: string; revokedAt: string | null; recipients: { address: string }[] };
    };
    expect(status).toMatchObject({ ok: true, value: { messageId, revokedAt: null } });
    expect(status.value.recipients.map((recipient) => recipient.address).sort()).toEqual([
      'bob@partner.example',
      'carol@hidden.example',
      'dave@mobile.example',
    ]);
    const revoked = (await request(host, 'revokeMessage', { messageId })) as {
      ok: boolean;
      value: { revokedAt: string };
    };
    expect(revoked.ok).toBe(true);
    expect(server.messages.get(messageId)?.revokedAt).toBe(revoked.value.revokedAt);
    // Revoking stops every copy of the send, the Bcc recipient's included.
    expect(server.messages.size).toBe(2);
    for (const registered of server.messages.values()) expect(registered.revokedAt).not.toBeNull();
    expect(await request(host, 'getMessageStatus', { messageId })).toMatchObject({
      ok: true,
      value: { revokedAt: revoked.value.revokedAt },
    });
  });

  /** Sends the compose window, then finds Carol (Bcc) in the send's status. */
  async function sendAndFindCarol() {
    await handleBeforeSend(host, TAB);
    const { messages } = (await request(host, 'listSentMessages', {})) as {
      messages: { messageId: string }[];
    };
    const messageId = messages[0]!.messageId;
    const status = (await request(host, 'getMessageStatus', { messageId })) as {
      value: { recipients: { address: string; lockId: string; mailId: string }[] };
    };
    const carol = status.value.recipients.find(
      (entry) => entry.address === 'carol@hidden.example',
    )!;
    return { messageId, carol };
  }

  it("unlocks a locked-out recipient in the mail that holds the lock, a Bcc recipient's own included", async () => {
    const { messageId, carol } = await sendAndFindCarol();
    // Carol's lock is in her own mail, not in the To/Cc one.
    expect(carol.mailId).not.toBe(messageId);
    expect(
      await request(host, 'unlockRecipient', {
        messageId,
        mailId: carol.mailId,
        lockId: carol.lockId,
      }),
    ).toEqual({ ok: true, value: { unlocked: true } });
    expect(server.unlocked).toEqual([`${carol.mailId}/${carol.lockId}`]);
    // A mail that is not part of this send is refused before anything reaches the server.
    expect(
      await request(host, 'unlockRecipient', {
        messageId,
        mailId: '00000000-0000-4000-8000-000000000000',
        lockId: carol.lockId,
      }),
    ).toMatchObject({ ok: false, code: 'not-configured' });
    expect(server.unlocked).toHaveLength(1);
  });

  it('gives an SMS recipient a new number on the mail that holds their lock', async () => {
    const { messageId, carol } = await sendAndFindCarol();
    expect(
      await request(host, 'changeRecipientPhone', {
        messageId,
        mailId: carol.mailId,
        lockId: carol.lockId,
        phone: '+31612345678',
      }),
    ).toEqual({ ok: true, value: { sentTo: '••• 78' } });
    expect(server.phoneChanges).toEqual([`${carol.mailId}/${carol.lockId}:+31612345678`]);
    expect(
      await request(host, 'changeRecipientPhone', {
        messageId,
        mailId: '00000000-0000-4000-8000-000000000000',
        lockId: carol.lockId,
        phone: '+31612345678',
      }),
    ).toMatchObject({ ok: false, code: 'not-configured' });
    expect(server.phoneChanges).toHaveLength(1);
  });

  it("forgets a recipient's remembered browsers, for recipients of this send only", async () => {
    const { messageId } = await sendAndFindCarol();
    expect(
      await request(host, 'forgetRecipientDevices', { messageId, address: 'carol@hidden.example' }),
    ).toEqual({ ok: true, value: { removed: 2 } });
    expect(server.devicesRemoved).toEqual(['carol@hidden.example']);
    // Someone the sender did not write to with this message is refused before the server.
    expect(
      await request(host, 'forgetRecipientDevices', { messageId, address: 'eve@else.example' }),
    ).toMatchObject({ ok: false, code: 'not-configured' });
    expect(server.devicesRemoved).toHaveLength(1);
  });

  it('cancels the whole send, revoking what was registered, when a Bcc mail is refused', async () => {
    server.refuseRegistration = (registration) =>
      registration.locks.some((lock) => lock.address === 'carol@hidden.example');
    const before = structuredClone(host.tabs.get(TAB)!.details);
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(host.tabs.get(TAB)!.details).toEqual(before);
    const [main] = [...server.messages.values()];
    expect(main?.request.locks.map((lock) => lock.address)).toEqual([
      'bob@partner.example',
      'dave@mobile.example',
    ]);
    expect(main?.revokedAt).not.toBeNull();
    expect(await request(host, 'listSentMessages', {})).toEqual({ messages: [] });
  });

  it('revokes every mail of the send when the main mail then fails to go out', async () => {
    expect((await handleBeforeSend(host, TAB)).cancel).toBeUndefined();
    await handleAfterSend(host, TAB, true);
    expect(server.messages.size).toBe(2);
    for (const registered of server.messages.values()) expect(registered.revokedAt).not.toBeNull();
  });

  it('tells the server the sent mail’s Message-ID (for threading replies), and its language', async () => {
    expect((await handleBeforeSend(host, TAB)).cancel).toBeUndefined();
    const { envelope } = await sealedEnvelope(host);
    await handleAfterSend(host, TAB, false, 'abc.123@example.test');
    expect(server.mailMessageIds.get(envelope.messageId)).toBe('<abc.123@example.test>');
    expect(server.messages.get(envelope.messageId)?.request.senderLanguage).toBe('en');
    // A failed send tells nothing.
    server.mailMessageIds.clear();
    host.openCompose(TAB + 1, { to: ['bob@partner.example'], subject: 'x', plainTextBody: 'y' });
    await setSecure(host, TAB + 1, true);
    expect((await handleBeforeSend(host, TAB + 1)).cancel).toBeUndefined();
    await handleAfterSend(host, TAB + 1, true, 'def@example.test');
    expect(server.mailMessageIds.size).toBe(0);
  });

  it('drops the token and offers no server methods once the server refuses it', async () => {
    server.tokens.clear();
    expect(await handleBeforeSend(host, TAB)).toEqual({ cancel: true });
    expect(await host.session.get('problem:9')).toMatchObject({ reason: 'server-refused' });
    const state = (await request(host, 'getComposeState', { tabId: TAB })) as {
      serverConfigured: boolean;
    };
    expect(state.serverConfigured).toBe(false);
  });
});
