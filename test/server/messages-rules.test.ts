import { describe, expect, it } from 'vitest';
import { expiryFor, lockHint, messageState, sentToHint } from '../../src/server/messages/rules.ts';
import {
  hostedReaderPage,
  HOSTED_META_NAME,
  escapeHtml,
} from '../../src/server/messages/hostedReader.ts';
import { generateOneTimeCode, normaliseOneTimeCode } from '../../src/server/messages/secrets.ts';
import { maskPhoneNumber, normalisePhoneNumber } from '../../src/server/providers/phone.ts';

const now = new Date('2026-11-27T10:00:00Z');

describe('message state', () => {
  it('is active before expiry, expired at and after it', () => {
    const expiresAt = new Date('2026-11-28T10:00:00Z');
    expect(messageState({ expiresAt, revokedAt: null }, now)).toBe('active');
    expect(messageState({ expiresAt, revokedAt: null }, expiresAt)).toBe('expired');
  });
  it('says revoked even after expiry', () => {
    expect(
      messageState(
        {
          expiresAt: new Date('2026-11-01T00:00:00Z'),
          revokedAt: new Date('2026-10-30T00:00:00Z'),
        },
        now,
      ),
    ).toBe('revoked');
  });
});

describe('expiry', () => {
  const limits = { defaultDays: 30, maxDays: 90 };
  it('defaults to 30 days', () => {
    const result = expiryFor(undefined, limits, now);
    expect(result).toEqual({ ok: true, expiresAt: new Date('2026-12-27T10:00:00Z') });
  });
  it('takes fewer days and refuses more than the maximum', () => {
    expect(expiryFor(1, limits, now)).toEqual({
      ok: true,
      expiresAt: new Date('2026-11-28T10:00:00Z'),
    });
    expect(expiryFor(91, limits, now)).toEqual({ ok: false, reason: 'too-long' });
  });
});

describe('hints', () => {
  it('masks visible locks and gives hidden ones none', () => {
    expect(
      lockHint({ method: 'code', address: 'bob@partner.example', hidden: false, phone: null }),
    ).toBe('b•••@partner.example');
    expect(
      lockHint({ method: 'email', address: 'carol@partner.example', hidden: true, phone: null }),
    ).toBeNull();
    const smsHint = lockHint({
      method: 'sms',
      address: 'dan@x.example',
      hidden: false,
      phone: '+4915123456789',
    });
    expect(smsHint).toBe('d•••@x.example (+49 ••• •••• 89)');
    expect(smsHint).not.toContain('1512345');
  });
  it('says where a one-time code went, masked', () => {
    expect(sentToHint({ method: 'sms', address: 'd@x.example', phone: '+14155550123' })).toBe(
      '+1 ••• •••• 23',
    );
    expect(sentToHint({ method: 'email', address: 'erin@x.example', phone: null })).toBe(
      'e•••@x.example',
    );
    expect(sentToHint({ method: 'org-code', address: 'erin@x.example', phone: null })).toBeNull();
  });
});

describe('secrets', () => {
  it('one-time codes are six digits and vary', () => {
    const codes = new Set(Array.from({ length: 50 }, () => generateOneTimeCode()));
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(codes.size).toBeGreaterThan(40);
  });
  it('ignores spaces and dashes in typed one-time codes', () => {
    expect(normaliseOneTimeCode(' 123-456 ')).toBe('123456');
  });
});

describe('phone numbers', () => {
  it('normalises to E.164 and refuses what cannot be texted', () => {
    expect(normalisePhoneNumber('+49 151 23456789')).toEqual({ ok: true, e164: '+4915123456789' });
    expect(normalisePhoneNumber('0151 23456789', 'DE')).toEqual({
      ok: true,
      e164: '+4915123456789',
    });
    expect(normalisePhoneNumber('12')).toEqual({ ok: false, reason: 'invalid-phone' });
    expect(normalisePhoneNumber('not a number')).toEqual({ ok: false, reason: 'invalid-phone' });
  });
  it('masks all but the country code and the last two digits', () => {
    expect(maskPhoneNumber('+4915123456789')).toBe('+49 ••• •••• 89');
  });
});

describe('hosted reader page', () => {
  const readerHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta
      http-equiv="Content-Security-Policy"
      content="default-src 'none'; script-src 'unsafe-inline'; base-uri 'none'"
    />
    <title>Secure message</title>
    <script type="module">const s = '<meta http-equiv="Content-Security-Policy" content="x">';</script>
  </head>
  <body><script type="application/json" id="sealpost-envelope">SEALPOST_ENVELOPE</script></body>
</html>`;
  const messageId = '0b6c1d52-8a4e-4f55-9b8e-3f1f0e7b6a21';

  it('adds the hosted marker in the head and keeps the placeholder', () => {
    const page = hostedReaderPage(readerHtml, messageId);
    const head = page.html.slice(0, page.html.indexOf('<script'));
    expect(head).toContain(`<meta name="${HOSTED_META_NAME}" content="${messageId}" />`);
    expect(page.html).toContain('>SEALPOST_ENVELOPE</script>');
  });
  it("allows connect-src 'self' in both the header and the page's own policy, and nothing else new", () => {
    const page = hostedReaderPage(readerHtml, messageId);
    expect(page.contentSecurityPolicy).toBe(
      "default-src 'none'; script-src 'unsafe-inline'; base-uri 'none'; connect-src 'self'",
    );
    const head = page.html.slice(0, page.html.indexOf('<script'));
    expect(head).toContain(`content="${escapeHtml(page.contentSecurityPolicy)}"`);
    // The look-alike inside the script is left alone.
    expect(page.html).toContain(`content="x">'`);
  });
});
