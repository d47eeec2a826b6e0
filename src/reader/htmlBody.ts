/**
 * Message HTML is untrusted. It is sanitised with DOMPurify (no scripts, no event handlers) and
 * then shown only inside an iframe that is sandboxed without `allow-scripts` and carries its own
 * Content-Security-Policy, so even what a sanitiser might miss cannot run or load anything
 * remote (tracking pixels, remote CSS, fonts). It is never inserted into the reader's own DOM.
 */
import DOMPurify from 'dompurify';

/** Remote loads blocked; inline styles and embedded (data:) images allowed. */
export const MESSAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/**
 * The iframe sandbox. No `allow-scripts`: nothing in the message runs. `allow-same-origin` only
 * lets the reader measure the content height (without scripts the frame cannot use that
 * origin itself). Popups let links open in a new tab, outside the sandbox.
 */
export const MESSAGE_FRAME_SANDBOX =
  'allow-same-origin allow-popups allow-popups-to-escape-sandbox';

const BASE_CSS = `
  html { color-scheme: light; }
  body { margin: 0; padding: 16px; font: 15px/1.5 system-ui, sans-serif; color: #1b1f24;
         background: #fff; overflow-wrap: anywhere; }
  img { max-width: 100%; height: auto; }
  pre { white-space: pre-wrap; }
`;

/** The complete `srcdoc` for a message's HTML body. */
export function buildMessageSrcdoc(html: string): string {
  const root = DOMPurify.sanitize(html, {
    WHOLE_DOCUMENT: true,
    RETURN_DOM: true,
    // Forms could post the reader's content elsewhere (the sandbox also blocks submission);
    // base, meta and link could redirect links or load remote resources.
    FORBID_TAGS: ['form', 'base', 'meta', 'link'],
    ADD_ATTR: ['target'],
  });
  const document = root.ownerDocument;
  // DOMPurify always returns a node of the document it parsed into.
  if (!document) throw new Error('buildMessageSrcdoc: sanitised content has no document');

  const head = document.head;
  const policy = document.createElement('meta');
  policy.httpEquiv = 'Content-Security-Policy';
  policy.content = MESSAGE_CONTENT_SECURITY_POLICY;
  const charset = document.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  // Links open in a new tab (the sandbox allows popups) instead of replacing the message.
  const base = document.createElement('base');
  base.target = '_blank';
  const style = document.createElement('style');
  style.textContent = BASE_CSS;
  // The policy comes first so it applies before anything else in the document is read.
  head.prepend(policy, charset, base, style);
  for (const link of document.querySelectorAll('a[href]')) {
    link.setAttribute('rel', 'noopener noreferrer');
  }
  return `<!doctype html>\n${document.documentElement.outerHTML}`;
}
