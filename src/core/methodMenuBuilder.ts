import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { DirectoryEntry } from './serverApi.ts';
import { unavailableReason, type MenuEntry, type MenuEntryId } from './methodMenu.ts';
import { METHOD_TEXTS, type VerificationMethod } from './methods.ts';
import type { RecipientSettings } from './recipientSettings.ts';

export interface MenuContext {
  settings: RecipientSettings | null;
  serverConfigured: boolean;
  /** A public key is known for this address (directory, WKD or imported). */
  keyKnown: boolean;
  /** The organisation directory's entry for this address (a colleague's number or code). */
  directory?: DirectoryEntry;
  /**
   * A server address is set (by the policy or the sender) but nobody is signed in to it: the
   * server methods then say to sign in, not that there is no server.
   */
  serverKnown?: boolean;
}

/** Masks a phone number for the menu: `+4915112345612` -> `+49 ••• •••• 12`. */
export function maskPhone(e164: string): string {
  const country = parsePhoneNumberFromString(e164)?.countryCallingCode;
  return `${country ? `+${country} ` : ''}••• •••• ${e164.slice(-2)}`;
}

/**
 * The recipient's menu in the guide's order. `account` only when a key is known;
 * "existing" entries only when something is stored; server methods disabled, with the reason,
 * while no server is configured; email verification last, with its warning.
 */
export function buildMethodMenu(context: MenuContext): MenuEntry[] {
  const { settings, serverConfigured, keyKnown, directory } = context;
  const entries: MenuEntry[] = [];
  const add = (
    id: MenuEntryId,
    entry: Omit<MenuEntry, 'id' | 'labelParams'>,
    params: string[] = [],
  ) => entries.push({ id, ...entry, labelParams: params });
  // Only the server decides here: the policy's allowed methods filter the menu elsewhere.
  const availability = (method: VerificationMethod) => {
    const reason = unavailableReason(method, {
      serverConfigured,
      serverKnown: context.serverKnown,
    });
    return reason ? { disabledReasonKey: reason } : {};
  };

  if (keyKnown) add('account', { method: 'account', labelKey: 'methodAccount' });
  add('sms-new', { method: 'sms', labelKey: 'methodSmsNew', ...availability('sms') });
  // A number the sender stored wins over the directory's (it is what they last typed).
  const phone = settings?.phone || directory?.phone;
  if (phone) {
    add(
      'sms-known',
      { method: 'sms', labelKey: 'methodSmsKnown', stores: { phone }, ...availability('sms') },
      [maskPhone(phone)],
    );
  }
  add('org-code-new', {
    method: 'org-code',
    labelKey: 'methodOrgCodeNew',
    ...availability('org-code'),
  });
  // The organisation's code: the one in effect for this recipient, else the directory's, so a
  // colleague's setup appears for everyone (guide: organisation-wide codes are shared).
  const orgCode =
    (settings?.method === 'org-code' && settings.code) || directory?.orgCode || undefined;
  if (orgCode) {
    add(
      'org-code-existing',
      {
        method: 'org-code',
        labelKey: 'methodOrgCodeExisting',
        stores: { code: orgCode },
        ...availability('org-code'),
      },
      [orgCode],
    );
  }
  add('code-new', { method: 'code', labelKey: 'methodCodeNew' });
  if (settings?.method === 'code' && settings.code) {
    add('code-existing', { method: 'code', labelKey: 'methodCodeExisting' }, [settings.code]);
  }
  add('email', {
    method: 'email',
    labelKey: 'methodEmail',
    ...(METHOD_TEXTS.email.warningKey ? { warningKey: METHOD_TEXTS.email.warningKey } : {}),
    ...availability('email'),
  });
  return entries;
}

/** The entry that shows what is stored, so the menu opens on the current choice. */
export function selectedMenuEntry(settings: RecipientSettings | null): MenuEntryId | null {
  switch (settings?.method) {
    case undefined:
      return null;
    case 'account':
      return 'account';
    case 'sms':
      return settings.phone ? 'sms-known' : 'sms-new';
    case 'org-code':
      return settings.code ? 'org-code-existing' : 'org-code-new';
    case 'code':
      return settings.code ? 'code-existing' : 'code-new';
    case 'email':
      return 'email';
  }
}
