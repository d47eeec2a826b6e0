/**
 * Remembered browsers in tests (test/server/remembered-devices*, test/security/server-remembered-*):
 * a recipient passes an SMS or email code with `rememberDevice: true`, and the device the
 * server answers is kept, as the reader keeps it; `openWith` is the reader's `verify/device`.
 */
import { expect } from 'vitest';
import type { RegisterLock, RememberedDevice } from '../../src/core/serverApi.ts';
import type { TestServer } from './harness.ts';
import { latestCode, lock, sealedTo } from './messages-fixtures.ts';

/**
 * Passes the code of `target` (an sms or email lock of a registered message) with
 * `rememberDevice`, and returns the whole answer.
 */
export async function completeRemembering(
  server: TestServer,
  flow: Awaited<ReturnType<typeof sealedTo>>,
  target: RegisterLock,
  rememberDevice: unknown = true,
) {
  const started = await flow.start(target.address);
  expect(started.status).toBe(200);
  const code =
    target.method === 'sms' || target.method === 'email'
      ? await latestCode(server, target.method === 'sms' ? target.phone! : target.address)
      : target.accessCode!;
  return server.request('POST', `${flow.base}/verify/complete`, {
    body: { handle: await flow.handleFor(target.lockId), code, rememberDevice },
  });
}

/** A browser remembered for `address` (through a message of its own with an email lock). */
export async function rememberedDevice(
  server: TestServer,
  senderToken: string,
  address: string,
  overrides: Partial<RegisterLock> = {},
): Promise<RememberedDevice> {
  const target = lock({ method: 'email', address, ...overrides });
  const flow = await sealedTo(server, senderToken, [target]);
  const answer = await completeRemembering(server, flow, target);
  expect(answer.status).toBe(200);
  expect(answer.body.device).toBeDefined();
  return answer.body.device as RememberedDevice;
}

/** The reader's `verify/device` for one message. */
export function openWith(server: TestServer, messageId: string, device: RememberedDevice) {
  return server.request('POST', `/api/v1/messages/${messageId}/verify/device`, {
    body: { deviceId: device.deviceId, secret: device.secret },
  });
}

/** The removal link in the newest mail to `address`: its id and token. */
export async function removalLinkFor(
  server: TestServer,
  address: string,
): Promise<{ url: string; path: string; deviceId: string; token: string }> {
  const mails = await server.outboxFor(address);
  for (const mail of mails) {
    const match =
      /(https?:\/\/\S+\/devices\/([A-Za-z0-9_-]{22})\/remove\?token=([A-Za-z0-9_-]{43}))/.exec(
        mail.text,
      );
    if (match) {
      const url = match[1]!;
      return { url, path: new URL(url).pathname, deviceId: match[2]!, token: match[3]! };
    }
  }
  throw new Error(`no removal link mailed to ${address}`);
}
