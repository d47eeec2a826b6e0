import { parseMailbox } from '../core/address.ts';
import type { RecipientField, RecipientInput } from '../core/recipients.ts';
import type { ComposeSnapshot, Host } from '../platform/host.ts';

export interface GatheredRecipients {
  recipients: RecipientInput[];
  /** Entries that are neither an address nor a known mailing list. */
  unresolved: string[];
}

/**
 * Turns the compose fields into mailboxes. Mailing lists arrive as `Name <Name>` strings
 * (what Thunderbird hands over for them), so whatever is not an address is looked up as a list and
 * expanded
 * to its members; the panel and the seal then treat each member as a recipient of its own.
 */
export async function gatherRecipients(
  host: Host,
  details: ComposeSnapshot,
): Promise<GatheredRecipients> {
  const recipients: RecipientInput[] = [];
  const unresolved: string[] = [];
  const fields: [RecipientField, string[]][] = [
    ['to', details.to],
    ['cc', details.cc],
    ['bcc', details.bcc],
  ];
  for (const [field, entries] of fields) {
    for (const entry of entries) {
      const mailbox = parseMailbox(entry);
      if (mailbox) {
        recipients.push({ ...mailbox, field });
        continue;
      }
      const listName = listNameOf(entry);
      const members = listName ? await host.expandMailingList(listName) : null;
      if (!members || !listName) {
        unresolved.push(entry.trim());
        continue;
      }
      for (const member of members) recipients.push({ ...member, field, list: listName });
    }
  }
  return { recipients, unresolved };
}

/** `Team <Team>` -> `Team`; a bare name stays as it is. */
function listNameOf(entry: string): string | null {
  const match = entry.trim().match(/^(.*?)\s*<([^<>@]*)>$/s);
  const name = (match ? match[2] || match[1] || '' : entry).trim();
  return name === '' ? null : name;
}
