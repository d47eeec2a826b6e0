/**
 * axe-core (Deque's accessibility engine, behind Lighthouse's accessibility audit) run inside a
 * page under test: the reader in Chromium (playwright-core) and the popup and options page in a
 * real Thunderbird (test/e2e/harness/extensionPopup.ts evaluates the same source there). A scan
 * fails on any violation of impact `serious` or `critical` and says what to fix: rule, help,
 * and each offending element with axe's summary of why.
 * Rules: https://dequeuniversity.com/rules/axe/4.14
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ImpactValue, Result, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

/** The browser build of axe-core (`axe.min.js`), injected into each page before a scan. */
export const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/**
 * WCAG 2.0 and 2.1, levels A and AA, plus Deque's best practices (landmarks, headings, focus
 * order): those add few rules of serious impact, and none has been noise on these pages.
 */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * Only violations are collected (passes and incomplete results are large and unused). Frames
 * are not entered: the one frame on these pages is the reader's sandboxed message body, the
 * sender's own HTML, which runs no script (so axe could not run in it) and is not Sealpost's
 * markup; the frame element itself (its title) is checked.
 */
export const AXE_RUN_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: AXE_TAGS },
  resultTypes: ['violations'],
  iframes: false,
};

const BLOCKING: ImpactValue[] = ['serious', 'critical'];

/**
 * One line per violation of impact serious or critical, with what to fix:
 * `rule (impact): help <url>` and, per element, its selector and axe's failure summary.
 * Empty when the page passes; tests compare it with `[]` so a failure prints the lines.
 */
export function blockingViolations(results: Pick<AxeResults, 'violations'>): string[] {
  return results.violations
    .filter((violation) => BLOCKING.includes(violation.impact ?? null))
    .map(describeViolation);
}

function describeViolation(violation: Result): string {
  const nodes = violation.nodes.map((node) => {
    const summary = (node.failureSummary ?? '').replace(/\s+/g, ' ').trim();
    return `\n    ${JSON.stringify(node.target)}: ${summary}`;
  });
  return `${violation.id} (${violation.impact}): ${violation.help} <${violation.helpUrl}>${nodes.join('')}`;
}

/**
 * A script body that loads axe-core into the page's window and resolves with the scan's results
 * as JSON, for Marionette (ExtensionPage.evaluate). Its scripts run in a sandbox whose prototype
 * is the page's window: axe attaches itself to `window.axe`, so that is what the body calls.
 */
export function axeScanScript(options: RunOptions = AXE_RUN_OPTIONS): string {
  return `${AXE_SOURCE}
;return window.axe.run(window.document, ${JSON.stringify(options)})
  .then((results) => JSON.stringify({ url: results.url, violations: results.violations }));`;
}

/** The part of axe's results a test uses. */
export type AxeScan = Pick<AxeResults, 'url' | 'violations'>;

/**
 * Scans a Chromium page as it is now. axe is evaluated through the DevTools protocol, which the
 * reader's Content-Security-Policy (no `unsafe-eval`) does not govern, once per document.
 */
export async function scanPage(page: Page): Promise<AxeScan> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (options) => {
    const { axe } = window as unknown as { axe: typeof import('axe-core') };
    const results = await axe.run(document, options);
    return { url: results.url, violations: results.violations };
  }, AXE_RUN_OPTIONS);
}
