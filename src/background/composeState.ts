import { normaliseAddress, parseMailbox, type Mailbox } from '../core/address.ts';
import { languageFromLocale, type NotificationLanguage } from '../core/languages.ts';
import { buildMethodMenu } from '../core/methodMenuBuilder.ts';
import {
  MANAGED_DEFAULTS,
  allowedMenuEntries,
  defaultNotificationLanguage,
  recipientSettingsUnderPolicy,
  secureRequirementFor,
  type SecureRequirement,
} from '../core/policy.ts';
import { countryFromLocale, effectiveSettings } from '../core/recipientDirectory.ts';
import { classifyRecipients, type Recipient } from '../core/recipients.ts';
import type { RecipientSettings } from '../core/recipientSettings.ts';
import type { KnownKey } from '../core/decideSend.ts';
import type { ComposeState, PublicKeyEntry, RecipientView } from '../messaging/protocol.ts';
import type { DirectoryEntry } from '../core/serverApi.ts';
import { gatherRecipients } from './gatherRecipients.ts';
import type { ComposeSnapshot, Host } from '../platform/host.ts';
import { deliveryViews } from './deliveryView.ts';
import { draftNotice } from './draftGuard.ts';
import { currentProblem } from './problems.ts';
import { isLookingUp, knownKey, refreshKeys, testWkdBase } from './recipientKeys.ts';
import { getRecipientSettings } from './recipientStore.ts';
import { sealedCopyRecord } from './sealedCopies.ts';
import { loadSettings, type PolicyContext } from './policySettings.ts';
import { isSecure, setSecure } from './secureMode.ts';
import { subjectFor } from './subjectChoice.ts';
import {
  directoryEntries,
  organisationNameInForce,
  serverState,
  type ServerConnection,
} from './serverSettings.ts';

export interface ResolvedCompose {
  details: ComposeSnapshot;
  sender: Mailbox | null;
  recipients: Recipient[];
  unresolved: string[];
  /** What counts per recipient: the sender's choice, else a colleague's from the directory. */
  settingsByAddress: Map<string, RecipientSettings>;
  /** The configured server (URL and token), or null. */
  server: ServerConnection | null;
  directoryByAddress: Map<string, DirectoryEntry>;
  /** The settings in force (policy, sender, defaults). */
  policy: PolicyContext;
  /** `enforceSecureFor` applies to this message; null when it does not. */
  secureRequired: SecureRequirement | null;
  /** Notification language for recipients without one of their own. */
  defaultLanguage: NotificationLanguage;
  /** A server address is set (policy or options) but nobody is signed in to it. */
  serverNotSignedIn: boolean;
  /** Usable public keys by address, from the cache (lookups run in the background). */
  keysByAddress: Map<string, KnownKey & { entry: PublicKeyEntry }>;
}

interface ComposeRecipients {
  details: ComposeSnapshot;
  sender: Mailbox | null;
  recipients: Recipient[];
  unresolved: string[];
  secureRequired: SecureRequirement | null;
}

/** The compose tab's recipients, classified, and whether the policy requires secure mode. */
async function readRecipients(
  host: Host,
  tabId: number,
  effective: PolicyContext['effective'],
): Promise<ComposeRecipients> {
  const details = await host.getComposeDetails(tabId);
  const sender = parseMailbox(details.from);
  const gathered = await gatherRecipients(host, details);
  const recipients = sender
    ? classifyRecipients(gathered.recipients, sender, effective.internalDomains.value)
    : [];
  // Without a sender nothing is classified, yet the requirement still sees every recipient;
  // with "all", entries that are no address (an unknown list) are recipients too.
  const setting = effective.enforceSecureFor.value;
  const checked = [
    ...(sender
      ? recipients
      : gathered.recipients.map((recipient) => ({
          address: normaliseAddress(recipient.address),
          isSender: false,
        }))),
    ...(setting === 'all'
      ? gathered.unresolved.map((entry) => ({ address: entry, isSender: false }))
      : []),
  ];
  return {
    details,
    sender,
    recipients,
    unresolved: gathered.unresolved,
    secureRequired: secureRequirementFor(checked, setting),
  };
}

/**
 * Whether the policy requires secure mode for what the compose tab holds now. Reads the tab
 * only when `enforceSecureFor` is set, so without a policy nothing changes.
 */
export async function secureRequirement(
  host: Host,
  tabId: number,
  policy: PolicyContext,
): Promise<SecureRequirement | null> {
  const setting = policy.effective.enforceSecureFor.value;
  if (setting === undefined || (setting !== 'all' && setting.length === 0)) return null;
  return (await readRecipients(host, tabId, policy.effective)).secureRequired;
}

