/**
 * `buildServer(deps)`: the Fastify instance with everything every route relies on — the
 * contract's JSON errors, strict JSON-schema validation, a body limit, CORS only for the
 * reader's routes and the Web Key Directory, a log with secrets redacted, health and
 * readiness — and then the feature plugins listed in `routes.ts`. It does not listen: `main.ts`
 * and the tests do.
 */
import cors from '@fastify/cors';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import type { ServerDeps, ServerDepsInput } from './deps.ts';
import { errorBody, replyError } from './errors.ts';
import { WKD_ROUTE } from './keys/routes.ts';
import { featurePlugins } from './routes.ts';
import { scheduleHousekeeping } from './messages/housekeeping.ts';
import { openPayloadStore } from './payloads/payloadStore.ts';
import { notReadyMessage, readinessChecks } from './readiness.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The injected dependencies, for feature plugins. */
    deps: ServerDeps;
  }
}

/**
 * Log paths that may carry secrets or personal data. Fastify does not log bodies, but handlers
 * logging objects and errors might: codes, tokens, shares, phone numbers, payloads never appear.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'body',
  'req.body',
  ...[
    'code',
    'token',
    'serverShare',
    'mailShare',
    'accessCode',
    'orgCode',
    'phone',
    'payload',
    'password',
    'authToken',
    'replyToken',
    'handle',
    'secret',
    'deviceSecret',
    'removalToken',
    'secretAccessKey',
  ].flatMap((key) => [key, `*.${key}`]),
];

/** The reader (file:// origin `null`, or hosted at the server's origin) calls only these. */
const RECIPIENT_ROUTE =
  /^\/api\/v1\/(messages\/[^/?#]+\/(public|payload|replies|verify\/(start|complete|resend|no-code|device))|devices\/forget)(?:[?#]|$)/;

/** The logger of a server: redacted paths, and serializers that keep only what is safe to log. */
export function loggerOptions(
  deps: Pick<ServerDeps, 'config' | 'logStream'>,
): FastifyServerOptions['logger'] {
  return {
    level: deps.config.logLevel,
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
    ...(deps.logStream ? { stream: deps.logStream } : {}),
    serializers: {
      // The path only: query strings can carry addresses.
      req: (request: { method: string; url: string; id: string }) => ({
        id: request.id,
        method: request.method,
        path: request.url.split('?')[0],
      }),
      // Type, message and code only: database errors' `detail` can quote stored values. The
      // code is `errorCode`: a key named `code` is redacted everywhere (one-time codes).
      err: (error: FastifyError) => ({
        type: error.name,
        message: error.message,
        errorCode: error.code,
        stack: error.stack ?? '',
      }),
    },
  };
}

/** Whether any string in a parsed request part (nested objects and arrays too) holds U+0000. */
function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(
    ([key, entry]) => key.includes('\u0000') || containsNul(entry, depth + 1),
  );
}

/** Builds the server on the given dependencies (database already migrated). */
export async function buildServer(input: ServerDepsInput): Promise<FastifyInstance> {
  const openedStore = input.payloads ? null : openPayloadStore(input.config.payloads);
  const deps: ServerDeps = { ...input, payloads: input.payloads ?? openedStore! };
  const app = Fastify({
    logger: loggerOptions(deps),
    bodyLimit: deps.config.limits.bodyBytes,
    // Unknown properties are errors (schemas say `additionalProperties: false`), not silently
    // dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    return503OnClosing: true,
    // Who the client is, for the per-client limits: the peer, or what trusted proxies say.
    trustProxy: deps.config.trustProxy,
  });
  app.decorate('deps', deps);
  if (openedStore) app.addHook('onClose', async () => openedStore.close?.());
  app.decorateRequest('sender', null);
  scheduleHousekeeping(app, deps, deps.housekeepingIntervalMs);

  // Answers carry device tokens, server shares, payloads and personal data: no cache (browser,
  // proxy) may keep a copy of any of them.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    return payload;
  });

  // A NUL character is never part of an address, a name or a code, and the database refuses it
  // in text: it is the client's mistake (400), found before any handler touches the database.
  app.addHook('preValidation', async (request, reply) => {
    if (containsNul(request.body) || containsNul(request.params) || containsNul(request.query)) {
      return replyError(reply, 'bad-request', 'Text in a request must not contain NUL characters.');
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      return replyError(reply, 'bad-request', `Invalid request: ${error.message}`);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return replyError(
        reply,
        'payload-too-large',
        'The request body is larger than this server accepts.',
      );
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Malformed JSON, unsupported content type and the like: the client's fault, said plainly.
      return reply.code(status).send(errorBody('bad-request', error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return replyError(reply, 'internal', 'Something went wrong on the server.');
  });
  app.setNotFoundHandler((request, reply) =>
    replyError(reply, 'not-found', `No route ${request.method} ${request.url.split('?')[0]}.`),
  );

  const allowedOrigins = ['null', new URL(deps.config.publicUrl).origin];
  await app.register(cors, {
    delegator: (request, callback) => {
      const url = request.url ?? '';
      // The Web Key Directory is public by design: other organisations' clients fetch it from
      // any origin, without credentials (draft-koch-openpgp-webkey-service).
      if (WKD_ROUTE.test(url)) {
        callback(null, { origin: '*', methods: ['GET'], credentials: false, maxAge: 600 });
        return;
      }
      const forReader = RECIPIENT_ROUTE.test(url);
      callback(null, {
        origin: forReader ? allowedOrigins : false,
        methods: ['GET', 'POST'],
        allowedHeaders: ['content-type'],
        maxAge: 600,
      });
    },
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  // Ready means usable: database, reader build and mail (src/server/readiness.ts, docs/server.md).
  const readinessProblems = readinessChecks(deps);
  // Logged when the answer changes, not at every probe of a load balancer.
  let lastProblems = '';
  app.get('/readyz', async (request, reply) => {
    const problems = await readinessProblems();
    const details = problems.map((problem) => problem.detail ?? problem.message);
    if (JSON.stringify(details) !== lastProblems) {
      if (problems.length > 0) request.log.warn({ problems: details }, 'not ready');
      else if (lastProblems !== '') request.log.info('ready again');
      lastProblems = problems.length > 0 ? JSON.stringify(details) : '';
    }
    if (problems.length === 0) return { status: 'ok' };
    const message = notReadyMessage(problems);
    return replyError(reply, 'unavailable', message[0]!.toUpperCase() + message.slice(1));
  });
  // Each failed send says why in the log (the routes' own lines only say what was not mailed).
  deps.mailer.watch?.((health) => {
    if (health.ok) app.log.info('mail works again');
    else app.log.error({ mailError: health.cause }, `mail is failing: ${health.cause}`);
  });

  for (const plugin of featurePlugins) await app.register(plugin);
  return app;
}
