/**
 * A setting's control on the options page while the sender edits it: the draft it starts from
 * (the value in force) and the `saveSettings` change it becomes, or why it cannot be saved.
 * Plain data, unit-tested with the rows (./settingsRows.ts).
 */
import {
  NOTIFICATION_LANGUAGES,
  isNotificationLanguage,
  type NotificationLanguage,
} from '../core/languages.ts';
import { isVerificationMethod } from '../core/methods.ts';
import { EXPIRY_DAYS_RANGE, type UserKey, type UserSettingsChanges } from '../core/policy.ts';
import type { SettingsView } from '../messaging/protocol.ts';

/**
 * What the sender is typing or ticking in a key's control, before it is saved. One flat shape
 * for every control so the component can bind to it: `checked` (checkbox), `choice` (selects;
 * `""` is "none"), `days` (the number field as typed), `languages` (checkboxes).
 */
export interface SettingDraft {
  checked: boolean;
  choice: string;
  days: string;
  languages: NotificationLanguage[];
}

/** The draft a control starts from: the value in force. */
export function draftFor(key: UserKey, view: SettingsView): SettingDraft {
  const effective = view.effective;
  const draft: SettingDraft = {
    checked: effective.secureByDefault.value ?? false,
    choice: '',
    days: String(effective.expiryDays.value ?? ''),
    languages: [...(effective.languages.value ?? NOTIFICATION_LANGUAGES)],
  };
  if (key === 'defaultMethod') draft.choice = effective.defaultMethod.value ?? '';
  if (key === 'subject') draft.choice = effective.subject.value ?? 'keep';
  if (key === 'defaultLanguage') draft.choice = effective.defaultLanguage.value ?? '';
  return draft;
}

/** A draft that cannot be saved: the `_locales` message saying why, with its substitutions. */
export interface DraftError {
  messageKey: string;
  substitutions: string[];
}

/**
 * The `saveSettings` change for a key's control, or why it cannot be saved. "None" in the
 * method and language selects is `null` (back to the default: there is no stored "none").
 */
export function changesFromDraft(
  key: UserKey,
  draft: SettingDraft,
): { ok: true; changes: UserSettingsChanges } | { ok: false; error: DraftError } {
  const invalidChoice = {
    ok: false as const,
    error: { messageKey: 'optionsSettingChoiceInvalid', substitutions: [] },
  };
  switch (key) {
    case 'secureByDefault':
      return { ok: true, changes: { secureByDefault: draft.checked } };
    case 'defaultMethod':
      if (draft.choice === '') return { ok: true, changes: { defaultMethod: null } };
      return isVerificationMethod(draft.choice)
        ? { ok: true, changes: { defaultMethod: draft.choice } }
        : invalidChoice;
    case 'expiryDays': {
      const text = draft.days.trim();
      const days = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
      const { minimum, maximum } = EXPIRY_DAYS_RANGE;
      if (!(days >= minimum && days <= maximum)) {
        return {
          ok: false,
          error: {
            messageKey: 'optionsSettingDaysInvalid',
            substitutions: [String(minimum), String(maximum)],
          },
        };
      }
      return { ok: true, changes: { expiryDays: days } };
    }
    case 'subject':
      return draft.choice === 'keep' || draft.choice === 'neutral'
        ? { ok: true, changes: { subject: draft.choice } }
        : invalidChoice;
    case 'languages': {
      // In the usual order, whatever order they were ticked in; each once.
      const languages = NOTIFICATION_LANGUAGES.filter((language) =>
        draft.languages.includes(language),
      );
      if (languages.length === 0) {
        return {
          ok: false,
          error: { messageKey: 'optionsSettingLanguagesEmpty', substitutions: [] },
        };
      }
      return { ok: true, changes: { languages } };
    }
    case 'defaultLanguage':
      if (draft.choice === '') return { ok: true, changes: { defaultLanguage: null } };
      return isNotificationLanguage(draft.choice)
        ? { ok: true, changes: { defaultLanguage: draft.choice } }
        : invalidChoice;
  }
}
