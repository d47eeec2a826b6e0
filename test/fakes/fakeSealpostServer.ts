import type {
  DirectoryEntry,
  MessageStatusResponse,
  RegisterMessageRequest,
} from '../../src/core/serverApi.ts';

/**
 * A stateful in-memory stand-in for the Sealpost server's sender routes, for the add-on's unit
 * tests (house style rule 6). It answers real `Request`/`Response` objects on the contract's
 * paths, keeps sign-in challenges, tokens, the directory and registered messages, and can be
 * switched to fail. The real server has its own tests over HTTP (`test/server`).
 */
export class FakeSealpostServer {
  readonly baseUrl: string;
  organisation = { name: 'Example Org', domains: ['example.test'] };
  /** One-time codes "mailed" by sign-in start, by challenge id. */
  challenges = new Map<string, { address: string; code: string }>();
  tokens = new Map<string, string>();
  directory = new Map<string, DirectoryEntry>();
  /** Published public keys by address (the real server checks them; this one keeps them). */
  keys = new Map<string, { publicKey: string; fingerprint: string }>();
  messages = new Map<
    string,
    { request: RegisterMessageRequest; owner: string; revokedAt: string | null }
  >();
  /** Hosted payloads longer than this are refused with 413, like the server's body limit. */
  maxPayloadCharacters = Number.POSITIVE_INFINITY;
  /** Set to make every request fail: 'down' throws like a network error, a number answers that status. */
  failure: 'down' | { status: number; code: string; message: string } | null = null;
  /** The Message-ID of each sent mail, as the add-on reported it after the send. */
  mailMessageIds = new Map<string, string>();
  /** Locks the sender unlocked, as `<message id>/<lock id>`. */
  unlocked: string[] = [];
  /** New SMS numbers the sender gave, as `<message id>/<lock id>:<phone>`. */
  phoneChanges: string[] = [];
  /** Recipient addresses whose remembered browsers a sender removed. */
  devicesRemoved: string[] = [];
  /** Refuses the registrations it returns true for (e.g. only a Bcc recipient's mail). */
  refuseRegistration: ((request: RegisterMessageRequest) => boolean) | null = null;
  private counter = 0;

  constructor(baseUrl = 'https://sealpost.example.test') {
    this.baseUrl = baseUrl;
  }

