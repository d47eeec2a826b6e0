import type { NotificationLanguage } from '../core/languages.ts';
import type { RecipientSettings } from '../core/recipientSettings.ts';
import type { AnyEnvelope as Envelope } from '../core/envelope.ts';
import type { MenuEntry } from '../core/methodMenu.ts';
import type {
  EffectiveSettings,
  PolicyProblem,
  SecureRequirement,
  SubjectChoice,
  UserSettingsChanges,
} from '../core/policy.ts';
import type { DirectoryEntry, MessageStatusResponse } from '../core/serverApi.ts';
import type {
  ExportSenderKeysAnswer,
  ImportKeyAnswer,
  KeyProtectionView,
  PassphraseAnswer,
  PublicKeyEntry,
  RestoreSenderKeysAnswer,
} from './keyViews.ts';
import type { SentMessageRecord, ServerAnswer, ServerSettingsView } from './serverViews.ts';

export * from './keyViews.ts';
export * from './serverViews.ts';

/** Which header a recipient came from. */
export type RecipientField = 'to' | 'cc' | 'bcc';

/** One recipient as the panel shows it. */
export interface RecipientView {
  /** Normalised address: the key of everything remembered about this person. */
  address: string;
  /** Display name if the compose field had one. */
  name: string;
  field: RecipientField;
  /** Mailing list the address was expanded from, if any. */
  list?: string;
  /** Same domain as the sender's identity (or an internal domain): needs no verification. */
  internal: boolean;
  settings: RecipientSettings | null;
  /** Language the notification will use: remembered choice, else the UI language. */
  language: NotificationLanguage;
  /** The menu entries for this recipient, strongest first, email verification last. */
  menu: MenuEntry[];
  /** The organisation directory's entry for this address, when a server is configured and has one. */
  directory?: DirectoryEntry;
  /** The usable public key known for this address (method `account`), if any. */
  key?: PublicKeyEntry;
  /**
   * The fingerprint the sender last sealed to (or confirmed) when it is not the key's: the key
   * changed, and the send waits for the sender to confirm the new one.
   */
  previousFingerprint?: string;
  /** A key lookup for this address is under way (server, WKD). */
  lookingUpKey?: boolean;
}

/** Why the last send of a compose tab was cancelled; shown at the top of the panel. */
export interface SendProblem {
  reason:
    | 'no-method'
    | 'empty-code'
    | 'weak-code'
    | 'method-unavailable'
    | 'no-recipients'
    | 'no-identity'
    | 'no-phone'
    | 'no-key'
    | 'key-changed'
    | 'server-unreachable'
    | 'server-refused'
    | 'secure-required'
    | 'method-not-allowed'
    | 'not-signed-in'
    | 'copy-not-sent'
    | 'copy-changed'
    | 'mail-too-large'
    | 'upload-cancelled'
    | 'upload-failed'
    | 'internal';
  /** Address the fix concerns, if one. */
  recipient?: string;
  /** Full sentence in the UI language, naming the recipient and the fix. */
  message: string;
}

/**
 * What became of the last draft Thunderbird saved of this message in secure mode
 * (docs/drafts.md): one sentence in the UI language; `warning` when the sender must act.
 */
export interface DraftNotice {
  tone: 'info' | 'warning';
  message: string;
}

