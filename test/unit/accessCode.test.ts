import { describe, expect, it } from 'vitest';
import {
  ACCESS_CODE_ALPHABET,
  DEFAULT_MINIMUM_GUESSES_LOG10,
  assessAccessCode,
  generateAccessCode,
  normaliseAccessCode,
  passwordForCode,
} from '../../src/core/accessCode.ts';

describe('normaliseAccessCode / passwordForCode', () => {
  it('drops whitespace and dashes, upper-cases, and applies NFKC', () => {
    expect(normaliseAccessCode(' k7qm-x2pa 9fht\t3wbn\n')).toBe('K7QMX2PA9FHT3WBN');
    expect(normaliseAccessCode('ｋ７ｑｍ－Ｘ２ＰＡ')).toBe('K7QMX2PA'); // full-width forms
    expect(normaliseAccessCode('ﬁne\u00a0code')).toBe('FINECODE'); // ligature, no-break space
    expect(normaliseAccessCode('e\u0301t\u00e9')).toBe('ÉTÉ'); // decomposed and composed é agree
    expect(normaliseAccessCode(' - ')).toBe('');
  });

  it('gives the same password for every way of typing a code', () => {
    const expected = passwordForCode('K7QM-X2PA-9FHT-3WBN');
    for (const typed of [
      'k7qmx2pa9fht3wbn',
      'K7QM X2PA 9FHT 3WBN',
      'ｋ７ｑｍ-ｘ２ｐａ-９ｆｈｔ-３ｗｂｎ',
    ]) {
      expect(passwordForCode(typed)).toBe(expected);
    }
    expect(passwordForCode('K7QM-X2PA-9FHT-3WBM')).not.toBe(expected);
  });
});

describe('generateAccessCode', () => {
  it('writes five groups of four Crockford base32 symbols (100 bits)', () => {
    const code = generateAccessCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(normaliseAccessCode(code)).toHaveLength(20);
    expect(20 * Math.log2(ACCESS_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(100);
    expect(ACCESS_CODE_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('maps random bytes to symbols with the low five bits', () => {
    const bytes = Uint8Array.from({ length: 20 }, (_, index) => index * 33); // low bits: 0,1,2,…
    expect(generateAccessCode(() => bytes)).toBe('0123-4567-89AB-CDEF-GHJK');
    expect(generateAccessCode(() => new Uint8Array(20).fill(0xff))).toBe(
      'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ',
    );
    expect(() => generateAccessCode(() => new Uint8Array(5))).toThrow();
  });

  it('is a fixed point of normalisation and differs each time', () => {
    const codes = new Set(Array.from({ length: 50 }, () => generateAccessCode()));
    expect(codes.size).toBe(50);
    for (const code of codes)
      expect(passwordForCode(passwordForCode(code))).toBe(passwordForCode(code));
  });
});

describe('assessAccessCode', () => {
  it('scores an empty code 0 and not strong', () => {
    expect(assessAccessCode('')).toEqual({ score: 0, guessesLog10: 0, strongEnough: false });
    expect(assessAccessCode(' - ')).toEqual({ score: 0, guessesLog10: 0, strongEnough: false });
  });

  it('refuses common and patterned codes under the default minimum', () => {
    for (const weak of [
      'password',
      'Sommer2024!',
      'qwertyuiopasdfgh',
      'abcdefghijklmnop',
      '1234-5678-1234',
    ]) {
      const strength = assessAccessCode(weak);
      expect(strength.strongEnough, weak).toBe(false);
      expect(strength.guessesLog10, weak).toBeLessThan(DEFAULT_MINIMUM_GUESSES_LOG10);
    }
  });

  it('accepts generated codes with score 4', () => {
    for (let index = 0; index < 5; index++) {
      const strength = assessAccessCode(generateAccessCode());
      expect(strength.score).toBe(4);
      expect(strength.strongEnough).toBe(true);
      expect(strength.guessesLog10).toBeGreaterThanOrEqual(18);
    }
  });

  it('honours the minimum it is given', () => {
    const code = 'Tr4v-9Qx2-Mk';
    const { guessesLog10 } = assessAccessCode(code);
    expect(assessAccessCode(code, guessesLog10 - 0.5).strongEnough).toBe(true);
    expect(assessAccessCode(code, guessesLog10 + 0.5).strongEnough).toBe(false);
    expect(DEFAULT_MINIMUM_GUESSES_LOG10).toBeGreaterThanOrEqual(12);
  });
});
