import { describe, expect, it } from 'vitest';
import type { MenuEntry } from '../../../src/core/methodMenu.ts';
import { buildMethodMenu } from '../../../src/core/methodMenuBuilder.ts';
import type { RecipientSettings } from '../../../src/core/recipientSettings.ts';
import type { RecipientView } from '../../../src/messaging/protocol.ts';
import {
  changesForEntry,
  draftAfterChoosing,
  entryForSettings,
  methodOptions,
  problemControl,
  problemKey,
  recipientRowModel,
  rowKeys,
} from '../../../src/ui/recipientRow.ts';

/** Shows which key and substitutions were asked for, so tests see the wiring, not English. */
const translate = (key: string, substitutions: readonly string[] = []) =>
  substitutions.length ? `${key}(${substitutions.join(',')})` : key;

function settings(changes: Partial<RecipientSettings> = {}): RecipientSettings {
  return { address: 'bob@partner.example', updatedAt: '2026-11-27T08:00:00.000Z', ...changes };
}

function view(changes: Partial<RecipientView> = {}): RecipientView {
  const stored = changes.settings === undefined ? null : changes.settings;
  return {
    address: 'bob@partner.example',
    name: 'Bob Partner',
    field: 'to',
    internal: false,
    settings: stored,
    language: 'en',
    menu: buildMethodMenu({ settings: stored, serverConfigured: false, keyKnown: false }),
    ...changes,
  };
}

describe('entryForSettings', () => {
  it('is empty while no method is remembered', () => {
    expect(entryForSettings(null, view().menu)).toBe('');
    expect(entryForSettings(settings(), view().menu)).toBe('');
  });

  it('shows a stored code as "Access code <code>"', () => {
    const stored = settings({ method: 'code', code: 'K7QM-X2PA' });
    expect(entryForSettings(stored, view({ settings: stored }).menu)).toBe('code-existing');
  });

  it('shows the code method without a code as a new code', () => {
    const stored = settings({ method: 'code' });
    expect(entryForSettings(stored, view({ settings: stored }).menu)).toBe('code-new');
  });

  it('shows a known phone number as the known-number entry', () => {
    const stored = settings({ method: 'sms', phone: '+4915112345612' });
    expect(entryForSettings(stored, view({ settings: stored }).menu)).toBe('sms-known');
  });

  it('is empty when the remembered method is not offered (account without a key)', () => {
    const stored = settings({ method: 'account' });
    expect(entryForSettings(stored, view({ settings: stored }).menu)).toBe('');
  });
});

describe('methodOptions', () => {
  it('keeps the menu order and labels each entry with its key and substitutions', () => {
    const menu: MenuEntry[] = [
      { id: 'code-new', method: 'code', labelKey: 'methodCodeNew', labelParams: [] },
      {
        id: 'code-existing',
        method: 'code',
        labelKey: 'methodCodeExisting',
        labelParams: ['AB12'],
      },
    ];
    expect(methodOptions(menu, translate)).toEqual([
      { value: 'code-new', text: 'methodCodeNew', label: 'methodCodeNew', disabled: false },
      {
        value: 'code-existing',
        text: 'methodCodeExisting(AB12)',
        label: 'methodCodeExisting(AB12)',
        disabled: false,
      },
    ]);
  });

  it('marks server entries disabled, with the short reason in their text and the full one apart', () => {
    const options = methodOptions(view().menu, translate);
    const sms = options.find((option) => option.value === 'sms-new');
    expect(sms).toMatchObject({ disabled: true, disabledReason: 'reasonNeedsServer' });
    expect(sms?.text).toBe('methodSmsNew (reasonShortNeedsServer)');
    expect(options.find((option) => option.value === 'code-new')?.disabled).toBe(false);
  });
});

