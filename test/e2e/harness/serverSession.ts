import { simpleParser } from 'mailparser';
import { waitFor } from './chromeWindows.ts';
import { SealpostOptions } from './sealpostOptions.ts';
import { oneTimeCodeIn, startSealpostServer, type SealpostServer } from './sealpostServer.ts';
import type { ThunderbirdSession } from './session.ts';
import type { SmtpSink } from './smtpSink.ts';

/**
 * Sealpost with a server in a Thunderbird session: a real server (PGlite, dev outbox for SMS,
 * email through SMTP into the session's sink, the sender's domain as the organisation), set up
 * the way a user does it, in Sealpost's options page: server URL, then sign-in with the code the
 * server mailed to the sender (read from the sink).
 */

/** The 6-digit code in the first mail to `address` among the sink's mails from index `from`. */
export async function codeFromSink(
  sink: SmtpSink,
  address: string,
  from: number,
  timeoutMs = 20_000,
): Promise<string> {
  return waitFor(
    `a code mailed to ${address}`,
    async () => {
      for (const mail of sink.mails.slice(from)) {
        if (!mail.rcptTo.some((recipient) => recipient.toLowerCase() === address.toLowerCase())) {
          continue;
        }
        const parsed = await simpleParser(mail.raw);
        const code = oneTimeCodeIn(`${parsed.subject ?? ''}\n${parsed.text ?? ''}`);
        if (code) return code;
      }
      return undefined;
    },
    timeoutMs,
    200,
  );
}

/** The domain of `Name <address>` or `address`. */
export function domainOf(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address
    .slice(address.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
}

/** Starts a server whose email goes to the session's sink; `domains` are the organisation's. */
export function startServerForSession(
  session: ThunderbirdSession,
  domains: string[],
): Promise<SealpostServer> {
  return startSealpostServer({
    domains,
    smtp: { host: '127.0.0.1', port: session.sink.port },
  });
}

/**
 * Points Sealpost at `server` in its options page and signs `address` in; returns what the page
 * says ("Signed in as …"). The options tab stays open (harmless for composing).
 */
export async function connectSealpost(
  session: ThunderbirdSession,
  server: SealpostServer,
  address: string,
): Promise<string> {
  const options = await SealpostOptions.open(session.thunderbird.marionette);
  await options.setServerUrl(server.url);
  const mailsBefore = session.sink.mails.length;
  return options.signIn(address, () => codeFromSink(session.sink, address, mailsBefore));
}
