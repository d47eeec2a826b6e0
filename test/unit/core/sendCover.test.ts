import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cssString, sendCoverCss } from '../../../src/core/sendCover.ts';

/**
 * Reads a CSS string token as a browser does (CSS Syntax §4.3.5 and §4.3.7): the text it
 * stands for, or null when the literal would end early or break the rule.
 */
function readCssString(literal: string): string | null {
  if (!literal.startsWith('"') || !literal.endsWith('"') || literal.length < 2) return null;
  const inner = literal.slice(1, -1);
  let text = '';
  for (let i = 0; i < inner.length; i++) {
    const character = inner[i]!;
    if (character === '"' || character === '\n' || character === '\r' || character === '\f') {
      return null;
    }
    if (character !== '\\') {
      text += character;
      continue;
    }
    const hex = /^[0-9a-fA-F]{1,6}/.exec(inner.slice(i + 1))?.[0];
    if (hex === undefined) {
      // A backslash before anything else stands for that character.
      text += inner[i + 1] ?? '';
      i += 1;
      continue;
    }
    text += String.fromCodePoint(Number.parseInt(hex, 16));
    i += hex.length;
    if (/\s/.test(inner[i + 1] ?? '')) i += 1;
  }
  return text;
}

describe('cssString', () => {
  it('stands for exactly the text, whatever the text (quotes, backslashes, line breaks)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(readCssString(cssString(text))).toBe(text);
      }),
    );
  });

  it('cannot end the string or the rule early', () => {
    const hostile = 'x"; } body { display: none } a::before { content: "\\\n</style>';
    const literal = cssString(hostile);
    expect(literal.slice(1, -1)).not.toMatch(/["\n]/);
    expect(readCssString(literal)).toBe(hostile);
  });

  it('writes a line break as \\A, which the sheet shows as a new line', () => {
    expect(cssString('one\ntwo')).toBe('"one\\A two"');
    expect(sendCoverCss('x')).toContain('white-space: pre-line');
  });
});

describe('sendCoverCss', () => {
  it('covers the whole editor, opaque, above everything, with the text', () => {
    const css = sendCoverCss('Sealing… 1 of 2');
    expect(css).toContain('content: "Sealing… 1 of 2" !important');
    expect(css).toMatch(/position: fixed !important; inset: 0 !important/);
    expect(css).toContain('z-index: 2147483647');
    expect(css).toContain('background: Canvas !important');
  });
});
