// @vitest-environment jsdom
/**
 * Attack: a sender (or whoever forged the message) puts active content into an HTML body. The
 * reader's sanitiser must strip every way to run script or load something remote, before the
 * sandboxed frame (tested in a real Chromium by test/e2e/reader.test.ts) even sees it.
 */
import { describe, expect, it } from 'vitest';
import {
  buildMessageSrcdoc,
  MESSAGE_CONTENT_SECURITY_POLICY,
  MESSAGE_FRAME_SANDBOX,
} from '../../../src/reader/htmlBody.ts';

function parsed(html: string): Document {
  return new DOMParser().parseFromString(buildMessageSrcdoc(html), 'text/html');
}

describe('buildMessageSrcdoc', () => {
  it('removes scripts, event handlers and javascript: URLs', () => {
    const document = parsed(
      '<p onclick="steal()">Hi <img src="data:image/png;base64,AAAA" onerror="steal()">' +
        '<a href="javascript:steal()">x</a><script>steal()</script>' +
        '<svg><script>steal()</script><animate onbegin="steal()"/></svg>' +
        '<iframe src="https://evil.example"></iframe><object data="x.swf"></object></p>',
    );
    const html = document.documentElement.outerHTML;
    expect(document.querySelectorAll('script, iframe, object, embed')).toHaveLength(0);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toContain('steal()');
    // The harmless parts stay.
    expect(document.body.textContent).toContain('Hi');
    expect(document.querySelector('img')?.getAttribute('src')).toBe('data:image/png;base64,AAAA');
  });

  it('removes forms and anything in the head that could redirect or load remote resources', () => {
    const document = parsed(
      '<html><head><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example">' +
        '<link rel="stylesheet" href="https://evil.example/x.css"></head>' +
        '<body><form action="https://evil.example"><input name="q"></form>text</body></html>',
    );
    expect(document.querySelector('form')).toBeNull();
    expect(document.querySelector('link')).toBeNull();
    expect(document.querySelector('meta[http-equiv="refresh"]')).toBeNull();
    const bases = [...document.querySelectorAll('base')];
    expect(bases.map((base) => [base.getAttribute('href'), base.getAttribute('target')])).toEqual([
      [null, '_blank'],
    ]);
  });

  it('runs in a frame sandboxed without scripts, with its own charset and base style', () => {
    expect(MESSAGE_FRAME_SANDBOX.split(' ').sort()).toEqual(
      ['allow-popups', 'allow-popups-to-escape-sandbox', 'allow-same-origin'].sort(),
    );
    const document = parsed('<p>x</p>');
    expect(document.querySelector('meta[charset]')?.getAttribute('charset')).toBe('utf-8');
    expect(document.head.querySelector('style')?.textContent).toMatch(/color-scheme: light/);
  });

  it('puts the content security policy first and makes links open apart, without a referrer', () => {
    const kept = parsed('<a href="https://example.org/x" target="_blank">x</a>');
    expect(kept.querySelector('a')?.getAttribute('target')).toBe('_blank');
    const document = parsed('<a href="https://example.org/doc">doc</a>');
    const first = document.head.firstElementChild;
    expect(first?.getAttribute('http-equiv')).toBe('Content-Security-Policy');
    expect(first?.getAttribute('content')).toBe(MESSAGE_CONTENT_SECURITY_POLICY);
    expect(MESSAGE_CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(document.querySelector('a')?.getAttribute('rel')).toBe('noopener noreferrer');
  });
});
