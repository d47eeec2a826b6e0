/**
 * Sender sign-in: a 6-digit code mailed to the sender's own mailbox proves they read it; the
 * device then holds a random token (32 bytes, base64url) of which only the SHA-256 is stored.
 * Outcomes are values; the routes map them to HTTP.
 */
import type { Kysely } from 'kysely';
import { domainOf, isPlausibleAddress, normaliseAddress } from '../../core/address.ts';
import type { ServerConfig } from '../config.ts';
import { countInWindow, takeThrottle } from '../db/limits.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../deps.ts';
import type { Mailer } from '../mail/mailer.ts';
import { randomSixDigitCode, randomToken, sha256Hex } from '../secrets.ts';
import { makeVerifier, verifierMatches, type ServerSecret } from '../serverSecret.ts';

export interface SignInContext {
  config: ServerConfig;
  db: Kysely<Database>;
  clock: Clock;
  mailer: Mailer;
  /** Keys the code's verifier: a database copy alone cannot test guesses against it. */
  secret: ServerSecret;
}

export type StartResult =
  | { ok: true; challengeId: string; expiresAt: Date }
  | { ok: false; reason: 'bad-address' | 'foreign-domain' | 'mail-failed' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** Starts a sign-in for `rawAddress`: checks the domain and limits, stores the code's digest, mails the code. */
export async function startSignIn(
  context: SignInContext,
  rawAddress: string,
  /** The client's address (IP), for the per-client limit. */
  client: string,
): Promise<StartResult> {
  const { config, db, clock, mailer } = context;
  const address = normaliseAddress(rawAddress);
  if (!isPlausibleAddress(address) || !isPlainMailbox(address)) {
    return { ok: false, reason: 'bad-address' };
  }
  // Exact domains only: a look-alike subdomain (example.org.evil.test) must not pass.
  if (!config.organisation.domains.includes(domainOf(address)))
    return { ok: false, reason: 'foreign-domain' };

  const now = clock.now();
  const throttle = await takeThrottle(
    db,
    `sign-in:${address}`,
    now,
    config.limits.resendThrottleSeconds,
  );
  if (!throttle.ok)
    return { ok: false, reason: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  const hourly = await countInWindow(
    db,
    `sign-in-hour:${address}`,
    now,
    3600,
    config.limits.signInStartsPerHour,
  );
  if (!hourly.ok)
    return { ok: false, reason: 'throttled', retryAfterSeconds: hourly.retryAfterSeconds };
  // A stranger cycling through many addresses is bounded per client, and everybody together
  // by a total: the server never mails without end on strangers' behalf.
  for (const [key, maximum] of [
    [`sign-in-client:${client}`, config.limits.signInStartsPerClientPerHour],
    ['sign-in-total', config.limits.signInStartsPerHourTotal],
  ] as const) {
    const counted = await countInWindow(db, key, now, 3600, maximum);
    if (!counted.ok)
      return { ok: false, reason: 'throttled', retryAfterSeconds: counted.retryAfterSeconds };
  }

  const code = randomSixDigitCode();
  const verifier = makeVerifier(context.secret, code);
  const challengeId = randomToken(16);
  const expiresAt = new Date(now.getTime() + config.limits.codeLifetimeSeconds * 1000);
  await db
    .insertInto('sign_in_challenges')
    .values({
      id: challengeId,
      address,
      code_digest: Buffer.from(verifier.digest).toString('hex'),
      // The verifier's salt (the column kept its name from the unkeyed digests).
      code_key: Buffer.from(verifier.salt).toString('base64url'),
      created_at: now,
      expires_at: expiresAt,
      completed_at: null,
    })
    .execute();
  const minutes = Math.round(config.limits.codeLifetimeSeconds / 60);
  try {
    await mailer.send({
      to: address,
      // Never the code in the subject: subjects show on lock screens and in mailbox lists.
      subject: `Your Sealpost sign-in code`,
      text:
        `Your code to sign in to Sealpost (${config.organisation.name}) is ${code}.\n\n` +
        `It is valid for ${minutes} minutes. If you did not try to sign in, ignore this mail: ` +
        `nobody can sign in without the code.\n`,
    });
  } catch {
    // A code nobody received must not stay usable.
    await db.deleteFrom('sign_in_challenges').where('id', '=', challengeId).execute();
    return { ok: false, reason: 'mail-failed' };
  }
  return { ok: true, challengeId, expiresAt };
}

/**
 * A plain mailbox: a dot-atom local part of letters, digits and `. _ + -`, and a host name.
 * Quoted local parts and the old source-routing forms (`%`, `!`, `:`, a second `@`) are refused:
 * mail servers may route them elsewhere, so `a%evil.example@example.org` must not pass as a
 * mailbox of `example.org`.
 */
export function isPlainMailbox(address: string): boolean {
  return /^[a-z0-9_+-]+(\.[a-z0-9_+-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/.test(
    address,
  );
}

export type CompleteResult =
  | { ok: true; token: string; tokenId: string; address: string }
  | { ok: false; reason: 'not-found' | 'code-expired' | 'locked' }
  | { ok: false; reason: 'wrong-code'; attemptsLeft: number };

/**
 * Checks a code. Each attempt first takes one try atomically (`tries = tries + 1 … where
 * tries < limit`), so parallel guesses cannot exceed the limit; then compares digests in
 * constant time; a right code completes the challenge exactly once.
 */
export async function completeSignIn(
  context: SignInContext,
  challengeId: string,
  code: string,
  deviceName: string,
): Promise<CompleteResult> {
  const { config, db, clock } = context;
  const now = clock.now();
  const maximumTries = config.limits.codeTries;
  const challenge = await db
    .selectFrom('sign_in_challenges')
    .select(['expires_at', 'tries', 'completed_at'])
    .where('id', '=', challengeId)
    .executeTakeFirst();
  if (!challenge || challenge.completed_at !== null) return { ok: false, reason: 'not-found' };
  if (challenge.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'code-expired' };

  const attempt = await db
    .updateTable('sign_in_challenges')
    .set((expression) => ({ tries: expression('tries', '+', 1) }))
    .where('id', '=', challengeId)
    .where('completed_at', 'is', null)
    .where('tries', '<', maximumTries)
    .returning(['tries', 'code_digest', 'code_key', 'address'])
    .executeTakeFirst();
  if (!attempt) return { ok: false, reason: 'locked' };

  const stored = {
    salt: Buffer.from(attempt.code_key, 'base64url'),
    digest: Buffer.from(attempt.code_digest, 'hex'),
  };
  if (!verifierMatches(context.secret, stored, code)) {
    return {
      ok: false,
      reason: 'wrong-code',
      attemptsLeft: Math.max(0, maximumTries - attempt.tries),
    };
  }
  const completed = await db
    .updateTable('sign_in_challenges')
    .set({ completed_at: now })
    .where('id', '=', challengeId)
    .where('completed_at', 'is', null)
    .returning('address')
    .executeTakeFirst();
  if (!completed) return { ok: false, reason: 'not-found' };

  const token = randomToken(32);
  const tokenId = randomToken(9);
  await db
    .insertInto('device_tokens')
    .values({
      id: tokenId,
      token_digest: sha256Hex(token),
      address: completed.address,
      device_name: deviceName.trim(),
      created_at: now,
      last_used_at: now,
      revoked_at: null,
    })
    .execute();
  return { ok: true, token, tokenId, address: completed.address };
}

/** Revokes a device token by its id; false when there is no such unrevoked token. */
export async function revokeDeviceToken(
  db: Kysely<Database>,
  clock: Clock,
  tokenId: string,
): Promise<boolean> {
  const row = await db
    .updateTable('device_tokens')
    .set({ revoked_at: clock.now() })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
