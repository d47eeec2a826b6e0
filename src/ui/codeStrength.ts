/**
 * How the access code field shows a code's strength. The judgement itself is
 * `assessAccessCode` (src/core/accessCode.ts); this only turns it into one of four levels.
 */
export type StrengthLevel = 'empty' | 'weak' | 'fair' | 'strong';

/** The part of an access code assessment the indicator needs. */
export interface StrengthAssessment {
  /** Meets the minimum for sealing; anything else cancels the send. */
  strongEnough: boolean;
  /** zxcvbn-style score, 0 (trivial) to 4 (very hard to guess). */
  score: number;
}

/**
 * "strong" exactly when the code is strong enough to seal with, so the indicator never praises
 * a code that the send would refuse. Below that, "fair" from zxcvbn score 3 (about 10^8
 * guesses: getting there, still refused), else "weak".
 */
export function strengthLevel(code: string, assessment: StrengthAssessment | null): StrengthLevel {
  if (code === '' || assessment === null) return 'empty';
  if (assessment.strongEnough) return 'strong';
  return assessment.score >= 3 ? 'fair' : 'weak';
}

/** Position on the `<meter>` (0–3). */
export const STRENGTH_METER_VALUE: Readonly<Record<StrengthLevel, number>> = {
  empty: 0,
  weak: 1,
  fair: 2,
  strong: 3,
};

/** `_locales` message of each level's label. */
export const STRENGTH_LABEL_KEYS: Readonly<Record<StrengthLevel, string>> = {
  empty: 'codeStrengthEmpty',
  weak: 'codeStrengthWeak',
  fair: 'codeStrengthFair',
  strong: 'codeStrengthStrong',
};
