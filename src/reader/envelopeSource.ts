/**
 * Where the envelope lives: the sender's add-on replaces the placeholder text of
 * `<script type="application/json" id="sealpost-envelope">` with the envelope JSON.
 */
export const ENVELOPE_ELEMENT_ID = 'sealpost-envelope';

export type EnvelopeSource =
  | { kind: 'json'; json: string }
  /** The placeholder is still there: the template itself was opened. */
  | { kind: 'template' }
  /** No envelope element at all: the file was cut or edited. */
  | { kind: 'missing' };

/**
 * Reads the envelope text from the document. The placeholder is recognised by its shape (one
 * upper-case word) rather than by spelling it out, because the add-on replaces the first
 * occurrence of the placeholder in the file and the reader's own script comes first.
 */
export function readEnvelopeSource(document: Document): EnvelopeSource {
  const element = document.getElementById(ENVELOPE_ELEMENT_ID);
  if (!element) return { kind: 'missing' };
  const text = (element.textContent ?? '').trim();
  if (text === '' || /^[A-Z_]+$/.test(text)) return { kind: 'template' };
  return { kind: 'json', json: text };
}
