import { describe, expect, it } from 'vitest';
import { attachesEnvelope, linkOnlyRecipient, linkReason } from '../../../src/core/linkDelivery.ts';

const base = {
  hasServerLocks: true,
  estimatedMailBytes: 1_000_000,
  linkDeliveryAboveMB: 5,
  recipients: ['bob@partner.example'],
  linkOnlyDomains: [] as string[],
  chosen: false,
};

describe('linkReason', () => {
  it('keeps a small message in the mail', () => {
    expect(linkReason(base)).toBeNull();
  });

  it('sends a message above the threshold by link, and one at it in the mail', () => {
    expect(linkReason({ ...base, estimatedMailBytes: 5_000_001 })).toBe('size');
    expect(linkReason({ ...base, estimatedMailBytes: 5_000_000 })).toBeNull();
  });

  it('sends every message by link with a threshold of 0', () => {
    expect(linkReason({ ...base, linkDeliveryAboveMB: 0, estimatedMailBytes: 1 })).toBe('size');
  });

  it('sends mail to a link-only domain by link whatever its size, matching the exact domain', () => {
    const domains = ['Partner.Example'];
    expect(linkReason({ ...base, linkOnlyDomains: domains })).toBe('domain');
    expect(
      linkReason({ ...base, recipients: ['eve@sub.partner.example'], linkOnlyDomains: domains }),
    ).toBeNull();
    expect(linkOnlyRecipient(['a@x.example', 'B@PARTNER.example'], domains)).toBe(
      'B@PARTNER.example',
    );
  });

  it('follows the sender’s choice when neither size nor domain decides', () => {
    expect(linkReason({ ...base, chosen: true })).toBe('chosen');
  });

  it('never goes by link without server locks: nothing would be registered to upload to', () => {
    expect(
      linkReason({
        ...base,
        hasServerLocks: false,
        estimatedMailBytes: 50_000_000,
        linkOnlyDomains: ['partner.example'],
        chosen: true,
      }),
    ).toBeNull();
  });
});

describe('attachesEnvelope', () => {
  it('attaches as the policy says, and always for a recipient with their own key', () => {
    expect(attachesEnvelope(true, false)).toBe(true);
    expect(attachesEnvelope(false, false)).toBe(false);
    expect(attachesEnvelope(false, true)).toBe(true);
  });
});
