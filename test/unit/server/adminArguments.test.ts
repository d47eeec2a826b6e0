import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { idsAsPositionals } from '../../../src/server/admin.ts';

describe('idsAsPositionals', () => {
  it('reads an id that begins with "-" as the id, not as an option', () => {
    const args = idsAsPositionals(['devices', 'remove', '-6ZqLr0aTb1Xw9fKc3Ue2A']);
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    expect(positionals).toEqual(['devices', 'remove', '-6ZqLr0aTb1Xw9fKc3Ue2A']);
  });

  it('keeps the known options with their values, in either form', () => {
    expect(
      idsAsPositionals(['devices', 'remove', '--address', 'pia@partner.example', '-x1']),
    ).toEqual(['--address', 'pia@partner.example', '--', 'devices', 'remove', '-x1']);
    expect(idsAsPositionals(['directory', 'import', 'a.csv', '--by=admin carol'])).toEqual([
      '--by=admin carol',
      '--',
      'directory',
      'import',
      'a.csv',
    ]);
    expect(idsAsPositionals(['tokens', 'revoke', '--', '--odd'])).toEqual([
      '--',
      'tokens',
      'revoke',
      '--odd',
    ]);
  });

  it('takes --dev alone: the word after it is the command, not its value', () => {
    expect(idsAsPositionals(['--dev', 'tokens', 'list'])).toEqual([
      '--dev',
      '--',
      'tokens',
      'list',
    ]);
  });
});