export interface ComposeState {
  tabId: number;
  secure: boolean;
  sender: { name: string; address: string } | null;
  recipients: RecipientView[];
  uiLanguage: NotificationLanguage;
  serverConfigured: boolean;
  problem: SendProblem | null;
  /**
   * Country for phone numbers typed without a country code (ISO 3166 alpha-2), from the UI
   * locale; null when it names none.
   */
  defaultCountry?: string | null;
  /**
   * The organisation's policy requires secure mode for this message (`enforceSecureFor`): the
   * toggle cannot be switched off, and the panel says why. Null when nothing requires it.
   */
  secureRequired: SecureRequirement | null;
  /** The organisation's name from the policy, for "required by …"; null without one. */
  organisationName: string | null;
  /** Notification languages the sender may choose from (policy `languages`). */
  languages: NotificationLanguage[];
  /** log10 of the guesses an access code must need when no server protects it. */
  minimumCodeStrength: number;
  /**
   * A server is set (by the policy or the sender) but nobody is signed in: the panel asks the
   * sender to sign in once on the options page.
   */
  serverSignInNeeded: boolean;
  /**
   * This window holds a Bcc recipient's own sealed mail that Sealpost sends separately: the
   * panel shows who it is for and why it has not gone yet, instead of the recipient list.
   */
  sealedCopy?: { address: string; error: string | null } | null;
  /** The last save of this message as a draft, when Sealpost moved it or could not. */
  draftNotice?: DraftNotice | null;
  /**
   * Secure mode is on and the attachments will likely make a sealed mail above the policy's
   * `maxMailSizeMB` (an estimate, "48.3 MB" and "20 MB"): the send would be cancelled.
   */
  mailSizeWarning?: { estimated: string; limit: string } | null;
  /**
   * With a server, in secure mode: how the message will be delivered. `byLink` when it goes by
   * link, and why (`size`: the estimate is above `linkDeliveryAboveMB`, `domain`: a recipient is
   * at a `linkOnlyDomains` domain, `chosen`: the sender's choice); `canChoose` when the sender may
   * tick or untick it (neither size nor domain decides). Null without a server or secure mode.
   */
  delivery?: {
    byLink: boolean;
    reason: 'size' | 'domain' | 'chosen' | null;
    canChoose: boolean;
  } | null;
  /**
   * In secure mode: whether the mail shows the neutral subject (the real one sealed inside) or
   * the real one, which travels unencrypted; `enforced` when the organisation decides. Null
   * otherwise.
   */
  subject?: SubjectChoice | null;
}

/** A send uploading its payload (link delivery), as the progress window shows it. */
export interface SendProgressView {
  /** 0–99 of the estimated size (100 only when done, when the window closes). */
  percent: number;
  /** "12.5 MB" uploaded of `expected` ("40.2 MB", an estimate). */
  uploaded: string;
  expected: string;
  /** Estimated seconds left, or null before there is a rate to estimate from. */
  secondsLeft: number | null;
  /** The sender pressed Cancel; the send is being cancelled. */
  cancelling: boolean;
}

/** The options page's view of every setting: value, where it came from, and whether it is locked. */
export interface SettingsView {
  effective: EffectiveSettings;
  /** What is wrong with the organisation's policy (each bad key fell back to its safe value). */
  problems: PolicyProblem[];
  /** A policy (policies.json) configures the add-on. */
  managed: boolean;
}

/**
 * Every request the popup and options page may send to the background, with its response.
 * One map, one `sendRequest<K>()`: no casts at call sites.
 */
