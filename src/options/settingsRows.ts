/**
 * The options page's "Settings" section as plain data: every managed key with a
 * readable value, where it came from and whether the sender may change it (a control's draft
 * and the change it saves are ./settingDrafts.ts). No Svelte and no browser here, so all
 * of it is unit-tested; the UI strings come through `translate` (`_locales` names).
 */
import { NOTIFICATION_LANGUAGES, type NotificationLanguage } from '../core/languages.ts';
import { VERIFICATION_METHODS, type VerificationMethod } from '../core/methods.ts';
import {
  MANAGED_KEYS,
  editableKeys,
  type ManagedKey,
  type PolicyProblem,
  type SettingSource,
  type UserKey,
} from '../core/policy.ts';
import type { SettingsView } from '../messaging/protocol.ts';
import { LANGUAGE_NAMES } from '../ui/languageNames.ts';
import { methodLabelKey } from './recipientList.ts';

/** Looks up a `_locales` message (`message` of src/platform/thunderbird/i18n.ts in the page). */
export type Translate = (key: string, substitutions?: readonly string[]) => string;

/** The control a sender changes a key with. */
export type ControlKind = 'checkbox' | 'method' | 'days' | 'subject' | 'languages' | 'language';

/** Which control each key the sender may set uses. */
export const CONTROL_KINDS: Readonly<Record<UserKey, ControlKind>> = {
  secureByDefault: 'checkbox',
  defaultMethod: 'method',
  expiryDays: 'days',
  subject: 'subject',
  languages: 'languages',
  defaultLanguage: 'language',
};

/** `_locales` message naming each key on the options page. */
export const SETTING_LABEL_KEYS: Readonly<Record<ManagedKey, string>> = {
  serverUrl: 'optionsSettingServerUrl',
  organisationName: 'optionsSettingOrganisationName',
  internalDomains: 'optionsSettingInternalDomains',
  secureByDefault: 'optionsSettingSecureByDefault',
  enforceSecureFor: 'optionsSettingEnforceSecureFor',
  allowedMethods: 'optionsSettingAllowedMethods',
  defaultMethod: 'optionsSettingDefaultMethod',
  minimumCodeStrength: 'optionsSettingMinimumCodeStrength',
  expiryDays: 'optionsSettingExpiryDays',
  maxMailSizeMB: 'optionsSettingMaxMailSize',
  linkDeliveryAboveMB: 'optionsSettingLinkDeliveryAbove',
  linkOnlyDomains: 'optionsSettingLinkOnlyDomains',
  linkDeliveryAttachment: 'optionsSettingLinkDeliveryAttachment',
  subject: 'optionsSettingSubject',
  languages: 'optionsSettingLanguages',
  defaultLanguage: 'optionsSettingDefaultLanguage',
  lockUserSettings: 'optionsSettingLockUserSettings',
};

const SOURCE_BADGE_KEYS: Readonly<Record<SettingSource, string>> = {
  default: 'optionsSourceDefault',
  user: 'optionsSourceUser',
  organisation: 'optionsSourceOrganisation',
  server: 'optionsSourceServer',
};

/**
 * Every `_locales` message this module looks up, for the test that each exists in every
 * language (the locales test finds only literal `message('…')` calls in components).
 */
export const SETTINGS_MESSAGE_KEYS: readonly string[] = [
  ...Object.values(SETTING_LABEL_KEYS),
  ...Object.values(SOURCE_BADGE_KEYS),
  'optionsSettingLocked',
  'optionsSettingLinkAlways',
  'optionsSettingOrganisationSuggests',
  'optionsSettingNotSet',
  'optionsSettingNoServer',
  'optionsSettingNone',
  'optionsSettingOn',
  'optionsSettingOff',
  'optionsSettingYes',
  'optionsSettingNo',
  'optionsSettingEnforceAll',
  'optionsSettingCodeStrengthValue',
  'optionsSettingDay',
  'optionsSettingMegabytes',
  'optionsSettingDays',
  'optionsSettingSubjectKeep',
  'optionsSettingSubjectNeutral',
  'optionsSettingMethodAsk',
  'optionsSettingLanguageThunderbird',
  'optionsSettingDaysInvalid',
  'optionsSettingLanguagesEmpty',
  'optionsSettingChoiceInvalid',
  // The background's refusals of a change (src/background/policySettings.ts).
  'optionsSettingSaveLocked',
  'optionsSettingSaveInvalid',
  'optionsPolicyManagedBy',
  'optionsPolicyManagedByYours',
  'optionsPolicyWhole',
  'optionsLanguageNotOffered',
  ...VERIFICATION_METHODS.map(methodLabelKey),
];

