import { createHash } from 'node:crypto';

/**
 * The Content-Security-Policy of a page the server writes itself (the recipients' help page, the
 * remembered-browser removal pages): its one style block by hash and nothing else: no script,
 * frame, base or image. `formAction`: `'self'` for a page whose button posts back here.
 */
export function staticPagePolicy(style: string, formAction: "'none'" | "'self'"): string {
  return [
    "default-src 'none'",
    `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
    `form-action ${formAction}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
