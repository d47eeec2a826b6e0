import { buildMethodMenu } from '../../../src/core/methodMenuBuilder.ts';
import { describe, expect, it } from 'vitest';
import type { RecipientSettings } from '../../../src/core/recipientSettings.ts';
import {
  filterRecipients,
  formatUpdatedAt,
  maskCode,
  methodChoices,
} from '../../../src/options/recipientList.ts';

const remembered = (
  address: string,
  changes: Partial<RecipientSettings> = {},
): RecipientSettings => ({
  address,
  updatedAt: '2026-11-27T08:00:00.000Z',
  ...changes,
});

describe('filterRecipients', () => {
  const list = [
    remembered('zoe@b.example'),
    remembered('anna@a.example', { phone: '+31612345678' }),
    remembered('bob@partner.example'),
  ];

  it('sorts by address when there is no query', () => {
    expect(filterRecipients(list, '  ').map((entry) => entry.address)).toEqual([
      'anna@a.example',
      'bob@partner.example',
      'zoe@b.example',
    ]);
  });

  it('matches part of the address, ignoring case, and the phone number', () => {
    expect(filterRecipients(list, 'PARTNER').map((entry) => entry.address)).toEqual([
      'bob@partner.example',
    ]);
    expect(filterRecipients(list, '+3161').map((entry) => entry.address)).toEqual([
      'anna@a.example',
    ]);
    expect(filterRecipients(list, 'nobody')).toEqual([]);
  });
});

describe('maskCode', () => {
  it('hides the code and its length', () => {
    expect(maskCode('K7QM')).toBe(maskCode('K7QM-X2PA-9FHT-3WBN-5RDE'));
    expect(maskCode('K7QM')).not.toContain('K');
    expect(maskCode(undefined)).toBe('');
  });
});

describe('methodChoices', () => {
  it('offers the guide order with server methods disabled and the reason', () => {
    const choices = methodChoices(remembered('a@b.example'), false);
    expect(choices.map((choice) => [choice.value, choice.disabled])).toEqual([
      ['sms', true],
      ['org-code', true],
      ['code', false],
      ['email', true],
    ]);
    expect(choices[0]?.disabledReasonKey).toBe('reasonNeedsServer');
    expect(choices.find((choice) => choice.value === 'email')?.warningKey).toBe('warningEmailWeak');
  });

  it('enables server methods once a server is configured', () => {
    expect(methodChoices(remembered('a@b.example'), true).every((choice) => !choice.disabled)).toBe(
      true,
    );
  });

  it('lists the account method when a key is known or it is the remembered one', () => {
    expect(methodChoices(remembered('a@b.example'), false)[0]?.value).toBe('sms');
    expect(methodChoices(remembered('a@b.example', { method: 'account' }), false)[0]?.value).toBe(
      'account',
    );
    expect(methodChoices(remembered('a@b.example'), false, { keyKnown: true })[0]).toEqual({
      value: 'account',
      labelKey: 'optionsMethodAccount',
      disabled: false,
    });
  });

  it('offers the same methods, in the same order, as the compose panel’s menu', () => {
    const settings = remembered('a@b.example', { method: 'code', code: 'K7QM-X2PA' });
    const panel = buildMethodMenu({ settings, serverConfigured: true, keyKnown: true });
    expect(methodChoices(settings, true, { keyKnown: true }).map((choice) => choice.value)).toEqual(
      [...new Set(panel.map((entry) => entry.method))],
    );
  });
});

describe('formatUpdatedAt', () => {
  it('formats in the given locale', () => {
    const german = formatUpdatedAt('2026-11-27T08:00:00.000Z', 'de');
    expect(german).toContain('2026');
    expect(german).not.toBe(formatUpdatedAt('2026-11-27T08:00:00.000Z', 'en'));
  });

  it('shows an unreadable value as stored', () => {
    expect(formatUpdatedAt('yesterday', 'en')).toBe('yesterday');
  });
});
