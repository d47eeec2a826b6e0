import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SHORT_REASON_KEYS,
  shortReasonKey,
  unavailableReason,
} from '../../../src/core/methodMenu.ts';
import { VERIFICATION_METHODS } from '../../../src/core/methods.ts';

describe('shortReasonKey', () => {
  it('has a short form, in every language, for every reason a method can be unavailable', () => {
    const reasons = new Set<string>();
    for (const method of VERIFICATION_METHODS) {
      for (const context of [
        { serverConfigured: false },
        { serverConfigured: false, serverKnown: true },
        { serverConfigured: true, allowedMethods: [] },
      ]) {
        const reason = unavailableReason(method, context);
        if (reason) reasons.add(reason);
      }
    }
    expect([...reasons].sort()).toEqual(Object.keys(SHORT_REASON_KEYS).sort());
    for (const language of ['en', 'de', 'nl']) {
      const catalog = JSON.parse(
        readFileSync(
          join(import.meta.dirname, '../../../extension/_locales', language, 'messages.json'),
          'utf8',
        ),
      ) as Record<string, { message: string }>;
      for (const reason of reasons) {
        const short = catalog[shortReasonKey(reason)]?.message ?? '';
        expect(short, `${language}:${reason}`).not.toBe('');
        // Short enough to follow a method's name in a narrow menu.
        expect(short.length, `${language}:${reason}`).toBeLessThanOrEqual(24);
        expect(short.length).toBeLessThan(catalog[reason]!.message.length);
      }
    }
  });

  it('keeps a reason without a short form as it is', () => {
    expect(shortReasonKey('someOtherReason')).toBe('someOtherReason');
  });
});
