/**
 * What `/readyz` checks, so that "ready" means a recipient's link and a sender's sign-in work:
 * the database answers and is migrated, the reader build is installed, the payload store takes
 * a write, and mail is not known to be failing. The same sentences are logged at start (src/server/main.ts).
 */
import { sql } from 'kysely';
import { pendingMigrations } from './db/migrate.ts';
import type { ServerDeps } from './deps.ts';
import { readerBuildLoader, readerFilePath } from './messages/readerBuild.ts';

/** One failed check: the sentence `/readyz` answers, and for the log the detail behind it. */
export interface ReadinessProblem {
  message: string;
  /** For the log only (a database error, the mail server's answer): never in an answer. */
  detail?: string;
}

/** The checks of one server; `problems()` runs them all and returns what failed. */
export function readinessChecks(
  deps: Pick<ServerDeps, 'db' | 'mailer' | 'config' | 'payloads'>,
): () => Promise<ReadinessProblem[]> {
  const readerPath = readerFilePath(deps.config);
  const readerHtml = readerBuildLoader(readerPath);
  return async () => {
    const problems: ReadinessProblem[] = [];
    try {
      await sql`select 1`.execute(deps.db);
      const pending = await pendingMigrations(deps.db);
      if (pending.length > 0)
        problems.push({ message: `database migrations pending: ${pending.join(', ')}` });
    } catch (error) {
      problems.push({
        message: 'the database is not reachable',
        detail: (error as Error).message,
      });
    }
    if ((await readerHtml()) === null) {
      problems.push({
        message: 'the reader is not installed (run `npm run build`)',
        detail: `${readerPath} is missing`,
      });
    }
    const payloads = await deps.payloads.problem();
    if (payloads !== null) {
      problems.push({
        message: 'the payload store cannot be written (the cause is in the log)',
        detail: payloads,
      });
    }
    const mail = deps.mailer.health?.() ?? { ok: true };
    if (!mail.ok) {
      // The cause names the mail server: it stays in the log, out of a public answer.
      problems.push({ message: 'mail is failing (the cause is in the log)', detail: mail.cause });
    }
    return problems;
  };
}

/** The sentence `/readyz` answers and the start-up log says when checks failed. */
export function notReadyMessage(problems: readonly ReadinessProblem[]): string {
  return `not ready: ${problems.map((problem) => problem.message).join('; ')}.`;
}
