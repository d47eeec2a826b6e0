/**
 * Property-based fuzz targets (fast-check): untrusted input reaches these and each must answer
 * with a value or a clear error, never crash or hang. `test/unit/fuzz.test.ts` runs every target
 * briefly in `npm test`; `npm run fuzz` (scripts/fuzz.ts) runs each with 100,000 cases.
 */
import fc from 'fast-check';
import { parseEnvelope } from '../../src/core/envelopeCodec.ts';
import { parseOriginalMime } from '../../src/core/mime/parseMime.ts';
import { MANAGED_KEYS, readManagedPolicy } from '../../src/core/policy.ts';
import type { TestServer } from '../server/harness.ts';

export interface FuzzTarget {
  name: string;
  /** Runs `numRuns` cases; throws fast-check's report (with the shrunk counterexample) on failure. */
  run(numRuns: number, seed?: number): Promise<void>;
}

/** A valid envelope's JSON, for mutations close to the real thing. */
const VALID_ENVELOPE = {
  format: 'sealpost-envelope',
  version: 1,
  messageId: '<5b0f7c1e-2d4a-4f7b-9a51-0c6e8d2f3a41@sealpost>',
  createdAt: '2026-11-27T09:00:01.000Z',
  serverUrl: null,
  sender: { name: 'Alice', address: 'alice@example.test' },
  languages: ['en'],
  locks: [
    { method: 'code', language: 'en' },
    { method: 'sender-key', language: 'en' },
  ],
  payload: 'wW0GIQbCNqIZEoTd',
};

/** The envelope with one field replaced by anything, or anything at all. */
const envelopeLike = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .record({ key: fc.constantFrom(...Object.keys(VALID_ENVELOPE)), value: fc.jsonValue() })
    .map(({ key, value }) => JSON.stringify({ ...VALID_ENVELOPE, [key]: value })),
  fc.tuple(fc.nat(), fc.string()).map(([at, text]) => {
    const json = JSON.stringify(VALID_ENVELOPE);
    const cut = at % json.length;
    return json.slice(0, cut) + text + json.slice(cut + 1);
  }),
);

export const envelopeParser: FuzzTarget = {
  name: 'envelope parser',
  run: async (numRuns, seed) =>
    fc.assert(
      fc.property(envelopeLike, (json) => {
        const result = parseEnvelope(json);
        if (!result.ok && !['damaged', 'unsupported-version'].includes(result.reason)) {
          throw new Error(`unexpected reason ${String(result.reason)}`);
        }
      }),
      { numRuns, ...(seed === undefined ? {} : { seed }) },
    ),
};

export const policyValidator: FuzzTarget = {
  name: 'policy validator',
  run: async (numRuns, seed) =>
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.dictionary(fc.constantFrom(...MANAGED_KEYS, 'unknownKey'), fc.jsonValue()),
        ),
        (raw) => {
          const policy = readManagedPolicy(raw);
          for (const key of Object.keys(policy.settings)) {
            if (!(MANAGED_KEYS as readonly string[]).includes(key)) {
              throw new Error(`unknown key ${key} kept`);
            }
          }
          for (const problem of policy.problems) {
            if (typeof problem.message !== 'string' || problem.message === '') {
              throw new Error('a problem without a message');
            }
          }
        },
      ),
      { numRuns, ...(seed === undefined ? {} : { seed }) },
    ),
};

/** MIME-looking text: headers and parts in random order and content, or raw bytes. */
const mimeLike = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'Content-Type: multipart/mixed; boundary="b"',
          'Content-Type: text/html; charset=utf-8',
          'Content-Transfer-Encoding: base64',
          'Content-Transfer-Encoding: quoted-printable',
          'Subject: =?utf-8?B?w7w=?=',
          'From: "A" <a@example.test>',
          'To: b@example.test, "C, D" <c@example.test>',
          'Content-Disposition: attachment; filename="x.pdf"',
          '--b',
          '--b--',
          '',
        ),
        fc.string({ maxLength: 80 }),
      ),
      { maxLength: 40 },
    )
    .map((lines) => new TextEncoder().encode(lines.join('\r\n'))),
);

export const mimeParser: FuzzTarget = {
  name: 'MIME parser (reader)',
  run: (numRuns, seed) =>
    fc.assert(
      fc.asyncProperty(mimeLike, async (bytes) => {
        const parsed = await parseOriginalMime(bytes);
        if (typeof parsed.subject !== 'string' || !Array.isArray(parsed.attachments)) {
          throw new Error('malformed result');
        }
      }),
      { numRuns, ...(seed === undefined ? {} : { seed }) },
    ),
};

/** Every route a client can reach, with a body the schema must judge. */
const ROUTES: { method: 'POST' | 'PUT'; path: string; signedIn: boolean }[] = [
  { method: 'POST', path: '/api/v1/auth/start', signedIn: false },
  { method: 'POST', path: '/api/v1/auth/complete', signedIn: false },
  {
    method: 'POST',
    path: '/api/v1/messages/5b0f7c1e-2d4a-4f7b-9a51-0c6e8d2f3a41/verify/start',
    signedIn: false,
  },
  {
    method: 'POST',
    path: '/api/v1/messages/5b0f7c1e-2d4a-4f7b-9a51-0c6e8d2f3a41/verify/complete',
    signedIn: false,
  },
  {
    method: 'POST',
    path: '/api/v1/messages/5b0f7c1e-2d4a-4f7b-9a51-0c6e8d2f3a41/verify/resend',
    signedIn: false,
  },
  { method: 'POST', path: '/api/v1/messages', signedIn: true },
  { method: 'PUT', path: '/api/v1/directory/bob@partner.example', signedIn: true },
];

/** Bodies: anything JSON, and objects with the routes' own field names and odd values. */
const requestBody = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    fc.constantFrom(
      'address',
      'challengeId',
      'code',
      'deviceName',
      'handle',
      'lockId',
      'messageId',
      'locks',
      'payload',
      'expiresInDays',
      'senderName',
      'method',
      'phone',
      'orgCode',
      'language',
    ),
    fc.oneof(fc.jsonValue(), fc.string(), fc.array(fc.dictionary(fc.string(), fc.jsonValue()))),
  ),
);

const ALLOWED_STATUSES = new Set([200, 201, 204, 400, 401, 403, 404, 409, 410, 413, 423, 429]);

/** Through the real Fastify stack (`inject`, no sockets): never a 500, always the error shape. */
export function serverSchemas(server: TestServer, token: string): FuzzTarget {
  return {
    name: 'server request schemas',
    run: (numRuns, seed) =>
      fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROUTES), requestBody, async (route, body) => {
          const response = await server.app.inject({
            method: route.method,
            url: route.path,
            headers: {
              'content-type': 'application/json',
              ...(route.signedIn ? { authorization: `Bearer ${token}` } : {}),
            },
            payload: JSON.stringify(body),
          });
          if (!ALLOWED_STATUSES.has(response.statusCode)) {
            throw new Error(`${route.path}: status ${response.statusCode} ${response.body}`);
          }
          if (response.statusCode >= 400) {
            const parsed = JSON.parse(response.body) as { error?: { code?: unknown } };
            if (typeof parsed.error?.code !== 'string') {
              throw new Error(`${route.path}: no error shape in ${response.body}`);
            }
          }
        }),
        { numRuns, ...(seed === undefined ? {} : { seed }) },
      ),
  };
}
