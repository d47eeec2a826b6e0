import type { en } from './en.ts';

/** Every message key; English is the reference catalog. */
export type MessageKey = keyof typeof en;

/**
 * A complete catalog: every key, nothing else (object literals typed with it reject unknown
 * keys, and a missing key fails the type check).
 */
export type Catalog = { readonly [Key in MessageKey]: string };
