import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/** One mail as the sink received it: the raw bytes and the SMTP envelope. */
export interface ReceivedMail {
  /** The message exactly as sent over SMTP (after DATA). */
  raw: Buffer;
  /** MAIL FROM address. */
  mailFrom: string;
  /** Every RCPT TO address, in order. */
  rcptTo: string[];
  receivedAt: Date;
}

/**
 * An SMTP server on 127.0.0.1 without TLS or AUTH that keeps every mail in memory, so tests can
 * inspect exactly what a mail client put on the wire, including the envelope (where Bcc lives).
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** Addresses the sink refuses at RCPT TO (550), as a mail server refusing a mailbox does. */
  readonly refusedRecipients = new Set<string>();
  /**
   * How long the sink waits before accepting a mail's data, by its SMTP envelope (a slow
   * server or a large mail on a slow line); 0 = at once.
   */
  acceptDelayMs: (rcptTo: string[]) => number = () => 0;
  private readonly waiters: Array<() => void> = [];
  private readonly listeners: Array<(mail: ReceivedMail) => void> = [];

  private readonly server: SMTPServer;
  /** The port the sink listens on (set by `start`). */
  port = 0;

  private constructor() {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      // Large sealed mails (several MB of attachments, base64 twice) must fit.
      size: 200 * 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        if (!this.refusedRecipients.has(address.address.toLowerCase())) return callback();
        const refusal = new Error(`<${address.address}>: Recipient address rejected (test)`);
        (refusal as Error & { responseCode: number }).responseCode = 550;
        callback(refusal);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const envelope = session.envelope;
          const rcptTo = envelope.rcptTo.map((recipient) => recipient.address);
          setTimeout(() => {
            this.add({
              raw: Buffer.concat(chunks),
              mailFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
              rcptTo,
              receivedAt: new Date(),
            });
            callback();
          }, this.acceptDelayMs(rcptTo));
        });
      },
    });
  }

  /** Starts a sink on 127.0.0.1:`port` (0 = any free port). */
  static async start(port = 0): Promise<SmtpSink> {
    const sink = new SmtpSink();
    await new Promise<void>((resolve, reject) => {
      sink.server.once('error', reject);
      sink.server.listen(port, '127.0.0.1', () => resolve());
    });
    sink.port = (sink.server.server.address() as AddressInfo).port;
    return sink;
  }

  /** Calls `listener` for every mail received from now on. */
  onMail(listener: (mail: ReceivedMail) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Resolves with the first `count` mails once that many have arrived, or rejects after
   * `timeoutMs`.
   */
  async waitForMails(count: number, timeoutMs = 30_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`SMTP sink: expected ${count} mail(s), got ${this.mails.length}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.mails.slice(0, count);
  }

  /** Forgets received mails (between test cases sharing one sink). */
  clear(): void {
    this.mails.length = 0;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private add(mail: ReceivedMail): void {
    this.mails.push(mail);
    for (const listener of this.listeners) listener(mail);
    for (const wake of this.waiters.splice(0)) wake();
  }
}
