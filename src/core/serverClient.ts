/**
 * The add-on's client of the Sealpost server, typed by `src/core/serverApi.ts`.
 * Pure: `fetch` is injected, so the background passes the platform's and unit tests pass a fake.
 * Every failure is a value: HTTP errors carry the server's stable code,
 * and a network error, a timeout or an unreadable answer become `unavailable`. A failure's
 * `message` is the technical detail (the server's words); what people see is
 * `serverFailureText` (./serverFailureText.ts).
 */
import {
  API_BASE,
  type ChangePhoneRequest,
  type ChangePhoneResponse,
  type DirectoryEntry,
  type DirectoryListResponse,
  type DirectoryUpdateRequest,
  type ErrorCode,
  type KeyLookupResponse,
  type MailMessageIdRequest,
  type MeResponse,
  type PublishedKey,
  type MessageStatusResponse,
  type RegisterKeyRequest,
  type RegisterKeyResponse,
  type RegisterMessageRequest,
  type RegisterMessageResponse,
  type RemoveRecipientDevicesResponse,
  type RevokeResponse,
  type SignInCompleteRequest,
  type SignInCompleteResponse,
  type SignInStartResponse,
} from './serverApi.ts';
import {
  uploadPayload,
  type PayloadUploadRequest,
  type PayloadUploadResult,
} from './payloadUpload.ts';
import { failureFrom, unreachable, unreadable } from './serverFailure.ts';

/** What a failed call reports: the server's code when it gave one, `unavailable` otherwise. */
export interface ServerFailure {
  ok: false;
  code: ErrorCode;
  message: string;
  /** HTTP status, when an answer arrived. */
  status?: number;
  attemptsLeft?: number;
  retryAfterSeconds?: number;
  /** No usable answer: why (./serverFailureText.ts words each differently). */
  cause?: 'timeout' | 'network' | 'unreadable';
}

export type ServerResult<T> = { ok: true; value: T } | ServerFailure;

/** The subset of `fetch` the client uses; the global `fetch` fits. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

export interface ServerClientOptions {
  /** Base URL of the server, e.g. `https://sealpost.example.org` (no `/api/v1`). */
  baseUrl: string;
  /** Device token for the sender routes. */
  token?: string | null;
  fetch: FetchFunction;
  /**
   * How long one request may take. Sealing waits for registration with the compose window
   * locked, so a hung server must not hang the send; 20 s leaves room for a large hosted payload.
   */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 20_000;

/** The sender-side calls of the API. */
export interface ServerClient {
  signInStart(address: string): Promise<ServerResult<SignInStartResponse>>;
  signInComplete(request: SignInCompleteRequest): Promise<ServerResult<SignInCompleteResponse>>;
  me(): Promise<ServerResult<MeResponse>>;
  signOut(): Promise<ServerResult<null>>;
  /** Directory entries for these addresses (addresses without an entry are simply absent). */
  directory(addresses: readonly string[]): Promise<ServerResult<DirectoryEntry[]>>;
  updateDirectory(
    address: string,
    update: DirectoryUpdateRequest,
  ): Promise<ServerResult<DirectoryEntry | null>>;
  registerMessage(request: RegisterMessageRequest): Promise<ServerResult<RegisterMessageResponse>>;
  /**
   * Link delivery: uploads a message registered with `upload` (tus, resumable; ./payloadUpload.ts),
   * with this client's device token.
   */
  uploadPayload(request: Omit<PayloadUploadRequest, 'token'>): Promise<PayloadUploadResult>;
  revokeMessage(messageId: string): Promise<ServerResult<RevokeResponse>>;
  /** Opens a locked-out recipient's lock at once (the sender's own message only). */
  unlockRecipient(messageId: string, lockId: string): Promise<ServerResult<null>>;
  /** Gives an SMS recipient of the sender's own message a new number. */
  changeRecipientPhone(
    messageId: string,
    lockId: string,
    phone: string,
  ): Promise<ServerResult<ChangePhoneResponse>>;
  messageStatus(messageId: string): Promise<ServerResult<MessageStatusResponse>>;
  /**
   * Tells the server the Message-ID of the sealed mail (`<…>`, as in the header), so replies
   * through the server are threaded to it (the sender's own message only).
   */
  setMailMessageId(messageId: string, mailMessageId: string): Promise<ServerResult<null>>;
  /** Publishes the sender's own public key (armored), replacing any earlier one. */
  registerKey(publicKey: string): Promise<ServerResult<RegisterKeyResponse>>;
  /** Withdraws the sender's published key (no error when there was none). */
  removeKey(): Promise<ServerResult<null>>;
  /** Published keys for these addresses (addresses without a key are simply absent). */
  lookupKeys(addresses: readonly string[]): Promise<ServerResult<PublishedKey[]>>;
  /** Every browser a recipient asked the server to remember stops working; answers how many. */
  removeRecipientDevices(address: string): Promise<ServerResult<RemoveRecipientDevicesResponse>>;
}

