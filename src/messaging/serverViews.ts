/** The server as the add-on's pages see it through the background (re-exported by ./protocol.ts). */
import type { ErrorCode, OrganisationInfo, ServerLockMethod } from '../core/serverApi.ts';

/** The server settings as the options page shows them. */
export interface ServerSettingsView {
  /** The configured server, or null. */
  serverUrl: string | null;
  /**
   * Where the URL came from: the organisation's policy (then it cannot be changed here), the
   * options page, or `defaults.json` of a development build.
   */
  urlSource: 'policy' | 'options' | 'defaults' | null;
  /** Who is signed in on that server, or null. */
  signedIn: { address: string; organisation: OrganisationInfo } | null;
  /**
   * The organisation's name in force: the policy's `organisationName`, else the name of the
   * organisation signed in to; null with neither. The settings section shows the same value.
   */
  organisationName: string | null;
}

/** A server call the background made for the UI: the answer, or why it failed. */
export type ServerAnswer<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      code: ErrorCode | 'not-configured' | 'invalid-url' | 'insecure-url' | 'set-by-policy';
      message: string;
    };

/** A sealed message the sender sent with a server, remembered for read status and revocation. */
export interface SentMessageRecord {
  /** The server's message id (UUID). */
  messageId: string;
  serverUrl: string;
  subject: string;
  sentAt: string;
  expiresAt: string;
  recipients: { address: string; method: ServerLockMethod; hidden: boolean }[];
  /**
   * Server ids of the Bcc recipients' separate mails of the same send (docs/envelope.md §0): read
   * status
   * and revocation cover them with the main one.
   */
  copies?: string[];
  revokedAt?: string;
}
