import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecipientSettings } from '../../../src/core/recipientSettings.ts';
import { methodChoices } from '../../../src/options/recipientList.ts';

const stored = (method?: RecipientSettings['method']): RecipientSettings => ({
  address: 'bob@partner.example',
  updatedAt: '2026-11-27T09:00:00.000Z',
  ...(method ? { method } : {}),
});

describe('remembered recipients under the organisation’s policy', () => {
  it('offers only the allowed methods', () => {
    const choices = methodChoices(stored(), true, { allowedMethods: ['sms', 'code'] });
    expect(choices.map((choice) => [choice.value, choice.disabled])).toEqual([
      ['sms', false],
      ['code', false],
    ]);
  });

  it('keeps a remembered method that is no longer allowed visible, disabled, with the reason', () => {
    const choices = methodChoices(stored('email'), true, { allowedMethods: ['sms', 'code'] });
    expect(choices.map((choice) => choice.value)).toEqual(['sms', 'code', 'email']);
    expect(choices.find((choice) => choice.value === 'email')).toMatchObject({
      disabled: true,
      disabledReasonKey: 'optionsMethodNotAllowed',
      warningKey: 'warningEmailWeak',
    });
  });

  it('asks to sign in, rather than for a server, when a server is set but nobody is signed in', () => {
    const known = methodChoices(stored(), false, { serverKnown: true });
    const unknown = methodChoices(stored(), false, {});
    for (const method of ['sms', 'org-code', 'email'] as const) {
      expect(
        known.find((choice) => choice.value === method),
        method,
      ).toMatchObject({
        disabled: true,
        disabledReasonKey: 'reasonSignInToServer',
      });
      expect(unknown.find((choice) => choice.value === method)?.disabledReasonKey).toBe(
        'reasonNeedsServer',
      );
    }
    expect(known.find((choice) => choice.value === 'code')?.disabled).toBe(false);
  });

  it('has the reasons in every language', () => {
    const root = join(import.meta.dirname, '../../..');
    for (const language of ['en', 'de', 'nl']) {
      const catalog = JSON.parse(
        readFileSync(join(root, 'extension/_locales', language, 'messages.json'), 'utf8'),
      ) as Record<string, { message: string }>;
      for (const key of ['optionsMethodNotAllowed', 'reasonSignInToServer', 'reasonNeedsServer']) {
        expect(catalog[key]?.message.trim() ?? '', `${language}:${key}`).not.toBe('');
      }
    }
  });
});
