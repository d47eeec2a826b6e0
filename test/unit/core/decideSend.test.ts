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
    const passwords = decision.locks.map((lock) => ('password' in lock ? lock.password : null));
    expect(passwords[0]).not.toBe(passwords[1]);
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

describe('decideSend with method account', () => {
  const BOB_KEY = {
    fingerprint: 'A'.repeat(64),
    publicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----bob',
  };
  const HIDDEN_KEY = {
    fingerprint: 'B'.repeat(40),
    publicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----h',
  };
  const accountSettings = (pinned?: string): RecipientSettings[] => [
    {
      address: 'bob@partner.example',
      method: 'account',
      language: 'nl',
      updatedAt: now,
      ...(pinned ? { keyFingerprint: pinned } : {}),
    },
    { address: 'hidden@other.example', method: 'account', updatedAt: now },
  ];
  const keys = new Map([
    ['bob@partner.example', BOB_KEY],
    ['hidden@other.example', HIDDEN_KEY],
  ]);

  for (const serverConfigured of [false, true]) {
    it(`seals to each known key, the Bcc one without a hint (server: ${serverConfigured})`, () => {
      const decision = decideSend(
        input({ settings: accountSettings(), keysByAddress: keys, serverConfigured }),
      );
      expect(decision.action).toBe('seal');
      if (decision.action !== 'seal') return;
      expect(decision.serverLocks).toEqual([]);
      expect(decision.locks).toEqual([
        {
          address: 'bob@partner.example',
          field: 'to',
          method: 'account',
          publicKey: BOB_KEY.publicKey,
          fingerprint: BOB_KEY.fingerprint,
          language: 'nl',
          hint: 'b•••@partner.example',
        },
        {
          address: 'hidden@other.example',
          field: 'bcc',
          method: 'account',
          publicKey: HIDDEN_KEY.publicKey,
          fingerprint: HIDDEN_KEY.fingerprint,
          language: 'en',
        },
      ]);
    });
  }

  it('cancels when no key is known for the address', () => {
    expect(
      decideSend(
        input({
          settings: accountSettings(),
          keysByAddress: new Map([['bob@partner.example', BOB_KEY]]),
        }),
      ),
    ).toEqual({ action: 'cancel', reason: 'no-key', recipient: 'hidden@other.example' });
  });

  it('seals to the key used last time, and blocks a different one until the sender confirms it', () => {
    expect(
      decideSend(input({ settings: accountSettings(BOB_KEY.fingerprint), keysByAddress: keys }))
        .action,
    ).toBe('seal');
    expect(
      decideSend(input({ settings: accountSettings('C'.repeat(64)), keysByAddress: keys })),
    ).toEqual({ action: 'cancel', reason: 'key-changed', recipient: 'bob@partner.example' });
  });

  it('keeps the policy: account not allowed cancels', () => {
    expect(
      decideSend(
        input({ settings: accountSettings(), keysByAddress: keys, allowedMethods: ['code'] }),
      ),
    ).toEqual({ action: 'cancel', reason: 'method-not-allowed', recipient: 'bob@partner.example' });
  });
});
