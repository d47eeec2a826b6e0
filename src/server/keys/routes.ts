/**
 * Senders' OpenPGP public keys: `PUT`/`DELETE /api/v1/me/key` (the signed-in sender's own key),
 * `GET /api/v1/keys` (colleagues' keys for a sender's add-on), and the Web Key Directory
 * (draft-koch-openpgp-webkey-service), which publishes the keys of the organisation's domains to
 * anyone: `/.well-known/openpgpkey/…`. Checks and storage are in ./publicKeys.ts.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type {
  KeyLookupResponse,
  RegisterKeyRequest,
  RegisterKeyResponse,
} from '../../core/serverApi.ts';
import { binaryPublicKey, MAX_PUBLIC_KEY_BYTES } from '../../crypto/publicKeys.ts';
import { requireSender } from '../auth/requireSender.ts';
import { checkDirectoryAddress } from '../directory/directory.ts';
import { replyError } from '../errors.ts';
import { checkSenderKey, deleteKey, keyForWkd, keysFor, storeKey } from './publicKeys.ts';

const MAX_ADDRESSES_PER_QUERY = 100;

const registerKeySchema = {
  body: {
    type: 'object',
    required: ['publicKey'],
    additionalProperties: false,
    properties: { publicKey: { type: 'string', minLength: 1, maxLength: MAX_PUBLIC_KEY_BYTES } },
  },
} as const;

const lookupSchema = {
  querystring: {
    type: 'object',
    required: ['address'],
    additionalProperties: false,
    properties: {
      address: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_ADDRESSES_PER_QUERY,
        items: { type: 'string', minLength: 3, maxLength: 254 },
      },
    },
  },
} as const;

/**
 * Paths the Web Key Directory serves; they alone answer any origin (app.ts), as other
 * organisations' mail clients fetch them from their own pages.
 */
export const WKD_ROUTE = /^\/\.well-known\/openpgpkey\//;

export const keyRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app.deps;
  const domains = config.organisation.domains;

  app.put<{ Body: RegisterKeyRequest }>(
    '/api/v1/me/key',
    {
      schema: registerKeySchema,
      onRequest: requireSender,
      // A 64 KiB key plus its JSON escaping (one `\n` per line), even when `limits.bodyBytes` is
      // smaller. The token is checked before the body is read.
      bodyLimit: Math.max(config.limits.bodyBytes, MAX_PUBLIC_KEY_BYTES + 8192),
    },
    async (request, reply) => {
      const sender = request.sender!;
      const now = clock.now();
      const checked = await checkSenderKey(request.body.publicKey, sender.address, now);
      if (!checked.ok) return replyError(reply, 'bad-request', checked.reason);
      const row = await storeKey(db, sender.address, checked, now);
      // The fingerprint only: the key is public, but a log is no place for key material.
      request.log.info(
        { tokenId: sender.tokenId, fingerprint: row.fingerprint },
        'public key published',
      );
      const body: RegisterKeyResponse = {
        fingerprint: row.fingerprint,
        updatedAt: row.updated_at.toISOString(),
      };
      return body;
    },
  );

  app.delete('/api/v1/me/key', { onRequest: requireSender }, async (request, reply) => {
    const sender = request.sender!;
    if (await deleteKey(db, sender.address))
      request.log.info({ tokenId: sender.tokenId }, 'public key withdrawn');
    return reply.code(204).send();
  });

  app.get<{ Querystring: { address: string[] } }>(
    '/api/v1/keys',
    { schema: lookupSchema, onRequest: requireSender },
    async (request, reply) => {
      const addresses: string[] = [];
      for (const raw of request.query.address) {
        const checked = checkDirectoryAddress(raw);
        if (!checked.ok) return replyError(reply, 'bad-request', checked.reason);
        addresses.push(checked.value);
      }
      const body: KeyLookupResponse = { keys: await keysFor(db, addresses) };
      return body;
    },
  );

  // ---- Web Key Directory -----------------------------------------------------------------------

  /**
   * The organisation's domain a request is for: the advanced method names it in the path; the
   * direct one is served on the domain itself (its Host), or, when the organisation has one
   * domain, by a proxy that forwards any host name.
   */
  const wkdDomain = (request: FastifyRequest, named: string | undefined): string | null => {
    if (named !== undefined) {
      const domain = named.toLowerCase();
      return domains.includes(domain) ? domain : null;
    }
    const host = request.hostname.toLowerCase();
    if (domains.includes(host)) return host;
    return domains.length === 1 ? domains[0]! : null;
  };
  // One answer for an unknown domain, hash or key, so a caller learns nothing but "no key here".
  const noKey = (reply: FastifyReply) =>
    replyError(reply, 'not-found', 'There is no key at this address.');

  const serveKey = async (
    request: FastifyRequest,
    reply: FastifyReply,
    named: string | undefined,
    hash: string,
  ) => {
    const domain = wkdDomain(request, named);
    if (domain === null) return noKey(reply);
    // Found by the exact hash only (`?l=` is not needed); nothing lists or matches a prefix.
    const armored = await keyForWkd(db, domain, hash);
    if (armored === null) return noKey(reply);
    return reply
      .type('application/octet-stream')
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(await binaryPublicKey(armored)));
  };
  const servePolicy = (request: FastifyRequest, reply: FastifyReply, named: string | undefined) =>
    // An empty policy file: the draft's way to say this domain has a Web Key Directory.
    wkdDomain(request, named) === null
      ? noKey(reply)
      : reply.type('text/plain; charset=utf-8').send('');

  app.get<{ Params: { domain: string; hash: string } }>(
    '/.well-known/openpgpkey/:domain/hu/:hash',
    (request, reply) => serveKey(request, reply, request.params.domain, request.params.hash),
  );
  app.get<{ Params: { hash: string } }>('/.well-known/openpgpkey/hu/:hash', (request, reply) =>
    serveKey(request, reply, undefined, request.params.hash),
  );
  app.get<{ Params: { domain: string } }>(
    '/.well-known/openpgpkey/:domain/policy',
    (request, reply) => servePolicy(request, reply, request.params.domain),
  );
  app.get('/.well-known/openpgpkey/policy', (request, reply) =>
    servePolicy(request, reply, undefined),
  );
};
