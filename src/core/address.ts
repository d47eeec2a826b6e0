/**
 * Recipient addresses as Thunderbird hands them over: `"Bob Example" <Bob@Partner.example>`,
 * `bob@partner.example`, ` mailto:BOB@partner.example `. Everything remembered about a recipient
 * is keyed by the normalised address, so the same person is recognised however it was typed.
 */
export interface Mailbox {
  name: string;
  address: string;
}

const MAILTO = /^mailto:/i;
// One address, as RFC 5322 addr-spec is used in practice; display names are parsed apart.
const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/;

/** Lower-cases, trims, drops a `mailto:` prefix and surrounding angle brackets. */
export function normaliseAddress(raw: string): string {
  let address = raw.trim().replace(MAILTO, '').trim();
  if (address.startsWith('<') && address.endsWith('>')) address = address.slice(1, -1).trim();
  return address.toLowerCase();
}

/** True when `address` (already normalised) looks like one mailbox address. */
export function isPlausibleAddress(address: string): boolean {
  return ADDRESS.test(address);
}

/**
 * Splits one recipient string of the compose window into display name and normalised address.
 * Returns null when there is no address in it (a mailing list shows up as `Name <Name>`, which
 * the caller expands through the address book instead).
 */
export function parseMailbox(raw: string): Mailbox | null {
  const trimmed = raw.trim();
  const angle = trimmed.match(/^(.*)<([^<>]*)>\s*$/s);
  const name = angle ? unquote((angle[1] ?? '').trim()) : '';
  const address = normaliseAddress(angle ? (angle[2] ?? '') : trimmed);
  return isPlausibleAddress(address) ? { name, address } : null;
}

/** The domain part of a normalised address. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/**
 * Masks an address for display where others may see it, keeping enough to recognise it:
 * `bob@partner.example` -> `b•••@partner.example`.
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${address[0]}•••${address.slice(at)}`;
}

function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') && name.length >= 2
    ? name.slice(1, -1).replace(/\\(.)/g, '$1')
    : name;
}
