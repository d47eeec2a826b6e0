/**
 * Drives the built reader (`secure-message.html`) in Debian's Chromium through playwright-core.
 * Never downloads a browser: the executable is the system one. Shared by the reader e2e tests
 * and the Thunderbird e2e tests (which open the reader attached to a received mail).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Argon2 (64 MiB, 3 passes) plus decryption of a few MB; generous for a loaded CI machine. */
export const UNLOCK_TIMEOUT_MS = 90_000;

/** Starts a headless Chromium without sandbox, GPU or background network chatter. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface ReaderPageOptions {
  /** Reuse a running browser; otherwise one is launched and closed around the call. */
  browser?: Browser;
  /** Browser locale (navigator.languages), e.g. 'de-DE'. Default 'en-US'. */
  locale?: string;
  colorScheme?: BrowserContextOptions['colorScheme'];
}

/** Opens a reader file from file:// in a fresh context and waits until it shows something. */
export async function openReaderPage(
  browser: Browser,
  htmlPath: string,
  options: Pick<ReaderPageOptions, 'locale' | 'colorScheme'> = {},
): Promise<Page> {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: 1000, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(htmlPath).href);
  await page.locator('main.content > *').first().waitFor();
  return page;
}

/** Types a code into the reader and submits it with Enter; waits for the message or an error. */
export async function submitAccessCode(page: Page, code: string): Promise<'open' | 'error'> {
  const input = page.locator('#access-code');
  await input.fill(code);
  await input.press('Enter');
  const outcome = page
    .locator('[data-testid="subject"]')
    .or(page.locator('[data-testid="error"]'))
    .first();
  await outcome.waitFor({ timeout: UNLOCK_TIMEOUT_MS });
  return (await page.locator('[data-testid="subject"]').count()) > 0 ? 'open' : 'error';
}

export interface DownloadedAttachment {
  /** The file name the browser was told to save under (the `download` attribute). */
  name: string;
  bytes: Uint8Array;
}

export interface UnlockedMessage {
  subject: string;
  from: string;
  to: string;
  cc: string;
  /** The date as shown (localised). */
  date: string;
  /** Visible text of the body: the text element, or the sanitised HTML inside the iframe. */
  bodyText: string;
  /** Whether the body is shown as HTML (in the sandboxed iframe). */
  bodyIsHtml: boolean;
  attachments: DownloadedAttachment[];
}

/** Reads what an opened reader shows and downloads every attachment into `downloadDir`. */
export async function readOpenedMessage(page: Page, downloadDir: string): Promise<UnlockedMessage> {
  const text = async (testId: string) => {
    const locator = page.locator(`[data-testid="${testId}"]`);
    return (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '').trim() : '';
  };
  const body = page.locator('[data-testid="message-body"]');
  const bodyIsHtml = (await body.evaluate((element) => element.tagName)) === 'IFRAME';
  const bodyText = bodyIsHtml
    ? await page.frameLocator('[data-testid="message-body"]').locator('body').innerText()
    : await body.innerText();

  await mkdir(downloadDir, { recursive: true });
  const attachments: DownloadedAttachment[] = [];
  const buttons = page.locator('[data-testid="attachment"]');
  for (let index = 0; index < (await buttons.count()); index++) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      buttons.nth(index).click(),
    ]);
    const name = download.suggestedFilename();
    const savedPath = join(downloadDir, `${index}-${name}`);
    await download.saveAs(savedPath);
    attachments.push({ name, bytes: new Uint8Array(await readFile(savedPath)) });
  }
  return {
    subject: await text('subject'),
    from: await text('from'),
    to: await text('to'),
    cc: await text('cc'),
    date: await text('date'),
    bodyText,
    bodyIsHtml,
    attachments,
  };
}

/**
 * Opens `htmlPath` in Chromium, unlocks it with `code` and returns what it shows, with every
 * attachment downloaded (byte for byte) into `downloadDir`. Throws if the code is refused.
 */
export async function openReaderAndUnlock(
  htmlPath: string,
  code: string,
  options: ReaderPageOptions & { downloadDir: string },
): Promise<UnlockedMessage> {
  return withBrowser(options.browser, async (browser) => {
    const page = await openReaderPage(browser, htmlPath, options);
    try {
      const outcome = await submitAccessCode(page, code);
      if (outcome !== 'open') {
        throw new Error(`reader refused the code: ${await errorText(page)}`);
      }
      return await readOpenedMessage(page, options.downloadDir);
    } finally {
      await page.context().close();
    }
  });
}

/**
 * Opens `htmlPath`, submits `code` and returns the error the reader shows (for a wrong code,
 * or a damaged file). Throws if the message opens instead.
 */
export async function openReaderExpectingError(
  htmlPath: string,
  code: string,
  options: ReaderPageOptions = {},
): Promise<{ errorText: string; senderText: string }> {
  return withBrowser(options.browser, async (browser) => {
    const page = await openReaderPage(browser, htmlPath, options);
    try {
      const senderText = await senderShown(page);
      if ((await page.locator('#access-code').count()) > 0) {
        const outcome = await submitAccessCode(page, code);
        if (outcome === 'open') throw new Error('reader opened the message with the given code');
      }
      return { errorText: await errorText(page), senderText };
    } finally {
      await page.context().close();
    }
  });
}

/** The sender block's text (name and address) shown before unlocking, or '' when absent. */
export async function senderShown(page: Page): Promise<string> {
  const sender = page.locator('[data-testid="sender"]');
  return (await sender.count()) > 0
    ? ((await sender.innerText()) ?? '').replace(/\s+/g, ' ').trim()
    : '';
}

/** The error text shown, whichever screen shows it. */
export async function errorText(page: Page): Promise<string> {
  const error = page.locator('[data-testid="error"]').first();
  return (await error.count()) > 0 ? (await error.innerText()).replace(/\s+/g, ' ').trim() : '';
}

async function withBrowser<Result>(
  browser: Browser | undefined,
  use: (browser: Browser) => Promise<Result>,
): Promise<Result> {
  if (browser) return use(browser);
  const launched = await launchChromium();
  try {
    return await use(launched);
  } finally {
    await launched.close();
  }
}
