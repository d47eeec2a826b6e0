import { describe, expect, it } from 'vitest';
import { assessAccessCode, generateAccessCode } from '../../../src/core/accessCode.ts';
import { STRENGTH_LABEL_KEYS, strengthLevel } from '../../../src/ui/codeStrength.ts';

describe('strengthLevel', () => {
  it('is empty without a code', () => {
    expect(strengthLevel('', null)).toBe('empty');
  });

  it('is strong exactly when the code is strong enough to seal with', () => {
    expect(strengthLevel('x', { strongEnough: true, score: 1 })).toBe('strong');
    expect(strengthLevel('x', { strongEnough: false, score: 4 })).toBe('fair');
  });

  it('separates fair from weak by score', () => {
    expect(strengthLevel('x', { strongEnough: false, score: 3 })).toBe('fair');
    expect(strengthLevel('x', { strongEnough: false, score: 2 })).toBe('weak');
  });

  it('rates real codes: generated strong, a word weak', () => {
    const generated = generateAccessCode();
    expect(strengthLevel(generated, assessAccessCode(generated))).toBe('strong');
    expect(strengthLevel('password', assessAccessCode('password'))).toBe('weak');
  });

  it('never calls a code the send would refuse strong', () => {
    for (const code of ['1234', 'summer2024', 'K7QM-X2PA', 'correct horse battery']) {
      const assessment = assessAccessCode(code);
      expect(strengthLevel(code, assessment) === 'strong').toBe(assessment.strongEnough);
    }
  });

  it('has a label for every level', () => {
    expect(Object.keys(STRENGTH_LABEL_KEYS).sort()).toEqual(['empty', 'fair', 'strong', 'weak']);
  });
});
