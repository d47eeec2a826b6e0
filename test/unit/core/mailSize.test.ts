import { describe, expect, it } from 'vitest';
import {
  MAIL_OVERHEAD_BYTES,
  MEGABYTE,
  estimatedSealedMailBytes,
  exceedsMailLimit,
  megabytesText,
  sealedMailBytes,
} from '../../../src/core/mailSize.ts';

describe('sealed mail size', () => {
  it('is the reader file base64-encoded in lines of 76, plus the plain parts', () => {
    // 57 bytes are one full line of 76 characters and its CRLF.
    expect(sealedMailBytes(57)).toBe(76 + 2 + MAIL_OVERHEAD_BYTES);
    expect(sealedMailBytes(58)).toBe(80 + 4 + MAIL_OVERHEAD_BYTES);
    expect(sealedMailBytes(0)).toBe(MAIL_OVERHEAD_BYTES);
  });

  it('estimates about 1.8× the attachments, as measured (a 25 MiB file made a 47.9 MB mail)', () => {
    const estimate = estimatedSealedMailBytes(25 * 1024 * 1024, 2000);
    expect(estimate / MEGABYTE).toBeGreaterThan(47);
    expect(estimate / MEGABYTE).toBeLessThan(49);
  });

  it('exceeds the limit only above it, in MB of 10^6 bytes', () => {
    expect(exceedsMailLimit(20 * MEGABYTE, 20)).toBe(false);
    expect(exceedsMailLimit(20 * MEGABYTE + 1, 20)).toBe(true);
    expect(exceedsMailLimit(19 * MEGABYTE, 20)).toBe(false);
  });

  it('writes sizes as the panel shows them', () => {
    expect(megabytesText(48_312_000)).toBe('48.3 MB');
    expect(megabytesText(1_650_000)).toBe('1.6 MB');
    expect(megabytesText(150_400_000)).toBe('150 MB');
  });
});
