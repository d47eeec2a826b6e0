import { describe, expect, it } from 'vitest';
import { decideSend, type SendDecision } from '../../../src/core/decideSend.ts';
import { planDeliveries, type Delivery } from '../../../src/core/deliveries.ts';
import type { NotificationLanguage } from '../../../src/core/languages.ts';
import { classifyRecipients, type RecipientInput } from '../../../src/core/recipients.ts';
import type { RecipientSettings } from '../../../src/core/recipientSettings.ts';

const sender = { name: 'Alice', address: 'alice@example.test' };
const now = '2026-12-04T00:00:00.000Z';

interface Person {
  address: string;
  field: RecipientInput['field'];
  language?: NotificationLanguage;
  settings?: Partial<RecipientSettings>;
}

/** Decides a send the way the background does, then splits it into mails. */
function plan(people: Person[], serverConfigured = false) {
  const recipients = classifyRecipients(
    people.map((person) => ({ name: '', address: person.address, field: person.field })),
    sender,
  );
  const settings: RecipientSettings[] = people
    .filter((person) => !person.address.endsWith('@example.test'))
    .map((person, index) => ({
      address: person.address,
      method: 'code',
      code: `K7QM-X2PA-9FHT-3WBN-QX${index}D`,
      updatedAt: now,
      ...(person.language ? { language: person.language } : {}),
      ...person.settings,
    }));
  const decision: SendDecision = decideSend({
    secure: true,
    sender,
    recipients,
    settingsByAddress: new Map(settings.map((entry) => [entry.address, entry])),
    serverConfigured,
    defaultLanguage: 'en',
  });
  if (decision.action !== 'seal') throw new Error(`expected a seal, got ${decision.action}`);
  return {
    decision,
    plan: planDeliveries({
      recipients,
      locks: decision.locks,
      serverLocks: decision.serverLocks,
      defaultLanguage: 'en',
    }),
  };
}

const lockAddresses = (delivery: Delivery) =>
  [...delivery.locks, ...delivery.serverLocks].map((lock) => lock.address);

const fourLanguages: Person[] = [
  { address: 'dora@partner.de', field: 'to', language: 'de' },
  { address: 'niels@partner.nl', field: 'to', language: 'nl' },
  { address: 'emma@partner.uk', field: 'cc', language: 'en' },
  { address: 'felix@hidden.fr', field: 'bcc', language: 'fr' },
];

describe('planDeliveries', () => {
  it('gives the To/Cc mail only the visible locks and languages, and the Bcc recipient a mail of their own', () => {
    const { plan: result } = plan(fourLanguages);
    expect(result.main.hiddenRecipient).toBeNull();
    expect(lockAddresses(result.main)).toEqual([
      'dora@partner.de',
      'niels@partner.nl',
      'emma@partner.uk',
    ]);
    expect(result.main.languages).toEqual(['de', 'nl', 'en']);
    expect(result.copies).toHaveLength(1);
    const [copy] = result.copies;
    expect(copy!.hiddenRecipient?.address).toBe('felix@hidden.fr');
    expect(lockAddresses(copy!)).toEqual(['felix@hidden.fr']);
    expect(copy!.languages).toEqual(['fr']);
  });

  it('puts every lock into exactly one mail, also with server locks and several Bcc recipients', () => {
    const people: Person[] = [
      ...fourLanguages,
      {
        address: 'gina@hidden.it',
        field: 'bcc',
        language: 'it',
        settings: { method: 'sms', phone: '+393123456789' },
      },
      { address: 'hugo@hidden.es', field: 'bcc', language: 'es', settings: { method: 'email' } },
    ];
    const { decision, plan: result } = plan(people, true);
    const all = [result.main, ...result.copies].flatMap(lockAddresses);
    expect(all.sort()).toEqual(decision.serverLocks.map((lock) => lock.address).sort());
    expect(new Set(all).size).toBe(all.length);
    expect(result.copies.map((copy) => [copy.hiddenRecipient?.address, copy.languages])).toEqual([
      ['felix@hidden.fr', ['fr']],
      ['gina@hidden.it', ['it']],
      ['hugo@hidden.es', ['es']],
    ]);
    expect(result.copies[1]!.serverLocks[0]).toMatchObject({ method: 'sms', field: 'bcc' });
    // No visible mail holds a language only a hidden recipient reads.
    expect(result.main.languages).not.toContain('fr');
    expect(result.main.languages).not.toContain('it');
    expect(result.main.languages).not.toContain('es');
  });

  it('reads in the one recipient language when the mail goes to one person, whatever the Bcc languages', () => {
    const { plan: result } = plan([
      { address: 'hidden@hidden.fr', field: 'bcc', language: 'fr' },
      { address: 'dora@partner.de', field: 'to', language: 'de' },
    ]);
    expect(result.main.languages).toEqual(['de']);
    expect(result.copies[0]!.languages).toEqual(['fr']);
  });

  it('orders languages by recipient, not by method', () => {
    const { plan: result } = plan(
      [
        { address: 'niels@partner.nl', field: 'to', language: 'nl', settings: { method: 'email' } },
        { address: 'dora@partner.de', field: 'cc', language: 'de' },
      ],
      true,
    );
    expect(result.main.languages).toEqual(['nl', 'de']);
  });

  it('lets the compose window carry the first Bcc mail when there is no To or Cc', () => {
    const { plan: result } = plan([
      { address: 'one@hidden.fr', field: 'bcc', language: 'fr' },
      { address: 'two@hidden.nl', field: 'bcc', language: 'nl' },
    ]);
    expect(result.main.hiddenRecipient?.address).toBe('one@hidden.fr');
    expect(lockAddresses(result.main)).toEqual(['one@hidden.fr']);
    expect(result.main.languages).toEqual(['fr']);
    expect(result.copies.map((copy) => copy.hiddenRecipient?.address)).toEqual(['two@hidden.nl']);
  });

  it('falls back to the default language for a mail without recipient locks', () => {
    const { plan: result } = plan([
      { address: 'colleague@example.test', field: 'to' },
      { address: 'hidden@hidden.de', field: 'bcc', language: 'de' },
    ]);
    expect(lockAddresses(result.main)).toEqual([]);
    expect(result.main.languages).toEqual(['en']);
    expect(result.copies[0]!.languages).toEqual(['de']);
  });

  it('keeps a single mail when nobody is on Bcc', () => {
    const { plan: result } = plan(fourLanguages.filter((person) => person.field !== 'bcc'));
    expect(result.copies).toEqual([]);
    expect(result.main.languages).toEqual(['de', 'nl', 'en']);
  });

  it('is a pure function of its input', () => {
    const first = plan(fourLanguages).plan;
    const second = plan(fourLanguages).plan;
    // Passwords are derived from the codes, so two plans of the same input are equal.
    expect(second).toEqual(first);
  });
});