/** One line of the settings section. */
export interface SettingRow {
  key: ManagedKey;
  label: string;
  /** The value in force, readable (methods and languages by name). */
  valueText: string;
  source: SettingSource;
  locked: boolean;
  /**
   * The badge: where the value came from ("Default", "Yours", "Set by your organisation"); for
   * a locked key the note "Set by your organisation", whatever its source (a locked
   * preselection outside the allowed list falls back to source `default` but stays locked).
   */
  badge: string;
  /** Extra line: the organisation's starting value that the sender may still replace. */
  hint: string | null;
  /** How the sender changes it here, or null when they cannot (not a preference, or locked). */
  control: ControlKind | null;
  /** "Use default" is offered: the sender's own value is in force and can be removed. */
  canUseDefault: boolean;
}

function list(values: readonly string[], translate: Translate): string {
  return values.length === 0 ? translate('optionsSettingNone') : values.join(', ');
}

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** `10¹⁴` for 14: the number of guesses as people read it, not as `1e14`. */
export function powerOfTen(exponent: number): string {
  const digits = String(exponent).replace(/\d/g, (digit) => SUPERSCRIPT_DIGITS[Number(digit)]!);
  return `10${digits.replace('-', '⁻').replace('.', '·')}`;
}

function methodName(method: VerificationMethod, translate: Translate): string {
  return translate(methodLabelKey(method));
}

/** A key's value in force as the options page shows it. */
export function settingValueText(
  key: ManagedKey,
  view: SettingsView,
  translate: Translate,
): string {
  const effective = view.effective;
  switch (key) {
    case 'serverUrl':
      return effective.serverUrl.value ?? translate('optionsSettingNoServer');
    case 'organisationName':
      return effective.organisationName.value ?? translate('optionsSettingNotSet');
    case 'internalDomains':
      return list(effective.internalDomains.value ?? [], translate);
    case 'secureByDefault':
      return translate(effective.secureByDefault.value ? 'optionsSettingOn' : 'optionsSettingOff');
    case 'enforceSecureFor': {
      const value = effective.enforceSecureFor.value ?? [];
      return value === 'all' ? translate('optionsSettingEnforceAll') : list(value, translate);
    }
    case 'allowedMethods':
      return list(
        (effective.allowedMethods.value ?? []).map((method) => methodName(method, translate)),
        translate,
      );
    case 'defaultMethod': {
      const method = effective.defaultMethod.value;
      return method ? methodName(method, translate) : translate('optionsSettingMethodAsk');
    }
    case 'minimumCodeStrength': {
      const strength = effective.minimumCodeStrength.value;
      return strength === undefined
        ? translate('optionsSettingNotSet')
        : translate('optionsSettingCodeStrengthValue', [String(strength), powerOfTen(strength)]);
    }
    case 'expiryDays': {
      const days = effective.expiryDays.value;
      if (days === undefined) return translate('optionsSettingNotSet');
      return translate(days === 1 ? 'optionsSettingDay' : 'optionsSettingDays', [String(days)]);
    }
    case 'maxMailSizeMB': {
      const size = effective.maxMailSizeMB.value;
      return size === undefined
        ? translate('optionsSettingNotSet')
        : translate('optionsSettingMegabytes', [String(size)]);
    }
    case 'linkDeliveryAboveMB': {
      const size = effective.linkDeliveryAboveMB.value;
      if (size === undefined) return translate('optionsSettingNotSet');
      return size === 0
        ? translate('optionsSettingLinkAlways')
        : translate('optionsSettingMegabytes', [String(size)]);
    }
    case 'linkOnlyDomains':
      return list(effective.linkOnlyDomains.value ?? [], translate);
    case 'linkDeliveryAttachment':
      return translate(
        effective.linkDeliveryAttachment.value ? 'optionsSettingYes' : 'optionsSettingNo',
      );
    case 'subject':
      return translate(
        effective.subject.value === 'neutral'
          ? 'optionsSettingSubjectNeutral'
          : 'optionsSettingSubjectKeep',
      );
    case 'languages':
      return list(
        (effective.languages.value ?? []).map((language) => LANGUAGE_NAMES[language]),
        translate,
      );
    case 'defaultLanguage': {
      const language = effective.defaultLanguage.value;
      return language ? LANGUAGE_NAMES[language] : translate('optionsSettingLanguageThunderbird');
    }
    case 'lockUserSettings':
      return translate(effective.lockUserSettings.value ? 'optionsSettingYes' : 'optionsSettingNo');
  }
}

