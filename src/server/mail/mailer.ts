/**
 * Outgoing mail for sign-in codes and email verification: SMTP through nodemailer, or, in
 * development (no `smtp.host`), the outbox table.
 */
import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import type { SmtpConfig } from '../config.ts';
import type { Clock } from '../deps.ts';
import type { Database } from '../db/schema.ts';
import { writeOutbox } from '../outbox.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Resolves once the message is accepted for delivery; rejects if the transport fails. */
  send(mail: OutgoingMail): Promise<void>;
  close?(): void;
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
  return {
    async send(mail) {
      await transport.sendMail({
        from: smtp.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      });
    },
    close: () => transport.close(),
  };
}

/** The development transport: the mail becomes an `email` row of the outbox. */
export function outboxMailer(db: Kysely<Database>, clock: Clock): Mailer {
  return {
    send: (mail) =>
      writeOutbox(db, clock, {
        channel: 'email',
        recipient: mail.to,
        text: `Subject: ${mail.subject}\n\n${mail.text}`,
      }),
  };
}

/** SMTP when a host is configured, else the outbox. */
export function createMailer(smtp: SmtpConfig, db: Kysely<Database>, clock: Clock): Mailer {
  return smtp.host ? smtpMailer({ ...smtp, host: smtp.host }) : outboxMailer(db, clock);
}
