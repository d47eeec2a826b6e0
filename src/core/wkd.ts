/**
 * Web Key Directory (WKD, draft-koch-openpgp-webkey-service): where a mail address's OpenPGP key
 * is published on the web. The local part, lower-cased (ASCII only), is hashed with SHA-1 and
 * written in z-base-32; the key lives at the "advanced" URL on the `openpgpkey.` subdomain and,
 * as the fallback, at the "direct" URL on the domain itself. `?l=` carries the local part as
 * typed, for servers that cannot compute the hash.
 */

/** z-base-32's alphabet: a base-32 chosen for people (no 0, 2, l, v). */
const Z_BASE_32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** Bytes in z-base-32, 5 bits per character, most significant first (no padding). */
export function zBase32(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += Z_BASE_32[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) text += Z_BASE_32[(buffer << (5 - bits)) & 31];
  return text;
}

/** The WKD hash of a local part: z-base-32 of SHA-1 of its ASCII-lower-cased UTF-8 bytes. */
export async function wkdHash(localPart: string): Promise<string> {
  const lowered = localPart.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(lowered));
  return zBase32(new Uint8Array(digest));
}

export interface WkdUrls {
  /** `https://openpgpkey.<domain>/.well-known/openpgpkey/<domain>/hu/<hash>?l=<local>` */
  advanced: string;
  /** `https://<domain>/.well-known/openpgpkey/hu/<hash>?l=<local>` */
  direct: string;
}

/** A plain host name: letters, digits, hyphens and dots (IDNs as their ASCII form). */
const DOMAIN =
  /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * Both lookup URLs for an address, or null when it is not one WKD can look up. `base` (a test
 * build's loopback server, docs/keys.md) replaces the hosts, keeping each form's path.
 */
export async function wkdUrls(
  address: string,
  base: string | null = null,
): Promise<WkdUrls | null> {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  const localPart = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  if (!DOMAIN.test(domain) || /[\s@]/.test(localPart)) return null;
  const path = `hu/${await wkdHash(localPart)}?l=${encodeURIComponent(localPart)}`;
  const root = base?.replace(/\/+$/, '');
  return {
    advanced: `${root ?? `https://openpgpkey.${domain}`}/.well-known/openpgpkey/${domain}/${path}`,
    direct: `${root ?? `https://${domain}`}/.well-known/openpgpkey/${path}`,
  };
}
