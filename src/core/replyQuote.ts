/**
 * The text of a secure reply: the original's subject with one "Re:", and its text quoted the way
 * mail clients quote (`> ` per line) under a line saying who wrote it and when. Pure: the
 * background fills in the header line in the user's language.
 */

/** "Re: <subject>", without piling up "Re:" on a subject that has one. */
export function replySubject(subject: string): string {
  const trimmed = subject.trim();
  return /^re:/i.test(trimmed) ? trimmed : `Re: ${trimmed}`;
}

/**
 * The original's text for quoting: its plain text part, else its HTML reduced to text (tags
 * dropped, the common entities decoded). Only ever put into a plain-text compose body.
 */
export function plainTextOf(original: { text: string | null; html: string | null }): string {
  if (original.text !== null && original.text.trim() !== '') return original.text;
  if (original.html === null) return '';
  return original.html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** `header`, then every line of `text` quoted with "> " (an empty line as ">"). */
export function quoteText(header: string, text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const quoted = lines.map((line) => (line === '' ? '>' : `> ${line}`));
  return `\n\n${header}\n${quoted.join('\n')}\n`;
}
