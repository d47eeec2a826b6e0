import type { Envelope } from '../../../src/core/envelope.ts';
import { ENVELOPE_ELEMENT } from '../../../src/core/envelopeCodec.ts';

export function sampleEnvelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    format: 'sealpost-envelope',
    version: 1,
    messageId: '<3f1c9a52@sealpost>',
    createdAt: '2026-11-27T08:15:30.000Z',
    serverUrl: null,
    sender: { name: 'Alice Äpfel', address: 'alice@example.test' },
    languages: ['de', 'en'],
    locks: [
      { method: 'code', hint: 'b•••@partner.example', language: 'de' },
      { method: 'code', language: 'en' },
      { method: 'sender-key', language: 'de' },
    ],
    payload: 'AAECAwQF',
    ...overrides,
  };
}

/** A stand-in for the built reader: the one element the codec relies on, inside some page. */
export const SAMPLE_TEMPLATE = `<!doctype html><html><head><meta charset="utf-8"><title>Secure message</title>
<script type="module">const x = "</scr" + "ipt>"; console.log(x);</script>
${ENVELOPE_ELEMENT}
</head><body><div id="app"></div></body></html>`;
