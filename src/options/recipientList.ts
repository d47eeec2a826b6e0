import type { VerificationMethod } from '../core/methods.ts';
import { needsServer } from '../core/methods.ts';
import type { RecipientSettings } from '../core/recipientSettings.ts';

/** From this many remembered recipients on, the options page offers a search box. */
export const SEARCH_THRESHOLD = 8;

/**
 * The remembered recipients matching a search (case-insensitive, on address and phone), sorted
 * by address so the list does not jump around as entries change.
 */
export function filterRecipients(
  recipients: readonly RecipientSettings[],
  query: string,
): RecipientSettings[] {
  const needle = query.trim().toLowerCase();
  return recipients
    .filter(
      (recipient) =>
        needle === '' ||
        recipient.address.toLowerCase().includes(needle) ||
        (recipient.phone ?? '').includes(needle),
    )
    .sort((left, right) => left.address.localeCompare(right.address));
}

/** A stored code as shown until the sender asks to see it: fixed length, so it hides the length too. */
export function maskCode(code: string | undefined): string {
  return code ? '••••••••' : '';
}

/** One choice of the options page's method menu. */
export interface MethodChoice {
  value: VerificationMethod;
  labelKey: string;
  disabled: boolean;
  /** `_locales` message of why it cannot be chosen. */
  disabledReasonKey?: string;
  /** `_locales` message of a warning shown when chosen. */
  warningKey?: string;
}

const METHOD_LABEL_KEYS: Readonly<Record<VerificationMethod, string>> = {
  account: 'optionsMethodAccount',
  sms: 'optionsMethodSms',
  'org-code': 'optionsMethodOrgCode',
  code: 'optionsMethodCode',
  email: 'optionsMethodEmail',
};

/** `_locales` message naming a method in the list of remembered recipients. */
export function methodLabelKey(method: VerificationMethod): string {
  return METHOD_LABEL_KEYS[method];
}

/** What the organisation's policy and the server change about the method choices. */
export interface MethodChoiceContext {
  /** A server address is set (by the policy or the sender), though nobody may be signed in. */
  serverKnown?: boolean;
  /** The methods the policy allows (`allowedMethods` in force); undefined = all. */
  allowedMethods?: readonly VerificationMethod[] | undefined;
}

/**
 * The methods a remembered recipient can be switched to, in the guide's order.
 * `account` needs a known key, which only the compose panel finds, so it is listed only when
 * already chosen; server methods are disabled with the reason while no server is configured
 * (sign in, when a server is set but nobody is signed in). Methods the policy does not allow
 * are left out, except the current one, which stays visible, disabled, with the reason.
 */
export function methodChoices(
  settings: RecipientSettings,
  serverConfigured: boolean,
  context: MethodChoiceContext = {},
): MethodChoice[] {
  const methods: VerificationMethod[] = ['sms', 'org-code', 'code', 'email'];
  if (settings.method === 'account') methods.unshift('account');
  const allowed = context.allowedMethods;
  return methods
    .filter((method) => !allowed || allowed.includes(method) || method === settings.method)
    .map((method) => {
      const choice: MethodChoice = {
        value: method,
        labelKey: METHOD_LABEL_KEYS[method],
        disabled: false,
      };
      if (allowed && !allowed.includes(method)) {
        choice.disabledReasonKey = 'optionsMethodNotAllowed';
      } else if (needsServer(method) && !serverConfigured) {
        choice.disabledReasonKey = context.serverKnown
          ? 'reasonSignInToServer'
          : 'reasonNeedsServer';
      }
      choice.disabled = choice.disabledReasonKey !== undefined;
      if (method === 'email') choice.warningKey = 'warningEmailWeak';
      return choice;
    });
}

/** Shows an ISO time in the UI locale; an unreadable value is shown as stored. */
export function formatUpdatedAt(updatedAt: string, locale: string): string {
  const date = new Date(updatedAt);
  if (Number.isNaN(date.getTime())) return updatedAt;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
      date,
    );
  } catch {
    return date.toISOString();
  }
}
