/**
 * `GET /api/v1/directory`, `PUT /api/v1/directory/:address`, `GET
 * /api/v1/directory/:address/audit`:
 * the organisation directory for signed-in senders.
 */
import type { FastifyPluginAsync } from 'fastify';
import type {
  DirectoryAuditResponse,
  DirectoryEntry,
  DirectoryListResponse,
  DirectoryUpdateRequest,
} from '../../core/serverApi.ts';
import { NOTIFICATION_LANGUAGES } from '../../core/languages.ts';
import { requireSender } from '../auth/requireSender.ts';
import { replyError } from '../errors.ts';
import {
  applyDirectoryChange,
  checkDirectoryAddress,
  checkDirectoryChange,
  DIRECTORY_METHODS,
  directoryAudit,
  directoryEntriesFor,
  directoryPage,
  ORG_CODE_MAX_LENGTH,
} from './directory.ts';

const MAX_ADDRESSES_PER_QUERY = 100;
const PAGE_SIZE_MAX = 500;

const listSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      address: {
        type: 'array',
        maxItems: MAX_ADDRESSES_PER_QUERY,
        items: { type: 'string', minLength: 3, maxLength: 254 },
      },
      after: { type: 'string', maxLength: 254 },
      limit: { type: 'integer', minimum: 1, maximum: PAGE_SIZE_MAX },
    },
  },
} as const;

const addressParams = {
  type: 'object',
  required: ['address'],
  properties: { address: { type: 'string', minLength: 3, maxLength: 254 } },
} as const;

export const directoryUpdateSchema = {
  params: addressParams,
  body: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      method: { type: ['string', 'null'], enum: [...DIRECTORY_METHODS, null] },
      phone: { type: ['string', 'null'], maxLength: 40 },
      orgCode: { type: ['string', 'null'], maxLength: ORG_CODE_MAX_LENGTH },
      language: { type: ['string', 'null'], enum: [...NOTIFICATION_LANGUAGES, null] },
    },
  },
} as const;

export const directoryRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, secret } = app.deps;

  app.get<{ Querystring: { address?: string[]; after?: string; limit?: number } }>(
    '/api/v1/directory',
    { schema: listSchema, onRequest: requireSender },
    async (request, reply) => {
      const { address: rawAddresses, after, limit } = request.query;
      let entries: DirectoryEntry[];
      if (rawAddresses && rawAddresses.length > 0) {
        const addresses: string[] = [];
        for (const raw of rawAddresses) {
          const checked = checkDirectoryAddress(raw);
          if (!checked.ok) return replyError(reply, 'bad-request', checked.reason);
          addresses.push(checked.value);
        }
        entries = await directoryEntriesFor(db, secret, addresses);
      } else {
        entries = await directoryPage(db, secret, after ?? null, limit ?? PAGE_SIZE_MAX);
      }
      const body: DirectoryListResponse = { entries };
      return body;
    },
  );

  app.put<{ Params: { address: string }; Body: DirectoryUpdateRequest }>(
    '/api/v1/directory/:address',
    { schema: directoryUpdateSchema, onRequest: requireSender },
    async (request, reply) => {
      const address = checkDirectoryAddress(request.params.address);
      if (!address.ok) return replyError(reply, 'bad-request', address.reason);
      const change = checkDirectoryChange(request.body);
      if (!change.ok) return replyError(reply, 'bad-request', change.reason);
      const { entry } = await applyDirectoryChange(
        db,
        secret,
        address.value,
        change.value,
        request.sender!.address,
        clock.now(),
      );
      const body: DirectoryEntry = entry;
      return body;
    },
  );

  app.get<{ Params: { address: string } }>(
    '/api/v1/directory/:address/audit',
    { schema: { params: addressParams }, onRequest: requireSender },
    async (request, reply) => {
      const address = checkDirectoryAddress(request.params.address);
      if (!address.ok) return replyError(reply, 'bad-request', address.reason);
      const changes = await directoryAudit(db, secret, address.value);
      if (changes.length === 0) {
        const [entry] = await directoryEntriesFor(db, secret, [address.value]);
        if (!entry) return replyError(reply, 'not-found', 'No directory entry for that address.');
      }
      const body: DirectoryAuditResponse = { changes };
      return body;
    },
  );
};
