/**
 * Shared pieces of the message tests (test/server/messages*, verify*, test/security/server-*):
 * a signed-in sender without the mail round trip, and registration bodies with real shares.
 */
import { randomUUID } from 'node:crypto';
import { generateLockId, generateShare } from '../../src/core/serverLock.ts';
import type { RegisterLock, RegisterMessageRequest } from '../../src/messaging/serverApi.ts';
import { randomToken, sha256Hex } from '../../src/server/secrets.ts';
import type { TestServer } from './harness.ts';

/**
 * For `beforeAll` of files outside the `server` project (test/security runs in `unit`, whose
 * default hook timeout is short): PGlite's WebAssembly start and a PostgreSQL cluster take seconds
 * on a busy machine.
 */
export const SERVER_START_TIMEOUT_MS = 120_000;

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

/** The six-digit code in the newest outbox entry for `recipient`. */
export async function latestCode(server: TestServer, recipient: string): Promise<string> {
  const [newest] = await server.outboxFor(recipient);
  const code = /\b(\d{6})\b/.exec(newest?.text ?? '')?.[1];
  if (code === undefined) throw new Error(`no code in the outbox for ${recipient}`);
  return code;
}
