import type { ParsedOriginal } from '../core/mime/parseMime.ts';

/** What the reader shows once a payload is open: the original message, as parsed. */
export type OpenedMessage = ParsedOriginal;
export type OpenedAttachment = ParsedOriginal['attachments'][number];