/** Every key of MANAGED_KEYS, in that order, as a row of the settings section. */
export function settingsRows(view: SettingsView, translate: Translate): SettingRow[] {
  const editable = new Set<string>(editableKeys(view.effective));
  return MANAGED_KEYS.map((key) => {
    const { source, locked } = view.effective[key];
    const control = !locked && editable.has(key) ? CONTROL_KINDS[key as UserKey] : null;
    return {
      key,
      label: translate(SETTING_LABEL_KEYS[key]),
      valueText: settingValueText(key, view, translate),
      source,
      locked,
      badge: translate(locked ? 'optionsSettingLocked' : SOURCE_BADGE_KEYS[source]),
      hint:
        control !== null && source === 'organisation'
          ? translate('optionsSettingOrganisationSuggests')
          : null,
      control,
      canUseDefault: control !== null && source === 'user',
    };
  });
}

/** One choice of a method select. */
export interface MethodOption {
  value: VerificationMethod;
  labelKey: string;
}

/** The methods `defaultMethod` may be set to: the allowed ones, in the guide's order. */
export function defaultMethodOptions(view: SettingsView): MethodOption[] {
  const allowed = view.effective.allowedMethods.value ?? VERIFICATION_METHODS;
  return VERIFICATION_METHODS.filter((method) => allowed.includes(method)).map((method) => ({
    value: method,
    labelKey: methodLabelKey(method),
  }));
}

/** One choice of a language select. */
export interface LanguageOption {
  value: NotificationLanguage;
  /** The language's name in itself. */
  name: string;
  /** False for the current choice when it is no longer offered (kept visible, marked). */
  offered: boolean;
}

/**
 * The languages a select offers: those in force (all when unknown), plus the current choice
 * when it is not one of them, so the select still shows what is stored, marked as not offered.
 */
export function languageOptions(
  offered: readonly NotificationLanguage[] | undefined,
  current: NotificationLanguage | undefined,
): LanguageOption[] {
  const available = offered ?? NOTIFICATION_LANGUAGES;
  return NOTIFICATION_LANGUAGES.filter(
    (language) => available.includes(language) || language === current,
  ).map((language) => ({
    value: language,
    name: LANGUAGE_NAMES[language],
    offered: available.includes(language),
  }));
}

/** The line naming who manages this installation, or null without a policy. */
export function managedHeading(view: SettingsView, translate: Translate): string | null {
  if (!view.managed) return null;
  const name = view.effective.organisationName;
  return name.source === 'organisation' && name.value
    ? translate('optionsPolicyManagedBy', [name.value])
    : translate('optionsPolicyManagedByYours');
}

/** A policy problem as the page lists it: "key: message" (the policy as a whole for key ""). */
export function problemText(problem: PolicyProblem, translate: Translate): string {
  const key = problem.key === '' ? translate('optionsPolicyWhole') : problem.key;
  return `${key}: ${problem.message}`;
}
