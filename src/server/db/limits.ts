/**
 * Throttles and counters kept in the database, so every process behind a load balancer sees
 * the same limits. Each is one atomic upsert: two processes racing for the same key cannot both
 * pass.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Allows one event per `intervalSeconds` for `key` (e.g. a code sent to an address). The row's
 * time moves only when the event is allowed.
 */
export async function takeThrottle(
  db: Kysely<Database>,
  key: string,
  now: Date,
  intervalSeconds: number,
): Promise<LimitResult> {
  const threshold = new Date(now.getTime() - intervalSeconds * 1000);
  const allowed = await db
    .insertInto('throttles')
    .values({ key, last_at: now })
    .onConflict((conflict) =>
      conflict
        .column('key')
        .doUpdateSet({ last_at: now })
        .where('throttles.last_at', '<=', threshold),
    )
    .returning('key')
    .executeTakeFirst();
  if (allowed) return { ok: true };
  const row = await db
    .selectFrom('throttles')
    .select('last_at')
    .where('key', '=', key)
    .executeTakeFirst();
  const waitMilliseconds = row
    ? row.last_at.getTime() + intervalSeconds * 1000 - now.getTime()
    : intervalSeconds * 1000;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMilliseconds / 1000)) };
}

/**
 * Counts events for `key` in fixed windows of `windowSeconds`; refuses once `maximum` is
 * reached in the current window (refused events count too, so hammering does not help).
 */
export async function countInWindow(
  db: Kysely<Database>,
  key: string,
  now: Date,
  windowSeconds: number,
  maximum: number,
): Promise<LimitResult> {
  const windowExpired = new Date(now.getTime() - windowSeconds * 1000);
  const row = await db
    .insertInto('rate_counters')
    .values({ key, window_start: now, count: 1 })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet((expression) => ({
        count: expression
          .case()
          .when('rate_counters.window_start', '<=', windowExpired)
          .then(1)
          .else(expression('rate_counters.count', '+', 1))
          .end(),
        window_start: expression
          .case()
          .when('rate_counters.window_start', '<=', windowExpired)
          .then(now)
          .else(expression.ref('rate_counters.window_start'))
          .end(),
      })),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  if (row.count <= maximum) return { ok: true };
  const waitMilliseconds = row.window_start.getTime() + windowSeconds * 1000 - now.getTime();
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMilliseconds / 1000)) };
}