/** A client for one server and (optionally) one device token. */
export function createServerClient(options: ServerClientOptions): ServerClient {
  const base = options.baseUrl.replace(/\/+$/, '') + API_BASE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    parse: (value: unknown) => T | null = (value) => value as T,
  ): Promise<ServerResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: controller.signal,
        // Nothing the server says should redirect a token elsewhere.
        redirect: 'error',
        credentials: 'omit',
      });
      text = await response.text();
    } catch (error) {
      return controller.signal.aborted
        ? unreachable(
            'timeout',
            `The server did not answer within ${Math.round(timeoutMs / 1000)} s`,
          )
        : unreachable('network', `The server could not be reached (${errorText(error)})`);
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) return failureFrom(response.status, text);
    let json: unknown = null;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        return unreadable(response.status);
      }
    }
    const parsed = parse(json);
    return parsed === null ? unreadable(response.status) : { ok: true, value: parsed };
  }

  const encode = encodeURIComponent;
  return {
    signInStart: (address) =>
      call('POST', '/auth/start', { address }, (value) =>
        hasStrings(value, ['challengeId', 'expiresAt'])
          ? (value as unknown as SignInStartResponse)
          : null,
      ),
    signInComplete: (request) =>
      call('POST', '/auth/complete', request, (value) =>
        hasStrings(value, ['token', 'address']) && isOrganisation(value.organisation)
          ? (value as unknown as SignInCompleteResponse)
          : null,
      ),
    me: () =>
      call('GET', '/auth/me', undefined, (value) =>
        hasStrings(value, ['address']) && isOrganisation(value.organisation)
          ? (value as unknown as MeResponse)
          : null,
      ),
    signOut: async () => {
      const result = await call('POST', '/auth/signout', undefined, () => true);
      return result.ok ? { ok: true, value: null } : result;
    },
    directory: async (addresses) => {
      if (addresses.length === 0) return { ok: true, value: [] };
      const query = addresses.map((address) => `address=${encode(address)}`).join('&');
      return call('GET', `/directory?${query}`, undefined, (value) => {
        const entries = (value as Partial<DirectoryListResponse> | null)?.entries;
        return Array.isArray(entries) ? entries.filter(isDirectoryEntry) : null;
      });
    },
    updateDirectory: async (address, update) => {
      // The contract names no answer body: take the entry whether it comes bare or as
      // `{ entry, … }` (what the server sends); an answer without one is "no entry".
      const result = await call(
        'PUT',
        `/directory/${encode(address)}`,
        update,
        (value): { entry: DirectoryEntry | null } => {
          if (isDirectoryEntry(value)) return { entry: value };
          const wrapped = (value as { entry?: unknown } | null)?.entry;
          return { entry: isDirectoryEntry(wrapped) ? wrapped : null };
        },
      );
      return result.ok ? { ok: true, value: result.value.entry } : result;
    },
    registerMessage: (request) =>
      call('POST', '/messages', request, (value) =>
        hasStrings(value, ['messageId', 'expiresAt', 'readerUrl'])
          ? (value as unknown as RegisterMessageResponse)
          : null,
      ),
    uploadPayload: async (request) => {
      if (!options.token) {
        return {
          ok: false,
          reason: 'refused',
          code: 'unauthorized',
          status: 401,
          message: 'not signed in',
        };
      }
      return uploadPayload({ ...request, token: options.token });
    },
    revokeMessage: (messageId) =>
      call('POST', `/messages/${encode(messageId)}/revoke`, {}, (value) =>
        hasStrings(value, ['revokedAt']) ? (value as unknown as RevokeResponse) : null,
      ),
    unlockRecipient: async (messageId, lockId) => {
      const path = `/messages/${encode(messageId)}/locks/${encode(lockId)}/unlock`;
      const result = await call('POST', path, {}, () => true);
      return result.ok ? { ok: true, value: null } : result;
    },
    changeRecipientPhone: (messageId, lockId, phone) =>
      call(
        'PUT',
        `/messages/${encode(messageId)}/locks/${encode(lockId)}/phone`,
        { phone } satisfies ChangePhoneRequest,
        (value) =>
          hasStrings(value, ['sentTo']) ? (value as unknown as ChangePhoneResponse) : null,
      ),
    messageStatus: (messageId) =>
      call('GET', `/messages/${encode(messageId)}/status`, undefined, (value) =>
        hasStrings(value, ['messageId', 'expiresAt']) &&
        Array.isArray((value as { recipients?: unknown }).recipients)
          ? (value as unknown as MessageStatusResponse)
          : null,
      ),
    setMailMessageId: async (messageId, mailMessageId) => {
      const result = await call(
        'PUT',
        `/messages/${encode(messageId)}/mail-message-id`,
        { mailMessageId } satisfies MailMessageIdRequest,
        () => true,
      );
      return result.ok ? { ok: true, value: null } : result;
    },
    registerKey: (publicKey) =>
      call('PUT', '/me/key', { publicKey } satisfies RegisterKeyRequest, (value) =>
        hasStrings(value, ['fingerprint', 'updatedAt'])
          ? (value as unknown as RegisterKeyResponse)
          : null,
      ),
    removeKey: async () => {
      const result = await call('DELETE', '/me/key', undefined, () => true);
      return result.ok ? { ok: true, value: null } : result;
    },
    lookupKeys: async (addresses) => {
      if (addresses.length === 0) return { ok: true, value: [] };
      const query = addresses.map((address) => `address=${encode(address)}`).join('&');
      return call('GET', `/keys?${query}`, undefined, (value) => {
        const keys = (value as Partial<KeyLookupResponse> | null)?.keys;
        return Array.isArray(keys) ? keys.filter(isPublishedKey) : null;
      });
    },
    removeRecipientDevices: (address) =>
      call('DELETE', `/recipient-devices?address=${encode(address)}`, undefined, (value) =>
        typeof (value as Partial<RemoveRecipientDevicesResponse> | null)?.removed === 'number'
          ? (value as RemoveRecipientDevicesResponse)
          : null,
      ),
  };
}