export interface Requests {
  getComposeState: { req: { tabId: number }; res: ComposeState };
  /** Refused ("secure" stays true, `required` says why) while the policy requires secure mode. */
  setSecureMode: {
    req: { tabId: number; secure: boolean };
    res: { secure: boolean; required: SecureRequirement | null };
  };
  /** The sender's "Send by link" choice for this compose tab (used when size or domain do not decide). */
  setLinkDelivery: { req: { tabId: number; byLink: boolean }; res: { byLink: boolean } };
  /**
   * The sender's "Use a neutral subject" for this compose tab; refused (still neutral, `enforced`)
   * while the organisation enforces the neutral subject.
   */
  setNeutralSubject: { req: { tabId: number; neutral: boolean }; res: SubjectChoice };
  /** The upload of a send in progress (the progress window polls it); null when none. */
  getSendProgress: { req: { tabId: number }; res: SendProgressView | null };
  /** Cancels the upload of a send in progress: the send is cancelled, the draft kept. */
  cancelSend: { req: { tabId: number }; res: { cancelled: boolean } };
  saveRecipientSettings: {
    req: { address: string; changes: Partial<Omit<RecipientSettings, 'address' | 'updatedAt'>> };
    res: { settings: RecipientSettings };
  };
  listRecipients: { req: Record<string, never>; res: { recipients: RecipientSettings[] } };
  forgetRecipient: { req: { address: string }; res: { forgotten: boolean } };
  dismissProblem: { req: { tabId: number }; res: { dismissed: true } };
  /**
   * A received or sent Sealpost message, opened with the user's own keys (no code). With
   * `no-own-key` none of them holds a lock: the page offers the reader's code flow for `envelope`.
   */
  openSecureMessage: {
    req: { messageId: number };
    res:
      | { ok: true; envelope: Envelope; mimeBase64: string }
      | {
          ok: false;
          reason:
            | 'not-sealed'
            | 'damaged'
            | 'unsupported'
            | 'too-large'
            /** A link-delivered payload: its server did not answer with it. */
            | 'unavailable'
            /** A link-delivered payload: the message expired or was revoked. */
            | 'ended'
            /** A passphrase protects a key that may open it, and was not given this session. */
            | 'locked';
        }
      | { ok: false; reason: 'no-own-key'; envelope: Envelope };
  };
  getKeyProtection: { req: Record<string, never>; res: KeyProtectionView };
  /** Protects the sender's private keys with a passphrase (refused when one is set). */
  setPassphrase: { req: { passphrase: string }; res: PassphraseAnswer };
  changePassphrase: { req: { passphrase: string; newPassphrase: string }; res: PassphraseAnswer };
  /** Stores the private keys in clear again; needs the current passphrase. */
  removePassphrase: { req: { passphrase: string }; res: PassphraseAnswer };
  /** Unlocks the private keys for the rest of this Thunderbird session. */
  unlockSenderKeys: { req: { passphrase: string }; res: PassphraseAnswer };
  /** Forgets this session's unlocking: the passphrase is asked again. */
  lockSenderKeys: { req: Record<string, never>; res: KeyProtectionView };
  getServerSettings: { req: Record<string, never>; res: ServerSettingsView };
  /** Sets (or with null clears) the server URL; a new server drops the old sign-in. */
  setServerUrl: { req: { url: string | null }; res: ServerAnswer<ServerSettingsView> };
  /** Mails a one-time code to the sender's own address. */
  signInStart: {
    req: { address: string };
    res: ServerAnswer<{ challengeId: string; expiresAt: string }>;
  };
  signInComplete: {
    req: { challengeId: string; code: string };
    res: ServerAnswer<ServerSettingsView>;
  };
  signOut: { req: Record<string, never>; res: ServerSettingsView };
  /**
   * Sets an organisation-wide access code for a recipient in the directory (every colleague
   * sees it) and remembers it locally.
   */
  saveOrgCode: {
    req: { address: string; code: string };
    res: ServerAnswer<{ settings: RecipientSettings }>;
  };
  listSentMessages: { req: Record<string, never>; res: { messages: SentMessageRecord[] } };
  getMessageStatus: { req: { messageId: string }; res: ServerAnswer<MessageStatusResponse> };
  revokeMessage: { req: { messageId: string }; res: ServerAnswer<{ revokedAt: string }> };
  /** Opens a locked-out recipient's lock (`mailId`: the mail of the send that holds it). */
  unlockRecipient: {
    req: { messageId: string; mailId: string; lockId: string };
    res: ServerAnswer<{ unlocked: true }>;
  };
  /** Gives an SMS recipient a new number (theirs was wrong or lost); answers it masked. */
  changeRecipientPhone: {
    req: { messageId: string; mailId: string; lockId: string; phone: string };
    res: ServerAnswer<{ sentTo: string }>;
  };
  /**
   * Every browser this recipient (of this sent message) asked the server to remember stops
   * working: they need their SMS/email code again.
   */
  forgetRecipientDevices: {
    req: { messageId: string; address: string };
    res: ServerAnswer<{ removed: number }>;
  };
  /** Every setting in force, with its source (default / user / organisation). */
  getSettings: { req: Record<string, never>; res: SettingsView };
  /** The sender's own settings; refused (error) for a key the organisation set and locked. */
  saveSettings: { req: { changes: UserSettingsChanges }; res: SettingsView };
  /** Sends again a Bcc recipient's sealed copy whose own send failed (the panel's action). */
  sendSealedCopy: { req: { tabId: number }; res: { sent: boolean; problem: SendProblem | null } };
  /** Recipients' public keys: imported by hand and found by lookups. */
  listKeys: { req: Record<string, never>; res: { keys: PublicKeyEntry[] } };
  /** Imports a public key pasted (armored) or read from a file (binary as base64). */
  importKey: {
    req: { armored: string } | { base64: string };
    res: ImportKeyAnswer;
  };
  /**
   * From a secure message opened in Thunderbird: a threaded reply to its sender, the decrypted
   * text quoted, secure mode on.
   */
  replySecurely: {
    req: { messageId: number };
    res:
      | { ok: true }
      | {
          ok: false;
          reason: Extract<Requests['openSecureMessage']['res'], { ok: false }>['reason'];
        };
  };
  /** Removes the key imported by hand for an address (found keys are looked up again). */
  removeKey: { req: { address: string }; res: { removed: boolean } };
  /** A backup of the sender's private keys, encrypted with `passphrase` (needs them unlocked). */
  exportSenderKeys: { req: { passphrase: string }; res: ExportSenderKeysAnswer };
  /**
   * Stores the private keys of a backup as the sender keys of their addresses; a different key
   * already there is replaced only with `replace: true`.
   */
  restoreSenderKeys: {
    req: { armored: string; passphrase: string; replace?: boolean };
    res: RestoreSenderKeysAnswer;
  };
}

