/**
 * The notification mail that replaces a sealed message's body (docs/envelope.md §0): who sent it
 * (and for which organisation), where the message is, how to open it, which factor to expect, how
 * to tell the mail is genuine and where help is, in every language chosen for the message's
 * recipients. It never contains message content: its only inputs are the sender, the
 * organisation, the methods, the languages and the links.
 */
import type { NotificationLanguage } from '../core/languages.ts';
import type { VerificationMethod } from '../core/methods.ts';
import { helpLinkIn } from './helpPage.ts';
import { languageName, t, type MessageKey } from './index.ts';

export interface NotificationInput {
  senderName: string;
  senderAddress: string;
  /**
   * The sending organisation (its policy's `organisationName`, else its server's name), so the
   * recipient can tell who is writing; null or absent: the sender alone is named.
   */
  organisationName?: string | null;
  /** One per language chosen for this message's recipients, in the order to show them. */
  sections: { language: NotificationLanguage; methods: VerificationMethod[] }[];
  /** The Sealpost server, when one is configured: its help page is linked. */
  serverUrl: string | null;
  /**
   * The hosted reader link for this message. When given it is the way in, named first; the
   * attachment is the fallback.
   */
  readerLink?: string | null;
  /**
   * Sent by link: the message is on the server, so the link is the way in (the mail carries at
   * most the envelope). Needs `readerLink`.
   */
  byLink?: boolean;
}

/**
 * Thunderbird sends plain text as format=flowed; short lines (RFC 3676 recommends at most 78,
 * 72 reads well when quoted) survive every client unchanged.
 */
export const NOTIFICATION_LINE_WIDTH = 72;

const SECTION_SEPARATOR = '='.repeat(NOTIFICATION_LINE_WIDTH);

const FACTOR_KEYS = {
  code: 'notification.factor.code',
  'org-code': 'notification.factor.org-code',
  sms: 'notification.factor.sms',
  email: 'notification.factor.email',
  account: 'notification.factor.account',
} as const satisfies Record<VerificationMethod, MessageKey>;

/** The neutral subject used when a policy hides the original subject. */
export function neutralSubject(language: NotificationLanguage): string {
  return t(language, 'notification.subject');
}

/**
 * The plain-text notification body: one complete section per language, separated by a rule
 * line, each with a heading naming its language when there is more than one.
 */
export function buildNotificationText(input: NotificationInput): string {
  const sections = uniqueSections(input.sections);
  const showHeadings = sections.length > 1;
  const texts = sections.map(({ language, methods }) =>
    buildSection(language, methods, input, showHeadings),
  );
  return texts.join(`\n\n${SECTION_SEPARATOR}\n\n`) + '\n';
}

function buildSection(
  language: NotificationLanguage,
  methods: readonly VerificationMethod[],
  input: NotificationInput,
  showHeading: boolean,
): string {
  const displayName = input.senderName.trim();
  const name = displayName || input.senderAddress;
  const sender = displayName ? `${displayName} <${input.senderAddress}>` : input.senderAddress;
  const organisation = input.organisationName?.trim() || null;
  // With a hosted link the link leads; the attachment (when there is one) is the fallback.
  const readerLink = input.readerLink ? hostedLinkIn(input.readerLink, language) : null;
  const byLink = input.byLink === true && readerLink !== null;
  const paragraphs: string[] = [];
  if (showHeading) paragraphs.push(`[ ${languageName(language)} ]`);
  paragraphs.push(
    wrap(
      organisation
        ? t(language, 'notification.intro-org', { sender, organisation })
        : t(language, 'notification.intro', { sender }),
    ),
    wrap(
      t(
        language,
        byLink
          ? 'notification.attachment-link'
          : readerLink
            ? 'notification.no-content'
            : 'notification.attachment',
      ),
    ),
  );

  const open = readerLink ? 'notification.step-open-link' : 'notification.step-open';
  const steps = [wrap(`1. ${t(language, open)}`, '   ')];
  const factors = [...new Set(methods)].map((method) => t(language, FACTOR_KEYS[method], { name }));
  if (factors.length === 1) {
    steps.push(wrap(`2. ${factors[0]}`, '   '));
  } else if (factors.length > 1) {
    const choice = wrap(`2. ${t(language, 'notification.factor.choice')}`, '   ');
    const bullets = factors.map((factor) => wrap(`   - ${factor}`, '     '));
    steps.push([choice, ...bullets].join('\n'));
  }
  paragraphs.push([t(language, 'notification.how-to'), ...steps].join('\n'));

  // Links stay on a line of their own and are never wrapped, so they stay clickable.
  if (readerLink) {
    paragraphs.push(`${wrap(t(language, 'notification.link-main'))}\n${readerLink}`);
    if (!byLink) paragraphs.push(wrap(t(language, 'notification.fallback')));
  } else if (input.serverUrl) {
    paragraphs.push(`${wrap(t(language, 'notification.link'))}\n${input.serverUrl}`);
  }
  paragraphs.push(genuineChecks(language, readerLink ?? input.serverUrl, organisation));
  if (input.serverUrl) {
    const help = helpLinkIn(input.serverUrl, language);
    paragraphs.push(`${wrap(t(language, 'notification.help-link'))}\n${help}`);
  }
  return paragraphs.join('\n\n');
}

