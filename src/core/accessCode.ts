import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommonPackage from '@zxcvbn-ts/language-common';
import { normaliseAccessCode } from './accessCodeFormat.ts';

/**
 * How strong an access code is (the sender's side). The code's form, generation and password
 * are in `accessCodeFormat.ts`, which the reader uses without pulling in zxcvbn's dictionaries.
 */
export {
  ACCESS_CODE_ALPHABET,
  GENERATED_CODE_LENGTH,
  generateAccessCode,
  normaliseAccessCode,
  passwordForCode,
} from './accessCodeFormat.ts';

export interface CodeStrength {
  /** zxcvbn score, 0 (too guessable) … 4 (very unguessable). */
  score: 0 | 1 | 2 | 3 | 4;
  /** log10 of zxcvbn's estimate of guesses needed. */
  guessesLog10: number;
  /** guessesLog10 reaches the minimum asked for. */
  strongEnough: boolean;
}

/**
 * Without a server a code lock faces an offline attacker who has the mail and can guess at
 * leisure; only Argon2id (64 MiB, 3 passes) slows each guess. Assuming a well-funded attacker
 * managing 10^5 guesses per second on that setting (a hundred GPUs), 10^14 guesses take about
 * 30 years on average; 10^12 would fall in months. zxcvbn counts an unrecognised random
 * character as 10 guesses, so this asks for about 14 random characters or a long passphrase;
 * generated codes (100 bits) score about 10^20.
 */
export const DEFAULT_MINIMUM_GUESSES_LOG10 = 14;

let zxcvbn: ZxcvbnFactory | undefined;

function strengthEstimator(): ZxcvbnFactory {
  // Built on first use: the dictionaries are large and most callers never assess a code.
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommonPackage.dictionary },
    graphs: zxcvbnCommonPackage.adjacencyGraphs,
  });
  return zxcvbn;
}

/** Estimates how hard the code (as normalised, i.e. as encrypted with) is to guess. */
export function assessAccessCode(
  code: string,
  minimumGuessesLog10: number = DEFAULT_MINIMUM_GUESSES_LOG10,
): CodeStrength {
  const normalised = normaliseAccessCode(code);
  if (normalised.length === 0) return { score: 0, guessesLog10: 0, strongEnough: false };
  const result = strengthEstimator().check(normalised);
  return {
    score: result.score as CodeStrength['score'],
    guessesLog10: result.guessesLog10,
    strongEnough: result.guessesLog10 >= minimumGuessesLog10,
  };
}