export type RequestName = keyof Requests;

export interface RequestEnvelope<K extends RequestName = RequestName> {
  sealpost: 1;
  name: K;
  payload: Requests[K]['req'];
}

export type Response<K extends RequestName> =
  { ok: true; value: Requests[K]['res'] } | { ok: false; error: string };

/** Narrow an unknown runtime message to a request of this protocol. */
export function isRequestEnvelope(message: unknown): message is RequestEnvelope {
  if (typeof message !== 'object' || message === null) return false;
  const candidate = message as { sealpost?: unknown; name?: unknown; payload?: unknown };
  return (
    candidate.sealpost === 1 &&
    typeof candidate.name === 'string' &&
    REQUEST_NAMES.includes(candidate.name as RequestName) &&
    typeof candidate.payload === 'object' &&
    candidate.payload !== null
  );
}

export const REQUEST_NAMES: readonly RequestName[] = [
  'getComposeState',
  'setSecureMode',
  'setLinkDelivery',
  'setNeutralSubject',
  'getSendProgress',
  'cancelSend',
  'saveRecipientSettings',
  'listRecipients',
  'forgetRecipient',
  'dismissProblem',
  'openSecureMessage',
  'getKeyProtection',
  'setPassphrase',
  'changePassphrase',
  'removePassphrase',
  'unlockSenderKeys',
  'lockSenderKeys',
  'getServerSettings',
  'setServerUrl',
  'signInStart',
  'signInComplete',
  'signOut',
  'saveOrgCode',
  'listSentMessages',
  'getMessageStatus',
  'revokeMessage',
  'unlockRecipient',
  'changeRecipientPhone',
  'forgetRecipientDevices',
  'getSettings',
  'saveSettings',
  'sendSealedCopy',
  'listKeys',
  'importKey',
  'removeKey',
  'replySecurely',
  'exportSenderKeys',
  'restoreSenderKeys',
];
