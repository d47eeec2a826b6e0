import type { FastifyInstance } from 'fastify';
import { deleteOldDevices } from '../devices/devices.ts';
import type { ServerDeps } from '../deps.ts';
import { deleteEndedPayloads, deleteUnfinishedUploads } from '../payloads/payloadDeletion.ts';
import { eraseLockSecrets } from './registration.ts';
import { deleteReplyTokens } from './replies.ts';
import { deleteHandles } from './verificationHandles.ts';

/** How often ended messages' payloads and lock secrets are erased. */
export const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes the hosted payloads (objects in the payload store, then rows) and reply tokens of
 * expired messages and erases their locks' server shares and code verifiers, once the server is
 * ready and then every `intervalMs` (revocation does both at once); and deletes uploads left
 * unfinished longer than `payloads.unfinishedUploadHours`. It also deletes remembered browsers that expired or were removed more than
 * `DEVICE_RECORD_DAYS` ago (../devices/devices.ts). Nothing serves them any more, a ciphertext kept is a ciphertext that can leak
 * later, and a share kept would let a database copy plus the mail open an expired message. A failed
 * run is logged and tried again
 * at the next interval; runs never overlap. The timer does not keep the process alive and stops
 * when the server closes.
 */
export function scheduleHousekeeping(
  app: FastifyInstance,
  deps: Pick<ServerDeps, 'db' | 'clock' | 'payloads' | 'config'>,
  intervalMs: number = HOUSEKEEPING_INTERVAL_MS,
): void {
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<void> | null = null;
  const run = (): Promise<void> => {
    running ??= (async () => {
      try {
        const now = deps.clock.now();
        // Secrets first: a payload store that fails must not keep a share alive.
        const erased = await eraseLockSecrets(deps.db, { endedBy: now });
        await deleteHandles(deps.db, { expiredBy: now });
        await deleteReplyTokens(deps.db, { endedBy: now });
        const deleted = await deleteEndedPayloads(deps.db, deps.payloads, now);
        if (deleted > 0 || erased > 0) {
          app.log.info(
            { deleted, erased },
            'erased the payloads and lock secrets of ended messages',
          );
        }
        const unfinished = await deleteUnfinishedUploads(
          deps.db,
          deps.payloads,
          now,
          deps.config.payloads.unfinishedUploadHours,
        );
        if (unfinished > 0) app.log.info({ unfinished }, 'deleted unfinished uploads');
        const devices = await deleteOldDevices(deps.db, now);
        if (devices > 0) app.log.info({ devices }, 'deleted old remembered browsers');
      } catch (error) {
        app.log.error({ err: error }, 'housekeeping failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };
  app.addHook('onReady', async () => {
    timer = setInterval(() => void run(), intervalMs);
    timer.unref();
    void run();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    timer = null;
    // The database closes after the server: let a run in progress finish first.
    await running;
  });
}
