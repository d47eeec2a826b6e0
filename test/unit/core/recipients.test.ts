import { describe, expect, it } from 'vitest';
import { classifyRecipients } from '../../../src/core/recipients.ts';

const sender = { name: 'Alice', address: 'Alice@Example.test' };

describe('classifyRecipients', () => {
  it('marks same-domain and configured domains internal, the sender as sender', () => {
    const recipients = classifyRecipients(
      [
        { name: '', address: 'bob@partner.example', field: 'to' },
        { name: 'Carol', address: 'carol@EXAMPLE.test', field: 'cc' },
        { name: '', address: 'dave@subsidiary.example', field: 'bcc' },
        { name: '', address: 'erin@eu.subsidiary.example', field: 'bcc' },
        { name: '', address: 'alice@example.test', field: 'cc' },
      ],
      sender,
      ['Subsidiary.example'],
    );
    // Exactly the listed domains (policy `internalDomains`), not their subdomains.
    expect(recipients.map((r) => [r.address, r.internal, r.isSender])).toEqual([
      ['bob@partner.example', false, false],
      ['carol@example.test', true, false],
      ['dave@subsidiary.example', true, false],
      ['erin@eu.subsidiary.example', false, false],
      ['alice@example.test', true, true],
    ]);
  });

  it('keeps the most visible field of a duplicate so a Bcc copy of a To address is not hidden', () => {
    const recipients = classifyRecipients(
      [
        { name: '', address: 'BOB@partner.example', field: 'bcc' },
        { name: 'Bob', address: 'bob@partner.example', field: 'to' },
        { name: '', address: 'bob@partner.example', field: 'cc' },
      ],
      sender,
    );
    expect(recipients).toHaveLength(1);
    expect(recipients[0]).toMatchObject({
      address: 'bob@partner.example',
      field: 'to',
      name: 'Bob',
    });
  });

  it('keeps the list a member came from', () => {
    const [member] = classifyRecipients(
      [{ name: 'Eve', address: 'eve@partner.example', field: 'to', list: 'Partners' }],
      sender,
    );
    expect(member?.list).toBe('Partners');
  });
});
