import { simpleParser, type ParsedMail } from 'mailparser';

/** Something that must not appear in a sealed mail: text, or bytes of an attachment. */
export interface Secret {
  /** How a finding names it, e.g. "body text" or "attachment scan.pdf". */
  label: string;
  value: string | Uint8Array;
}

/**
 * The forms a secret could take on the wire or in a decoded part: its bytes, and its base64
 * at each of the three alignments (a slice inside a base64 stream is encoded differently
 * depending on its offset modulo 3), without padding so it also matches mid-stream.
 */
export function encodedForms(value: string | Uint8Array): Buffer[] {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  const forms = [bytes];
  for (let offset = 0; offset < 3; offset++) {
    const aligned = bytes.subarray(offset, offset + Math.floor((bytes.length - offset) / 3) * 3);
    if (aligned.length >= 24) forms.push(Buffer.from(aligned.toString('base64'), 'ascii'));
  }
  return forms;
}

/** A place to search: the raw mail, or one decoded part of it. */
interface Haystack {
  where: string;
  bytes: Buffer;
}

/** Every decoded part of a parsed mail, plus the raw mail (as is and with line breaks removed). */
export function haystacks(raw: Buffer, parsed: ParsedMail): Haystack[] {
  const places: Haystack[] = [
    { where: 'raw mail', bytes: raw },
    {
      where: 'raw mail without line breaks',
      bytes: Buffer.from(raw.toString('latin1').replace(/\r?\n/g, ''), 'latin1'),
    },
  ];
  if (parsed.text) places.push({ where: 'decoded text body', bytes: Buffer.from(parsed.text) });
  if (typeof parsed.html === 'string') {
    places.push({ where: 'decoded HTML body', bytes: Buffer.from(parsed.html) });
  }
  places.push({ where: 'decoded subject', bytes: Buffer.from(parsed.subject ?? '') });
  for (const attachment of parsed.attachments) {
    const name = attachment.filename ?? attachment.contentType;
    places.push({ where: `decoded attachment ${name}`, bytes: attachment.content });
    // Base64 inside an attachment (the reader embeds its envelope) may be wrapped.
    places.push({
      where: `decoded attachment ${name} without whitespace`,
      bytes: Buffer.from(attachment.content.toString('latin1').replace(/\s+/g, ''), 'latin1'),
    });
  }
  return places;
}

/** Searches the raw mail and every decoded part for every form of every secret. */
export async function findLeaks(raw: Buffer, secrets: readonly Secret[]): Promise<string[]> {
  const parsed = await simpleParser(raw);
  const places = haystacks(raw, parsed);
  const findings: string[] = [];
  for (const secret of secrets) {
    for (const form of encodedForms(secret.value)) {
      for (const place of places) {
        if (place.bytes.includes(form)) {
          const kind = form.equals(encodedForms(secret.value)[0]!) ? 'as is' : 'as base64';
          findings.push(`${secret.label} found ${kind} in ${place.where}`);
        }
      }
    }
  }
  return [...new Set(findings)];
}

/** A distinctive 64-byte slice from the middle of `bytes`. */
export function middleSlice(bytes: Uint8Array, length = 64): Uint8Array {
  const start = Math.max(0, Math.floor(bytes.length / 2) - Math.floor(length / 2));
  return bytes.subarray(start, start + length);
}

/** A file a server keeps (a stored message, or an index or cache file of its own). */
export interface ServerFile {
  path: string;
  bytes: Buffer;
  /** A whole message (searched decoded too), not the server's bookkeeping. */
  isMessage: boolean;
}

/**
 * Searches everything a mail server keeps for the secrets: each message as a mail (raw and
 * decoded, so quoted-printable and base64 bodies count), and every other file (indexes, caches,
 * logs) as bytes, as base64, and with quoted-printable soft line breaks (`=` + line end) removed.
 * Findings name the file.
 */
export async function findLeaksInServerFiles(
  files: readonly ServerFile[],
  secrets: readonly Secret[],
): Promise<string[]> {
  const findings: string[] = [];
  for (const file of files) {
    if (file.isMessage) {
      for (const finding of await findLeaks(file.bytes, secrets)) {
        findings.push(`${file.path}: ${finding}`);
      }
      continue;
    }
    const unwrapped = Buffer.from(file.bytes.toString('latin1').replace(/=\r?\n/g, ''), 'latin1');
    for (const secret of secrets) {
      const found = encodedForms(secret.value).some(
        (form) => file.bytes.includes(form) || unwrapped.includes(form),
      );
      if (found) findings.push(`${file.path}: ${secret.label}`);
    }
  }
  return findings;
}
