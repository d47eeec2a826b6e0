import type { ComposeState } from '../messaging/protocol.ts';
import type { Translate } from '../ui/recipientRow.ts';

/** Addresses named in full before the rest are counted, so the note stays one readable line. */
const NAMED_RECIPIENTS = 3;

/**
 * Why the secure-mode switch cannot be turned off, in the UI language, or null when it can.
 * Names the organisation (or "Your organisation") and the recipients the policy matched.
 */
export function secureRequiredText(
  state: Pick<ComposeState, 'secureRequired' | 'organisationName'>,
  translate: Translate,
): string | null {
  const required = state.secureRequired;
  if (!required) return null;
  const organisation = state.organisationName ?? translate('popupYourOrganisation');
  if (required.all || required.recipients.length === 0) {
    return translate('popupSecureRequiredAll', [organisation]);
  }
  const named = required.recipients.slice(0, NAMED_RECIPIENTS);
  const rest = required.recipients.length - named.length;
  const list = rest > 0 ? `${named.join(', ')} (+${rest})` : named.join(', ');
  return translate('popupSecureRequired', [organisation, list]);
}
