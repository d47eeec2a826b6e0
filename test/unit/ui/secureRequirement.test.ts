import { describe, expect, it } from 'vitest';
import { secureRequiredText } from '../../../src/popup/secureRequirement.ts';

const translate = (key: string, substitutions: readonly string[] = []) =>
  [key, ...substitutions].join('|');

describe('secureRequiredText', () => {
  it('is null when the policy requires nothing', () => {
    expect(secureRequiredText({ secureRequired: null, organisationName: 'Org' }, translate)).toBe(
      null,
    );
  });

  it('names the organisation and the recipients, at most three in full', () => {
    expect(
      secureRequiredText(
        {
          secureRequired: { all: false, recipients: ['a@p.example', 'b@p.example'] },
          organisationName: 'Example Health Trust',
        },
        translate,
      ),
    ).toBe('popupSecureRequired|Example Health Trust|a@p.example, b@p.example');
    expect(
      secureRequiredText(
        {
          secureRequired: {
            all: false,
            recipients: ['a@p.example', 'b@p.example', 'c@p.example', 'd@p.example', 'e@p.example'],
          },
          organisationName: null,
        },
        translate,
      ),
    ).toBe('popupSecureRequired|popupYourOrganisation|a@p.example, b@p.example, c@p.example (+2)');
  });

  it('says "all mail" for "all"', () => {
    expect(
      secureRequiredText(
        { secureRequired: { all: true, recipients: ['a@p.example'] }, organisationName: 'Org' },
        translate,
      ),
    ).toBe('popupSecureRequiredAll|Org');
  });
});