export type ServerUrlResult =
  { ok: true; url: string } | { ok: false; reason: 'invalid' | 'insecure' };

/**
 * Checks a server URL typed by the sender: `https:`, or `http:` only for this machine
 * (127.0.0.1, localhost, ::1 — development), with no credentials, query or fragment. Returns
 * the origin plus path without a trailing slash.
 */
export function validateServerUrl(text: string): ServerUrlResult {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.username || url.password || url.search || url.hash)
    return { ok: false, reason: 'invalid' };
  if (url.protocol === 'http:') {
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      return { ok: false, reason: 'insecure' };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, reason: 'invalid' };
  }
  return { ok: true, url: (url.origin + url.pathname).replace(/\/+$/, '') };
}

function hasStrings(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  return keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'string');
}

function isOrganisation(value: unknown): boolean {
  return (
    hasStrings(value, ['name']) &&
    Array.isArray(value.domains) &&
    value.domains.every((domain) => typeof domain === 'string')
  );
}

function isDirectoryEntry(value: unknown): value is DirectoryEntry {
  if (!hasStrings(value, ['address'])) return false;
  const nullableString = (field: unknown) =>
    field === null || field === undefined || typeof field === 'string';
  return (
    nullableString(value.phone) && nullableString(value.orgCode) && nullableString(value.method)
  );
}

function isPublishedKey(value: unknown): value is PublishedKey {
  return hasStrings(value, ['address', 'fingerprint', 'publicKey', 'updatedAt']);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