describe('recipientRowModel', () => {
  it('gives internal recipients whose key is known no menu and no code field', () => {
    const model = recipientRowModel(view({ internal: true, menu: [] }), undefined, translate);
    expect(model).toMatchObject({
      kind: 'internal',
      needsVerification: false,
      options: [],
      showCodeField: false,
    });
  });

  it('lets internal recipients without a known key choose a factor like external ones', () => {
    const model = recipientRowModel(view({ internal: true }), undefined, translate);
    expect(model).toMatchObject({ kind: 'internal', needsVerification: true, selectedEntry: '' });
    expect(model.options.map((option) => option.value)).toContain('code-new');
  });

  it('starts external recipients without a method on the placeholder', () => {
    const model = recipientRowModel(view(), undefined, translate);
    expect(model.kind).toBe('external');
    expect(model.selectedEntry).toBe('');
    expect(model.showCodeField).toBe(false);
    expect(model.options.map((option) => option.value)).toEqual([
      'sms-new',
      'org-code-new',
      'code-new',
      'email',
    ]);
  });

  it('uses the address when the compose field had no display name', () => {
    expect(recipientRowModel(view({ name: '  ' }), undefined, translate).displayName).toBe(
      'bob@partner.example',
    );
  });

  it('opens the code field for a new code and for a code method with no code', () => {
    const chosenNew = recipientRowModel(view(), { entry: 'code-new', code: '' }, translate);
    expect(chosenNew.showCodeField).toBe(true);
    const stored = settings({ method: 'code' });
    expect(recipientRowModel(view({ settings: stored }), undefined, translate).showCodeField).toBe(
      true,
    );
  });

  it('hides the code field when an existing code is reused', () => {
    const stored = settings({ method: 'code', code: 'K7QM-X2PA-9FHT' });
    const model = recipientRowModel(view({ settings: stored }), undefined, translate);
    expect(model.selectedEntry).toBe('code-existing');
    expect(model.showCodeField).toBe(false);
    expect(model.code).toBe('K7QM-X2PA-9FHT');
  });

  it('keeps the sender\'s "new code" choice while the stored code catches up', () => {
    // Typing saves the code; the next poll offers "Access code <code>", which must not close
    // the field under the sender's fingers.
    const stored = settings({ method: 'code', code: 'K7QM' });
    const model = recipientRowModel(
      view({ settings: stored }),
      { entry: 'code-new', code: 'K7QM-X' },
      translate,
    );
    expect(model.selectedEntry).toBe('code-new');
    expect(model.showCodeField).toBe(true);
    expect(model.code).toBe('K7QM-X');
  });

  it('falls back to the stored choice when the drafted entry is no longer offered', () => {
    const model = recipientRowModel(view(), { entry: 'code-existing' }, translate);
    expect(model.selectedEntry).toBe('');
  });

  it('prefers the drafted language over the polled one', () => {
    expect(recipientRowModel(view({ language: 'de' }), undefined, translate).language).toBe('de');
    expect(
      recipientRowModel(view({ language: 'de' }), { language: 'it' }, translate).language,
    ).toBe('it');
  });

  it('shows the warning of email verification and why it is unavailable', () => {
    const stored = settings({ method: 'email' });
    const model = recipientRowModel(view({ settings: stored }), undefined, translate);
    expect(model.selectedEntry).toBe('email');
    expect(model.warning).toBe('warningEmailWeak');
    expect(model.selectedDisabledReason).toBe('reasonNeedsServer');
  });

  it('carries the list name of an expanded list member', () => {
    const model = recipientRowModel(view({ list: 'Team' }), undefined, translate);
    expect(model.list).toBe('Team');
  });
});

describe('choosing an entry', () => {
  const entry = (id: MenuEntry['id'], method: MenuEntry['method']): MenuEntry => ({
    id,
    method,
    labelKey: 'x',
    labelParams: [],
  });

  it('clears the stored code for a new code and keeps it for an existing one', () => {
    expect(changesForEntry(entry('code-new', 'code'))).toEqual({ method: 'code', code: '' });
    expect(changesForEntry(entry('code-existing', 'code'))).toEqual({ method: 'code' });
    expect(changesForEntry(entry('email', 'email'))).toEqual({ method: 'email' });
  });

  it('starts a new code empty and drops a typed code when switching to the stored one', () => {
    expect(draftAfterChoosing({ language: 'nl' }, entry('code-new', 'code'), undefined)).toEqual({
      language: 'nl',
      entry: 'code-new',
      code: '',
    });
    expect(draftAfterChoosing({ code: 'typed' }, entry('code-existing', 'code'), 'K7QM')).toEqual({
      entry: 'code-existing',
    });
  });

  it('remembers the stored code a new code replaces, across repeated choices', () => {
    const first = draftAfterChoosing(undefined, entry('code-new', 'code'), 'K7QM-X2PA');
    expect(first.replacedCode).toBe('K7QM-X2PA');
    // The store has cleared the code by now; choosing "new" again must not forget the old one.
    const again = draftAfterChoosing(first, entry('code-new', 'code'), undefined);
    expect(again.replacedCode).toBe('K7QM-X2PA');
    expect(draftAfterChoosing(again, entry('email', 'email'), undefined)).not.toHaveProperty(
      'replacedCode',
    );
  });

  it('offers to keep the replaced code while the new one differs', () => {
    const draft = draftAfterChoosing(undefined, entry('code-new', 'code'), 'K7QM-X2PA');
    expect(recipientRowModel(view(), draft, translate).replacedCode).toBe('K7QM-X2PA');
    expect(
      recipientRowModel(view(), { ...draft, code: 'K7QM-X2PA' }, translate).replacedCode,
    ).toBeUndefined();
  });
});

describe('send problems', () => {
  it('points code problems at the code field and method problems at the menu', () => {
    const problem = (reason: 'no-method' | 'weak-code' | 'empty-code' | 'no-recipients') => ({
      reason,
      message: 'm',
    });
    expect(problemControl(problem('no-method'))).toBe('method');
    expect(problemControl(problem('weak-code'))).toBe('code');
    expect(problemControl(problem('empty-code'))).toBe('code');
    expect(problemControl(problem('no-recipients'))).toBeNull();
  });

  it('tells two occurrences of different problems apart', () => {
    const first = { reason: 'no-method' as const, recipient: 'a@x.example', message: 'A' };
    expect(problemKey(first)).toBe(problemKey({ ...first }));
    expect(problemKey(first)).not.toBe(problemKey({ ...first, recipient: 'b@x.example' }));
  });
});

describe('rowKeys', () => {
  it('gives every row a distinct key even for a repeated address', () => {
    const rows = [view(), view({ field: 'cc' }), view(), view({ list: 'Team' })];
    const keys = rowKeys(rows);
    expect(new Set(keys).size).toBe(rows.length);
    expect(keys[0]).not.toBe(keys[2]);
  });
});
