import { describe, expect, it } from 'vitest';
import { decideSend, type SendInput } from '../../../src/core/decideSend.ts';
import { classifyRecipients } from '../../../src/core/recipients.ts';
import type { RecipientSettings } from '../../../src/core/recipientSettings.ts';

const sender = { name: 'Alice', address: 'alice@example.test' };
const strongCode = 'K7QM-X2PA-9FHT-3WBN-QX4D';
const now = '2026-11-27T00:00:00.000Z';

function input(overrides: Partial<SendInput> & { settings?: RecipientSettings[] } = {}): SendInput {
  const recipients = classifyRecipients(
    [
      { name: 'Bob', address: 'bob@partner.example', field: 'to' },
      { name: '', address: 'hidden@other.example', field: 'bcc' },
    ],
    sender,
  );
  const settings = overrides.settings ?? [
    {
      address: 'bob@partner.example',
      method: 'code',
      code: strongCode,
      language: 'de',
      updatedAt: now,
    },
    { address: 'hidden@other.example', method: 'code', code: `${strongCode}-B`, updatedAt: now },
  ];
  return {
    secure: true,
    sender,
    recipients,
    settingsByAddress: new Map(settings.map((s) => [s.address, s])),
    serverConfigured: false,
    defaultLanguage: 'en',
    ...overrides,
  };
}

describe('decideSend', () => {
  it('passes the message unchanged when secure mode is off', () => {
    expect(decideSend(input({ secure: false, settings: [] }))).toEqual({ action: 'pass' });
  });

  it('plans one lock per recipient with its language, and no hint for Bcc', () => {
    const decision = decideSend(input());
    expect(decision.action).toBe('seal');
    if (decision.action !== 'seal') return;
    expect(decision.locks.map((lock) => [lock.address, lock.language, lock.hint])).toEqual([
      ['bob@partner.example', 'de', 'b•••@partner.example'],
      ['hidden@other.example', 'en', undefined],
    ]);
    expect(decision.languages).toEqual(['de', 'en']);
    expect(decision.locks[0]?.password).not.toBe(decision.locks[1]?.password);
  });

  it('cancels naming the first recipient without a method', () => {
    const decision = decideSend(
      input({
        settings: [
          { address: 'bob@partner.example', method: 'code', code: strongCode, updatedAt: now },
        ],
      }),
    );
    expect(decision).toEqual({
      action: 'cancel',
      reason: 'no-method',
      recipient: 'hidden@other.example',
    });
  });

  it('cancels a method the organisation does not allow, naming the recipient', () => {
    expect(decideSend(input({ allowedMethods: ['sms', 'email'] }))).toEqual({
      action: 'cancel',
      reason: 'method-not-allowed',
      recipient: 'bob@partner.example',
    });
    expect(decideSend(input({ allowedMethods: ['code'] })).action).toBe('seal');
  });

  it('says "sign in" for a server method when a server is set but nobody signed in', () => {
    const settings: RecipientSettings[] = [
      { address: 'bob@partner.example', method: 'email', updatedAt: now },
      { address: 'hidden@other.example', method: 'code', code: strongCode, updatedAt: now },
    ];
    expect(decideSend(input({ settings, serverNotSignedIn: true }))).toEqual({
      action: 'cancel',
      reason: 'not-signed-in',
      recipient: 'bob@partner.example',
    });
    expect(decideSend(input({ settings }))).toMatchObject({ reason: 'method-unavailable' });
  });

  it('cancels on an empty or weak code', () => {
    const settings = (code: string): RecipientSettings[] => [
      { address: 'bob@partner.example', method: 'code', code, updatedAt: now },
      { address: 'hidden@other.example', method: 'code', code: strongCode, updatedAt: now },
    ];
    expect(decideSend(input({ settings: settings('  ') }))).toMatchObject({
      reason: 'empty-code',
      recipient: 'bob@partner.example',
    });
    expect(decideSend(input({ settings: settings('1234') }))).toMatchObject({
      reason: 'weak-code',
      recipient: 'bob@partner.example',
    });
    expect(decideSend(input({ settings: settings('password1') }))).toMatchObject({
      reason: 'weak-code',
    });
  });

  it('cancels a server method while no server is configured', () => {
    const decision = decideSend(
      input({
        settings: [
          { address: 'bob@partner.example', method: 'sms', phone: '+31612345678', updatedAt: now },
          { address: 'hidden@other.example', method: 'code', code: strongCode, updatedAt: now },
        ],
      }),
    );
    expect(decision).toMatchObject({
      action: 'cancel',
      reason: 'method-unavailable',
      recipient: 'bob@partner.example',
    });
  });

  it('cancels without an identity or without recipients', () => {
    expect(decideSend(input({ sender: null }))).toMatchObject({ reason: 'no-identity' });
    expect(decideSend(input({ recipients: [] }))).toMatchObject({ reason: 'no-recipients' });
  });

  it('asks no method of internal recipients, but checks one that is set', () => {
    const recipients = classifyRecipients(
      [
        { name: 'Bob', address: 'bob@partner.example', field: 'to' },
        { name: 'Dana', address: 'dana@example.test', field: 'cc' },
      ],
      sender,
    );
    const bob: RecipientSettings = {
      address: 'bob@partner.example',
      method: 'code',
      code: strongCode,
      updatedAt: now,
    };
    const decision = decideSend(input({ recipients, settings: [bob] }));
    expect(decision).toMatchObject({ action: 'seal', locks: [{ address: 'bob@partner.example' }] });
    const weakDana: RecipientSettings = {
      address: 'dana@example.test',
      method: 'code',
      code: '1234',
      updatedAt: now,
    };
    expect(decideSend(input({ recipients, settings: [bob, weakDana] }))).toMatchObject({
      action: 'cancel',
      reason: 'weak-code',
      recipient: 'dana@example.test',
    });
  });

  it('needs no lock for the sender writing to themself (the sender key opens it)', () => {
    const recipients = classifyRecipients(
      [{ name: '', address: 'Alice@example.test', field: 'to' }],
      sender,
    );
    const decision = decideSend(input({ recipients, settings: [] }));
    expect(decision).toMatchObject({ action: 'seal', locks: [], languages: ['en'] });
  });
});
