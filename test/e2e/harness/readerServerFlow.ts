/**
 * The reader's server flow as a recipient goes through it in Chromium: confirm the address the
 * mail came to, then type the code (sent by SMS/email, or the access code). Shared by the
 * reader and Thunderbird end-to-end tests.
 */
import type { Page } from 'playwright-core';
import { UNLOCK_TIMEOUT_MS } from '../../helpers/chromium.ts';

/**
 * Submits a field with Enter and waits for `success` or an error shown after the submit (errors
 * already on the page are marked first, so a stale one does not count).
 */
export async function submitField(
  page: Page,
  field: string,
  value: string,
  success: string,
): Promise<boolean> {
  await page.evaluate(() => {
    for (const element of document.querySelectorAll('[data-testid="error"]')) {
      element.setAttribute('data-seen', '');
    }
  });
  await page.locator(field).fill(value);
  await page.locator(field).press('Enter');
  await page
    .locator(`${success}, [data-testid="error"]:not([data-seen])`)
    .first()
    .waitFor({ timeout: UNLOCK_TIMEOUT_MS });
  return (await page.locator(success).count()) > 0;
}

/** Step 1: the address; then the code field, or an error. */
export async function confirmAddress(page: Page, address: string): Promise<'code' | 'error'> {
  return (await submitField(page, '#recipient-address', address, '#access-code'))
    ? 'code'
    : 'error';
}

/** Step 2: a code; then the message, or an error. */
export async function typeCode(page: Page, code: string): Promise<'open' | 'error'> {
  return (await submitField(page, '#access-code', code, '[data-testid="subject"]'))
    ? 'open'
    : 'error';
}