  /** A device token for `address`, as if it had signed in. */
  issueToken(address: string): string {
    const token = `token-${++this.counter}`;
    this.tokens.set(token, address);
    return token;
  }

  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    if (this.failure === 'down')
      throw new TypeError('NetworkError when attempting to fetch resource.');
    if (this.failure) {
      return json(this.failure.status, {
        error: { code: this.failure.code, message: this.failure.message },
      });
    }
    if (!url.startsWith(this.baseUrl + '/api/v1/'))
      return json(404, error('not-found', 'No route'));
    const parsed = new URL(url);
    const path = parsed.pathname.slice(new URL(this.baseUrl).pathname.replace(/\/$/, '').length);
    const method = init.method ?? 'GET';
    const body =
      typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, never>) : {};
    const headers = new Headers(init.headers);
    const bearer = headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    const user = this.tokens.get(bearer);

    if (method === 'POST' && path === '/api/v1/auth/start') {
      const address = String((body as { address?: string }).address ?? '');
      if (!this.organisation.domains.includes(address.split('@')[1] ?? '')) {
        return json(403, error('forbidden', 'Not an address of the organisation'));
      }
      const challengeId = `challenge-${++this.counter}`;
      this.challenges.set(challengeId, { address, code: '123456' });
      return json(200, { challengeId, expiresAt: '2099-01-01T00:00:00.000Z' });
    }
    if (method === 'POST' && path === '/api/v1/auth/complete') {
      const { challengeId, code } = body as { challengeId?: string; code?: string };
      const challenge = this.challenges.get(String(challengeId));
      if (!challenge) return json(404, error('not-found', 'No such challenge'));
      if (challenge.code !== code) return json(403, error('wrong-code', 'Wrong code'));
      this.challenges.delete(String(challengeId));
      return json(200, {
        token: this.issueToken(challenge.address),
        address: challenge.address,
        organisation: this.organisation,
      });
    }
    if (!user) return json(401, error('unauthorized', 'Sign in again'));
    if (method === 'GET' && path === '/api/v1/auth/me') {
      return json(200, { address: user, organisation: this.organisation });
    }
    if (method === 'POST' && path === '/api/v1/auth/signout') {
      this.tokens.delete(bearer);
      return new Response(null, { status: 204 });
    }
    if (method === 'PUT' && path === '/api/v1/me/key') {
      const publicKey = String((body as { publicKey?: string }).publicKey ?? '');
      const fingerprint = `FAKE${this.keys.size + 1}`.padEnd(64, '0');
      this.keys.set(user, { publicKey, fingerprint });
      return json(200, { fingerprint, updatedAt: new Date().toISOString() });
    }
    if (method === 'GET' && path === '/api/v1/keys') {
      const wanted = parsed.searchParams.getAll('address');
      return json(200, {
        keys: wanted.flatMap((address) => {
          const key = this.keys.get(address);
          return key ? [{ address, ...key, updatedAt: new Date().toISOString() }] : [];
        }),
      });
    }
    if (method === 'GET' && path === '/api/v1/directory') {
      const wanted = parsed.searchParams.getAll('address');
      return json(200, {
        entries: wanted.flatMap((address) => {
          const entry = this.directory.get(address);
          return entry ? [entry] : [];
        }),
      });
    }
    const directoryMatch = /^\/api\/v1\/directory\/([^/]+)$/.exec(path);
    if (method === 'PUT' && directoryMatch) {
      const address = decodeURIComponent(directoryMatch[1] ?? '');
      const entry: DirectoryEntry = {
        address,
        method: null,
        phone: null,
        orgCode: null,
        language: null,
        ...this.directory.get(address),
        ...(body as Partial<DirectoryEntry>),
        updatedAt: new Date().toISOString(),
        updatedBy: user,
      };
      this.directory.set(address, entry);
      return json(200, entry);
    }
    if (method === 'POST' && path === '/api/v1/messages') {
      const request = body as unknown as RegisterMessageRequest;
      if ((request.payload?.length ?? 0) > this.maxPayloadCharacters) {
        return json(413, error('payload-too-large', 'Request body is too large'));
      }
      if (this.messages.has(request.messageId)) return json(400, error('bad-request', 'Duplicate'));
      if (this.refuseRegistration?.(request)) {
        return json(400, error('bad-request', 'Refused for this test'));
      }
      this.messages.set(request.messageId, { request, owner: user, revokedAt: null });
      return json(200, {
        messageId: request.messageId,
        expiresAt: '2026-12-27T00:00:00.000Z',
        readerUrl: `${this.baseUrl}/r/${request.messageId}`,
      });
    }
    const mailIdMatch = /^\/api\/v1\/messages\/([^/]+)\/mail-message-id$/.exec(path);
    if (mailIdMatch && method === 'PUT') {
      const id = decodeURIComponent(mailIdMatch[1] ?? '');
      if (this.messages.get(id)?.owner !== user)
        return json(404, error('not-found', 'No such message'));
      this.mailMessageIds.set(id, String((body as { mailMessageId?: string }).mailMessageId));
      return new Response(null, { status: 204 });
    }
    if (method === 'DELETE' && path === '/api/v1/recipient-devices') {
      const address = parsed.searchParams.get('address') ?? '';
      this.devicesRemoved.push(address);
      return json(200, { removed: 2 });
    }
    const unlockMatch = /^\/api\/v1\/messages\/([^/]+)\/locks\/([^/]+)\/unlock$/.exec(path);
    if (unlockMatch && method === 'POST') {
      const message = this.messages.get(decodeURIComponent(unlockMatch[1] ?? ''));
      if (!message) return json(404, error('not-found', 'No such message'));
      if (message.owner !== user) return json(403, error('forbidden', 'Not yours'));
      this.unlocked.push(
        `${message.request.messageId}/${decodeURIComponent(unlockMatch[2] ?? '')}`,
      );
      return new Response(null, { status: 204 });
    }
    const phoneMatch = /^\/api\/v1\/messages\/([^/]+)\/locks\/([^/]+)\/phone$/.exec(path);
    if (phoneMatch && method === 'PUT') {
      const message = this.messages.get(decodeURIComponent(phoneMatch[1] ?? ''));
      if (!message) return json(404, error('not-found', 'No such message'));
      if (message.owner !== user) return json(403, error('forbidden', 'Not yours'));
      const phone = String((body as { phone?: unknown }).phone ?? '');
      const lockId = decodeURIComponent(phoneMatch[2] ?? '');
      this.phoneChanges.push(`${message.request.messageId}/${lockId}:${phone}`);
      return json(200, { sentTo: `••• ${phone.slice(-2)}` });
    }
    const messageMatch = /^\/api\/v1\/messages\/([^/]+)\/(status|revoke)$/.exec(path);
    if (messageMatch) {
      const message = this.messages.get(decodeURIComponent(messageMatch[1] ?? ''));
      if (!message) return json(404, error('not-found', 'No such message'));
      if (message.owner !== user) return json(403, error('forbidden', 'Not yours'));
      if (messageMatch[2] === 'revoke' && method === 'POST') {
        message.revokedAt = new Date().toISOString();
        return json(200, { revokedAt: message.revokedAt });
      }
      const status: MessageStatusResponse = {
        messageId: message.request.messageId,
        expiresAt: '2026-12-27T00:00:00.000Z',
        revokedAt: message.revokedAt,
        recipients: message.request.locks.map((lock) => ({
          lockId: lock.lockId,
          address: lock.address,
          method: lock.method,
          openedAt: null,
          lockedAt: null,
          codeRequestedAt: null,
        })),
      };
      return json(200, status);
    }
    return json(404, error('not-found', `No route ${method} ${path}`));
  };
}

function error(code: string, message: string) {
  return { error: { code, message } };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
