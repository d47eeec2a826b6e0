import { describe, expect, it } from 'vitest';
import { maskAddress, normaliseAddress, parseMailbox } from '../../../src/core/address.ts';

describe('normaliseAddress', () => {
  it.each([
    ['Bob@Partner.Example', 'bob@partner.example'],
    ['  bob@partner.example \n', 'bob@partner.example'],
    ['mailto:BOB@partner.example', 'bob@partner.example'],
    [' MAILTO: <Bob@Partner.example> ', 'bob@partner.example'],
  ])('%j -> %s', (raw, expected) => {
    expect(normaliseAddress(raw)).toBe(expected);
  });
});

describe('parseMailbox', () => {
  it('splits display name and address', () => {
    expect(parseMailbox('"Müller, Jörg" <Joerg@Example.DE>')).toEqual({
      name: 'Müller, Jörg',
      address: 'joerg@example.de',
    });
    expect(parseMailbox('Bob Example <bob@partner.example>')).toEqual({
      name: 'Bob Example',
      address: 'bob@partner.example',
    });
    expect(parseMailbox('bob@partner.example')).toEqual({
      name: '',
      address: 'bob@partner.example',
    });
  });

  it('returns null for a mailing list entry and for junk', () => {
    expect(parseMailbox('Team <Team>')).toBeNull();
    expect(parseMailbox('not an address')).toBeNull();
    expect(parseMailbox('')).toBeNull();
  });
});

describe('maskAddress', () => {
  it('keeps the first letter and the domain only', () => {
    expect(maskAddress('bob@partner.example')).toBe('b•••@partner.example');
    expect(maskAddress('nonsense')).toBe('•••');
  });
});
