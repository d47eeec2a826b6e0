import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { ReceivedMail } from './smtpSink.ts';

/** The reader Sealpost attaches to every sealed mail (docs/envelope.md). */
export const READER_ATTACHMENT = 'secure-message.html';

/** Files an earlier run wrote into an output folder, which a new run replaces. */
const RUN_OUTPUT = /^(mail-\d+\.eml|mail-\d+-secure-message\.html|result\.json)$/;

/** `mail-3.eml` for the third mail at the sink. */
export function mailFileName(index: number): string {
  return `mail-${index + 1}.eml`;
}

/** `mail-3-secure-message.html`: the reader attached to `mail-3.eml`. */
export function readerFileName(index: number): string {
  return `mail-${index + 1}-${READER_ATTACHMENT}`;
}

/** The bytes of the mail's `secure-message.html` attachment, or null when it has none. */
export async function readerAttachment(raw: Buffer): Promise<Buffer | null> {
  const parsed = await simpleParser(raw);
  return parsed.attachments.find((part) => part.filename === READER_ATTACHMENT)?.content ?? null;
}

/** Removes what an earlier run left in `directory` (and nothing else the user keeps there). */
export async function clearRunOutput(directory: string): Promise<void> {
  for (const name of await readdir(directory)) {
    if (RUN_OUTPUT.test(name)) await rm(join(directory, name));
  }
}

/**
 * Writes each mail as `mail-N.eml` and, when it carries Sealpost's reader, that attachment as
 * `mail-N-secure-message.html` beside it (a notification to one recipient, a Bcc copy to
 * another: each mail's reader is its own file). Returns the reader files' names, in mail order.
 */
export async function writeMails(directory: string, mails: ReceivedMail[]): Promise<string[]> {
  const readerFiles: string[] = [];
  for (const [index, mail] of mails.entries()) {
    await writeFile(join(directory, mailFileName(index)), mail.raw);
    const reader = await readerAttachment(mail.raw);
    if (reader) {
      await writeFile(join(directory, readerFileName(index)), reader);
      readerFiles.push(readerFileName(index));
    }
  }
  return readerFiles;
}
