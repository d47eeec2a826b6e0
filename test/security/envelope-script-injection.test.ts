import { describe, expect, it } from 'vitest';
import {
  ENVELOPE_ELEMENT,
  extractEnvelopeJson,
  parseEnvelope,
  renderReaderHtml,
} from '../../src/core/envelopeCodec.ts';
import { SAMPLE_TEMPLATE, sampleEnvelope } from '../unit/envelope/envelopeFixture.ts';

/**
 * Sender names, hints and message ids end up inside the reader's <script> element. A value that
 * could close the element (`</script>`), open a comment (`<!--`) or break a JS string
 * (U+2028) would let whoever controls a display name run script in the recipient's reader.
 */
describe('attack: envelope script injection', () => {
  const hostile = [
    '</script><script>alert(document.domain)</script>',
    '</SCRIPT ><img src=x onerror=alert(1)>',
    '<!--<script>',
    ']]></script>&lt;&amp;',
    'line\u2028separator\u2029paragraph',
  ];

  it('escapes every hostile value so it cannot leave the JSON or the element', () => {
    for (const value of hostile) {
      const envelope = sampleEnvelope({
        sender: { name: value, address: 'alice@example.test' },
        messageId: `<${value.replace(/[<>\s]/g, '')}@x>`,
        locks: [
          { method: 'code', hint: value, language: 'en' },
          { method: 'sender-key', language: 'en' },
        ],
      });
      const parts = renderReaderHtml(SAMPLE_TEMPLATE, envelope);
      const json = parts.slice(1, -1).join('');
      expect(json).not.toMatch(/[<>&\u2028\u2029]/);
      const html = parts.join('');
      // Exactly the template's closing tags remain: the envelope element closes where it should.
      const closingTags = (text: string) => text.match(/<\/script/gi)?.length ?? 0;
      expect(closingTags(html)).toBe(closingTags(SAMPLE_TEMPLATE));
      const elementStart = html.indexOf('<script type="application/json" id="sealpost-envelope">');
      const elementEnd = html.indexOf('</script>', elementStart);
      expect(html.slice(elementStart, elementEnd + 9)).toBe(
        ENVELOPE_ELEMENT.replace('SEALPOST_ENVELOPE', json),
      );
      // And the values come back exactly.
      expect(parseEnvelope(extractEnvelopeJson(html)!)).toEqual({ ok: true, envelope });
    }
  });
});
