/**
 * Shared pieces of the message tests (test/server/messages*, verify*, test/security/server-*):
 * a signed-in sender without the mail round trip, and registration bodies with real shares.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateLockId, generateShare } from '../../src/core/serverLock.ts';
import { expect } from 'vitest';
import type { RegisterLock, RegisterMessageRequest } from '../../src/core/serverApi.ts';
import { READER_HTML_PATH } from '../../src/server/messages/readerBuild.ts';
import { randomToken, sha256Hex } from '../../src/server/secrets.ts';
import type { TestServer } from './harness.ts';

/**
 * For `beforeAll` of files outside the `server` project (test/security runs in `unit`, whose
 * default hook timeout is short): PGlite's WebAssembly start and a PostgreSQL cluster take seconds
 * on a busy machine.
 */
export const SERVER_START_TIMEOUT_MS = 120_000;

/** How long building the reader may take on a busy machine (for `beforeAll`). */
export const READER_BUILD_TIMEOUT_MS = 300_000;

/**
 * Builds the reader if there is no build yet: the hosted reader and replies' attachments use
 * it. `npm test` builds first; a lone `vitest run --project server` may find none.
 */
export function ensureReaderBuild(): void {
  if (existsSync(READER_HTML_PATH)) return;
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(
    process.execPath,
    [
      resolve(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--mode',
      'reader',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
}

/** A device token for `address`, stored as the sign-in flow stores it (hashed). */
export async function signedInSender(
  server: TestServer,
  address = 'alice@example.org',
): Promise<string> {
  const token = randomToken();
  const now = server.clock.now();
  await server.db
    .insertInto('device_tokens')
    .values({
      id: randomToken(12),
      token_digest: sha256Hex(token),
      address,
      device_name: 'test device',
      created_at: now,
      last_used_at: now,
    })
    .execute();
  return token;
}

/** A lock with a fresh id and server share; `overrides` set the method's own fields. */
export function lock(
  overrides: Partial<RegisterLock> & Pick<RegisterLock, 'method' | 'address'>,
): RegisterLock {
  return {
    lockId: generateLockId(),
    hidden: false,
    serverShare: generateShare(),
    language: 'en',
    ...overrides,
  };
}

/** A registration body with a fresh message id. */
export function registration(
  locks: RegisterLock[],
  extra: Partial<RegisterMessageRequest> = {},
): RegisterMessageRequest {
  return { messageId: randomUUID(), locks, ...extra };
}

/**
 * What a successful `verify/complete` answers: the lock's server share and a reply token (on a
 * server that takes replies).
 */
export function shareReleased(serverShare: string) {
  return { serverShare, replyToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) };
}

/** The six-digit code in the newest outbox entry for `recipient`. */
export async function latestCode(server: TestServer, recipient: string): Promise<string> {
  const [newest] = await server.outboxFor(recipient);
  const code = /\b(\d{6})\b/.exec(newest?.text ?? '')?.[1];
  if (code === undefined) throw new Error(`no code in the outbox for ${recipient}`);
  return code;
}

/**
 * A recipient's side of one registered message: `start` keeps the handle each lock's address
 * gets, and `complete` / `resend` send it, so tests name locks by id as before. Access-code
 * locks start by themselves when needed (nothing is sent for them); an sms/email lock must be
 * started by the test, because starting sends a code.
 */
export function recipientFlow(server: TestServer, messageId: string, locks: RegisterLock[]) {
  const base = `/api/v1/messages/${messageId}`;
  // Promises, so that a burst of parallel requests shares one start.
  const handles = new Map<string, Promise<string>>();
  const start = async (address: string) => {
    const answer = await server.request('POST', `${base}/verify/start`, { body: { address } });
    if (answer.status === 200) handles.set(answer.body.lockId, Promise.resolve(answer.body.handle));
    return answer;
  };
  const handleFor = (lockId: string): Promise<string> => {
    const known = handles.get(lockId);
    if (known !== undefined) return known;
    const target = locks.find((candidate) => candidate.lockId === lockId);
    if (target === undefined || (target.method !== 'code' && target.method !== 'org-code')) {
      throw new Error(`start the verification of lock ${lockId} first`);
    }
    const started = start(target.address).then((answer) => {
      if (answer.status !== 200) throw new Error(`verify/start failed: ${answer.status}`);
      return answer.body.handle as string;
    });
    handles.set(lockId, started);
    return started;
  };
  return {
    base,
    start,
    handleFor,
    resend: async (lockId: string) =>
      server.request('POST', `${base}/verify/resend`, {
        body: { handle: await handleFor(lockId) },
      }),
    complete: async (lockId: string, code: string) =>
      server.request('POST', `${base}/verify/complete`, {
        body: { handle: await handleFor(lockId), code },
      }),
  };
}

/** Registers one message from `senderToken` to these locks; returns its id and reader flow. */
export async function sealedTo(
  server: TestServer,
  senderToken: string,
  locks: RegisterLock[],
  extra: Parameters<typeof registration>[1] = {},
) {
  const body = registration(locks, extra);
  const registered = await server.request('POST', '/api/v1/messages', {
    body,
    token: senderToken,
  });
  expect(registered.status).toBe(201);
  return { messageId: body.messageId, ...recipientFlow(server, body.messageId, locks) };
}
