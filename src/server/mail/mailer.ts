/**
 * Outgoing mail (sign-in codes, email verification, lock-out notices, replies): SMTP through
 * nodemailer, or, in development (no `smtp.host`), the outbox table.
 */
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Kysely } from 'kysely';
import { DEFAULT_CONFIG, type SmtpConfig } from '../config.ts';
import type { Clock } from '../deps.ts';
import type { Database } from '../db/schema.ts';
import { writeOutbox } from '../outbox.ts';

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** The Message-ID this mail answers (`<…>`): `In-Reply-To` and `References`. */
  inReplyTo?: string;
  /** Where an answer to this mail goes (`Reply-To`): a reply's recipient, not the server. */
  replyTo?: string;
  /** Further header fields, e.g. `X-Sealpost`. Values must be single-line (checked by callers). */
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
}

/** Whether mail is known to work: the last send or check failed (with why), or did not. */
export type MailHealth = { ok: true } | { ok: false; cause: string };

export interface Mailer {
  /** Resolves once the message is accepted for delivery; rejects if the transport fails. */
  send(mail: OutgoingMail): Promise<void>;
  close?(): void;
  /** SMTP: failing from a failed send or check until the next success (readiness reports it). */
  health?(): MailHealth;
  /** SMTP: connects and logs in without sending (at start), updating `health`. */
  verify?(): Promise<MailHealth>;
  /** Called after every failed send or check, and at the first success after failures. */
  watch?(listener: (health: MailHealth) => void): void;
}

/**
 * Why a transport failed, fit for the log: nodemailer's message (`connect ECONNREFUSED
 * 127.0.0.1:2525`, `Invalid login: 535 …`) on one line, without the password (should a server
 * echo it) or mail addresses (a refused recipient's), and short.
 */
export function describeMailError(error: unknown, password?: string): string {
  let text = error instanceof Error ? error.message : String(error);
  if (password) text = text.split(password).join('[redacted]');
  text = text
    .replace(/[^\s<>"',;:]+@[^\s<>"',;]+/g, '[address]')
    .replace(/\s+/g, ' ')
    .trim();
  const code = (error as { code?: unknown }).code;
  const prefixed = typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
  return prefixed.length > 200 ? `${prefixed.slice(0, 199)}…` : prefixed || 'unknown error';
}

/** nodemailer's message for one outgoing mail, the same for SMTP and the outbox. */
export function mailOptions(from: string, mail: OutgoingMail): Mail.Options {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.inReplyTo === undefined
      ? {}
      : { inReplyTo: mail.inReplyTo, references: mail.inReplyTo }),
    ...(mail.replyTo === undefined ? {} : { replyTo: mail.replyTo }),
    ...(mail.headers === undefined ? {} : { headers: mail.headers }),
    ...(mail.attachments === undefined
      ? {}
      : {
          attachments: mail.attachments.map((attachment) => ({
            filename: attachment.filename,
            contentType: attachment.contentType,
            content: attachment.content,
          })),
        }),
  };
}

/** The whole message as it would go over SMTP (RFC 5322, MIME). */
export async function composeMail(from: string, mail: OutgoingMail): Promise<Buffer> {
  return new MailComposer(mailOptions(from, mail)).compile().build();
}

/** Sends through an SMTP server (STARTTLS when offered, or TLS when `secure`). */
export function smtpMailer(smtp: SmtpConfig & { host: string }): Mailer {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    // Never log message bodies (they carry codes).
    logger: false,
    connectionTimeout: 10_000,
    socketTimeout: 20_000,
  });
  let health: MailHealth = { ok: true };
  const listeners: ((health: MailHealth) => void)[] = [];
  // Mail known to fail makes the server not ready until a send or check works again.
  const record = async (attempt: () => Promise<unknown>): Promise<MailHealth> => {
    try {
      await attempt();
      if (health.ok) return health;
      health = { ok: true };
    } catch (error) {
      health = { ok: false, cause: describeMailError(error, smtp.password) };
      for (const listener of listeners) listener(health);
      throw error;
    }
    for (const listener of listeners) listener(health);
    return health;
  };
  return {
    async send(mail) {
      await record(() => transport.sendMail(mailOptions(smtp.from, mail)));
    },
    verify: () => record(() => transport.verify()).catch(() => health),
    health: () => health,
    watch: (listener) => void listeners.push(listener),
    close: () => transport.close(),
  };
}

/**
 * The development transport: the mail becomes an `email` row of the outbox. A plain mail is
 * kept readable (`Subject: …`, a blank line, the text); a mail with headers of its own or an
 * attachment (a reply) is kept whole, as SMTP would have sent it, so it can be saved as `.eml`.
 */
export function outboxMailer(
  db: Kysely<Database>,
  clock: Clock,
  from: string = DEFAULT_CONFIG.smtp.from,
): Mailer {
  return {
    async send(mail) {
      const whole =
        mail.attachments !== undefined ||
        mail.headers !== undefined ||
        mail.inReplyTo !== undefined;
      const text = whole
        ? (await composeMail(from, mail)).toString('utf8')
        : `Subject: ${mail.subject}\n\n${mail.text}`;
      await writeOutbox(db, clock, { channel: 'email', recipient: mail.to, text });
    },
  };
}

/** SMTP when a host is configured, else the outbox. */
export function createMailer(smtp: SmtpConfig, db: Kysely<Database>, clock: Clock): Mailer {
  return smtp.host ? smtpMailer({ ...smtp, host: smtp.host }) : outboxMailer(db, clock, smtp.from);
}
