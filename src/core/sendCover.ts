/**
 * What the compose window's editor shows while Sealpost sends: a sheet over the whole editor
 * with the step under way. It is a style sheet injected into the editor (not a node of its
 * document), so it never reaches the mail Thunderbird serialises from that document; and it
 * hides the editor before the body is swapped for the recipient's notification, so the sender
 * never sees that text where their own was.
 */

/** The steps of a secure send, in the order they happen. */
export type SendPhase = 'sealing' | 'registering' | 'uploading' | 'sending' | 'sending-copy';

/**
 * A CSS string literal holding `text`. Quotes, backslashes and control characters are escaped
 * as CSS escapes, so no text (an address, a translation) can end the string or the rule.
 * Line breaks become `\A `, which `white-space: pre-line` shows as line breaks.
 */
export function cssString(text: string): string {
  let literal = '"';
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (character === '\n') literal += '\\A ';
    else if (character === '"' || character === '\\' || code < 0x20 || code === 0x7f) {
      literal += `\\${code.toString(16)} `;
    } else literal += character;
  }
  return `${literal}"`;
}

/**
 * The sheet over the editor: opaque, above everything, in the system's colours (so a dark
 * theme stays dark), the text centred. `!important` because the sender's message may carry
 * styles of its own.
 */
export function sendCoverCss(text: string): string {
  return [
    'html { overflow: hidden !important; }',
    'body::before {',
    `  content: ${cssString(text)} !important;`,
    '  position: fixed !important; inset: 0 !important; z-index: 2147483647 !important;',
    '  display: flex !important; align-items: center !important;',
    '  justify-content: center !important; padding: 2em !important;',
    '  box-sizing: border-box !important; text-align: center !important;',
    '  white-space: pre-line !important; background: Canvas !important;',
    '  color: CanvasText !important; font: 1.1em/1.6 sans-serif !important;',
    '}',
  ].join('\n');
}
