import { MIN_PASSPHRASE_LENGTH, type PassphraseProblem } from '../core/senderKeyVault.ts';
import type { PassphraseAnswer } from '../messaging/protocol.ts';

type PassphraseFailure = Extract<PassphraseAnswer, { ok: false }>;
type Reason = PassphraseFailure['reason'] | PassphraseProblem;

/** The `_locales` key for each way a passphrase can be refused (options and sent-copy pages). */
export const PASSPHRASE_PROBLEM_KEYS = {
  'wrong-passphrase': 'passphraseWrong',
  wait: 'passphraseWait',
  'too-short': 'passphraseTooShort',
  mismatch: 'passphraseMismatch',
  'not-protected': 'passphraseNotProtected',
  'already-protected': 'passphraseAlreadyProtected',
} as const satisfies Record<Reason, string>;

/** One sentence saying why the passphrase was refused and what to do. */
export function passphraseProblemText(
  problem: PassphraseFailure | Exclude<Reason, 'wait'>,
  translate: (key: string, substitutions?: readonly string[]) => string,
): string {
  if (typeof problem === 'string') {
    return problem === 'too-short'
      ? translate(PASSPHRASE_PROBLEM_KEYS['too-short'], [String(MIN_PASSPHRASE_LENGTH)])
      : translate(PASSPHRASE_PROBLEM_KEYS[problem]);
  }
  if (problem.reason === 'wait') {
    return translate(PASSPHRASE_PROBLEM_KEYS.wait, [String(problem.retryAfterSeconds)]);
  }
  return passphraseProblemText(problem.reason, translate);
}
