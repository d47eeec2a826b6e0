import { unavailableReason, type MethodAvailability } from '../core/methodMenu.ts';
import { buildMethodMenu } from '../core/methodMenuBuilder.ts';
import { METHOD_TEXTS, type VerificationMethod } from '../core/methods.ts';
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

/** `_locales` message naming a method in the list of remembered recipients. */
export function methodLabelKey(method: VerificationMethod): string {
  return METHOD_TEXTS[method].nameKey;
}

/** What the organisation's policy, the server and the known keys change about the choices. */
export type MethodChoiceContext = Omit<MethodAvailability, 'serverConfigured'> & {
  /** A usable key is known for the address (the options page's list of keys). */
  keyKnown?: boolean;
};

/**
 * The methods a remembered recipient can be switched to: the compose panel's menu
 * (`buildMethodMenu`, one menu for both) with its entries folded into one per method, in the
 * guide's order. `account` while a key is known (or it is already chosen); server methods
 * disabled with the reason while no server is configured (sign in, when a server is set but
 * nobody is signed in). Methods the policy does not allow are left out, except the current one,
 * which stays visible, disabled, with the reason.
 */
export function methodChoices(
  settings: RecipientSettings,
  serverConfigured: boolean,
  context: MethodChoiceContext = {},
): MethodChoice[] {
  const menu = buildMethodMenu({
    settings,
    serverConfigured,
    keyKnown: context.keyKnown === true || settings.method === 'account',
    ...(context.serverKnown === undefined ? {} : { serverKnown: context.serverKnown }),
  });
  const methods = [...new Set(menu.map((entry) => entry.method))];
  const allowed = context.allowedMethods;
  return methods
    .filter((method) => !allowed || allowed.includes(method) || method === settings.method)
    .map((method) => {
      const disabledReasonKey = unavailableReason(method, { ...context, serverConfigured });
      const { nameKey, warningKey } = METHOD_TEXTS[method];
      return {
        value: method,
        labelKey: nameKey,
        disabled: disabledReasonKey !== undefined,
        ...(disabledReasonKey ? { disabledReasonKey } : {}),
        ...(warningKey ? { warningKey } : {}),
      };
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