/**
 * How to tell this mail from phishing, which imitates exactly such mails: where the link leads
 * (the server's address as text, to compare with the link), that no password is asked for, and
 * to check with the sender by a known way rather than by a reply.
 */
function genuineChecks(
  language: NotificationLanguage,
  link: string | null,
  organisation: string | null,
): string {
  const host = link === null ? null : hostOf(link);
  const checks = [
    ...(host === null
      ? []
      : [
          organisation
            ? t(language, 'notification.check-link-org', { host, organisation })
            : t(language, 'notification.check-link', { host }),
        ]),
    t(language, 'notification.check-password'),
    t(language, 'notification.check-contact'),
  ];
  const bullets = checks.map((check) => wrap(`- ${check}`, '  '));
  return [wrap(t(language, 'notification.check')), ...bullets].join('\n');
}

function hostOf(link: string): string | null {
  try {
    return new URL(link).host || null;
  } catch {
    return null;
  }
}

/**
 * The hosted reader link of one section: `?lang=` before the fragment, so the reader starts in
 * that section's language (the server already knows each lock's language; the fragment, the
 * mail's share, stays last and is never sent).
 */
export function hostedLinkIn(readerLink: string, language: NotificationLanguage): string {
  const hash = readerLink.indexOf('#');
  const [base, fragment] =
    hash === -1 ? [readerLink, ''] : [readerLink.slice(0, hash), readerLink.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}lang=${language}${fragment}`;
}

/** Keeps the first section of each language and merges methods of repeated languages. */
function uniqueSections(
  sections: NotificationInput['sections'],
): { language: NotificationLanguage; methods: VerificationMethod[] }[] {
  const byLanguage = new Map<NotificationLanguage, VerificationMethod[]>();
  for (const { language, methods } of sections) {
    byLanguage.set(language, [...(byLanguage.get(language) ?? []), ...methods]);
  }
  return [...byLanguage].map(([language, methods]) => ({ language, methods }));
}

/**
 * Greedy word wrap at NOTIFICATION_LINE_WIDTH. Splits on plain spaces only, so no-break spaces
 * (French `\u00a0:`) hold; a single word longer than the width is left whole. Continuation
 * lines get `indent` so numbered steps stay aligned.
 */
export function wrap(text: string, indent = ''): string {
  const leading = /^ */.exec(text)?.[0] ?? '';
  const words = text
    .slice(leading.length)
    .split(' ')
    .filter((word) => word !== '');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line === '' ? word : `${line} ${word}`;
    const prefix = lines.length === 0 ? leading : indent;
    if (line !== '' && prefix.length + candidate.length > NOTIFICATION_LINE_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((content, index) => (index === 0 ? leading : indent) + content).join('\n');
}