/** Everything the panel and the seal need about one compose tab, read once. */
export async function resolveCompose(
  host: Host,
  tabId: number,
  /** The settings in force, when the caller has read them already. */
  settings?: PolicyContext,
): Promise<ResolvedCompose> {
  const policy = settings ?? (await loadSettings(host));
  const { effective } = policy;
  const { details, sender, recipients, unresolved, secureRequired } = await readRecipients(
    host,
    tabId,
    effective,
  );
  const { url: serverUrl, connection: server } = await serverState(host, policy);
  const serverNotSignedIn = server === null && serverUrl !== null;
  const directoryByAddress = server
    ? await directoryEntries(
        host,
        server,
        recipients.filter((recipient) => !recipient.isSender).map((recipient) => recipient.address),
      )
    : new Map<string, DirectoryEntry>();
  const others = recipients.filter((recipient) => !recipient.isSender);
  // Never awaited: the panel and the send read the cache; a lookup shows up at the next poll.
  void refreshKeys(
    host,
    others.map((recipient) => recipient.address),
    { server, wkdBase: await testWkdBase(host) },
  ).catch((error: unknown) => console.warn('Sealpost: key lookup failed', error));
  const keysByAddress = new Map<string, KnownKey & { entry: PublicKeyEntry }>();
  const settingsByAddress = new Map<string, RecipientSettings>();
  for (const recipient of recipients) {
    const key = recipient.isSender ? null : await knownKey(host, recipient.address);
    if (key) keysByAddress.set(recipient.address, key);
    const local = await getRecipientSettings(host.local, recipient.address);
    const settings = recipientSettingsUnderPolicy(
      effectiveSettings(recipient.address, local, directoryByAddress.get(recipient.address)),
      recipient,
      {
        allowedMethods: effective.allowedMethods.value,
        defaultMethod: effective.defaultMethod.value,
        languages: effective.languages.value,
      },
      key !== null,
    );
    if (settings) settingsByAddress.set(recipient.address, settings);
  }
  return {
    details,
    sender,
    recipients,
    unresolved,
    settingsByAddress,
    server,
    directoryByAddress,
    policy,
    secureRequired,
    serverNotSignedIn,
    keysByAddress,
    defaultLanguage: defaultNotificationLanguage(effective, languageFromLocale(host.uiLocale())),
  };
}

/** The popup's view of a compose tab. */
export async function getComposeState(host: Host, tabId: number): Promise<ComposeState> {
  const resolved = await resolveCompose(host, tabId);
  const sealedCopy = await sealedCopyRecord(host, tabId);
  const uiLanguage = languageFromLocale(host.uiLocale());
  const serverConfigured = resolved.server !== null;
  const { effective } = resolved.policy;
  // A recipient the policy enforces secure mode for was added while it was off: it goes on
  // now, so the panel (and the button) never show "off" for a message that cannot go so.
  let secure = await isSecure(host, tabId, resolved.policy);
  if (!secure && resolved.secureRequired) secure = await setSecure(host, tabId, true);
  const views: RecipientView[] = resolved.recipients
    .filter((recipient) => !recipient.isSender)
    .map((recipient) => {
      const settings = resolved.settingsByAddress.get(recipient.address) ?? null;
      const directory = resolved.directoryByAddress.get(recipient.address);
      const key = resolved.keysByAddress.get(recipient.address);
      const view: RecipientView = {
        address: recipient.address,
        name: recipient.name,
        field: recipient.field,
        internal: recipient.internal,
        settings,
        language: settings?.language ?? resolved.defaultLanguage,
        menu: allowedMenuEntries(
          buildMethodMenu({
            settings,
            serverConfigured,
            serverKnown: resolved.serverNotSignedIn,
            keyKnown: key !== undefined,
            ...(directory ? { directory } : {}),
          }),
          effective.allowedMethods.value,
        ),
      };
      if (directory) view.directory = directory;
      if (recipient.list !== undefined) view.list = recipient.list;
      if (key) view.key = key.entry;
      if (key && settings?.keyFingerprint && settings.keyFingerprint !== key.fingerprint) {
        view.previousFingerprint = settings.keyFingerprint;
      }
      if (isLookingUp(recipient.address)) view.lookingUpKey = true;
      return view;
    });
  return {
    tabId,
    secure,
    sender: resolved.sender,
    recipients: views,
    uiLanguage,
    serverConfigured,
    problem: await currentProblem(host, tabId),
    defaultCountry: countryFromLocale(host.uiLocale()),
    secureRequired: resolved.secureRequired,
    organisationName: organisationNameInForce(resolved.policy, resolved.server),
    languages: [...(effective.languages.value ?? [])],
    serverSignInNeeded: resolved.serverNotSignedIn,
    minimumCodeStrength:
      effective.minimumCodeStrength.value ?? MANAGED_DEFAULTS.minimumCodeStrength,
    sealedCopy: sealedCopy ? { address: sealedCopy.address, error: sealedCopy.error } : null,
    draftNotice: await draftNotice(host, tabId),
    subject: secure && !sealedCopy ? await subjectFor(host, tabId, resolved.policy) : null,
    ...(secure && !sealedCopy
      ? await deliveryViews(host, tabId, resolved)
      : { mailSizeWarning: null, delivery: null }),
  };
}
