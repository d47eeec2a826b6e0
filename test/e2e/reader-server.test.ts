/**
 * The built reader in a real Chromium against a REAL Sealpost server (in this process, PGlite,
 * development outbox): messages sealed by the real pipeline with server-protected locks,
 * registered through the HTTP API by a sender signed in through the HTTP API, opened from
 * file:// and from the hosted link. The recipient confirms their address, the test reads the
 * code from the outbox and types it; errors (wrong code, locked, revoked, expired, unknown
 * address, throttled resend, broken link) are checked as the recipient sees them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSenderKey } from '../../src/crypto/index.ts';
import { readerText } from '../../src/i18n/index.ts';
import type { MessageStatusResponse } from '../../src/core/serverApi.ts';
import {
  errorText,
  launchChromium,
  openReaderPage,
  readOpenedMessage,
  senderShown,
} from '../helpers/chromium.ts';
import { ensureReaderBuilt } from './harness/readerBuild.ts';
import { confirmAddress, typeCode } from './harness/readerServerFlow.ts';
import { sealAndRegisterOnServer, type ServerRecipient } from './harness/sealForServer.ts';
import {
  getJson,
  postJson,
  signInSender,
  startSealpostServer,
  type SealpostServer,
} from './harness/sealpostServer.ts';

const SENDER = { name: 'Alice Example', address: 'alice@example.org' };
const SMS_RECIPIENT = { address: 'bob@partner.example', phone: '+4915123456789' };
const EMAIL_RECIPIENT = 'dana@elsewhere.example';
const ORG_RECIPIENT = { address: 'carol@client.example', code: 'Harbour-42' };
const CODE_RECIPIENT = { address: 'erik@client.example', code: '739152' };
/** How long the organisation lets a recipient's browser be remembered. */
const REMEMBER_DAYS = 30;
/** Few tries so the lock-out is reached quickly; the server's default is 10. */
const ACCESS_CODE_TRIES = 3;

let server: SealpostServer;
let token: string;
let browser: Browser;
let workDir: string;
let readerTemplate: string;
let senderPublicKey: string;

const attachment = {
  name: 'Vertrag 2026 (Entwurf).pdf',
  contentType: 'application/pdf',
  bytes: randomBytes(400_000),
};
const bodyText =
  'Hello,\n\nthe draft is attached. Tabs\tand <b>no HTML</b> & umlauts: äöü.\n\nAlice';

interface Sealed {
  path: string;
  messageId: string;
  mailShare: string;
  subject: string;
}

/** Seals with the real pipeline, registers with the server (hosted payload) and writes the file. */
async function sealAndRegister(
  name: string,
  recipients: ServerRecipient[],
  options: { expiresInDays?: number } = {},
): Promise<Sealed> {
  const subject = `Contract ${name} — ✓`;
  const { messageId, mailShare, readerHtml } = await sealAndRegisterOnServer({
    serverUrl: server.url,
    token,
    sender: SENDER,
    senderPublicKey,
    readerTemplate,
    recipients,
    subject,
    body: { kind: 'plain', text: bodyText },
    attachments: [attachment],
    ...options,
  });
  const path = join(workDir, `${name}.html`);
  await writeFile(path, readerHtml);
  return { path, messageId, mailShare, subject };
}

async function openFile(sealed: Sealed): Promise<Page> {
  return openReaderPage(browser, sealed.path, { locale: 'en-US' });
}

async function expectOriginalContent(page: Page, sealed: Sealed): Promise<void> {
  const opened = await readOpenedMessage(page, join(workDir, 'downloads', sealed.messageId));
  expect(opened.subject).toBe(sealed.subject);
  expect(opened.from).toContain(SENDER.address);
  expect(opened.bodyText).toBe(bodyText);
  expect(opened.attachments).toHaveLength(1);
  expect(opened.attachments[0]?.name).toBe(attachment.name);
  expect(Buffer.from(opened.attachments[0]!.bytes).equals(attachment.bytes)).toBe(true);
}

async function newestOutboxAt(): Promise<string | null> {
  return (await server.outbox())[0]?.at ?? null;
}

beforeAll(async () => {
  const readerPath = await ensureReaderBuilt();
  readerTemplate = await readFile(readerPath, 'utf8');
  workDir = await mkdtemp(join(tmpdir(), 'sealpost-reader-server-'));
  server = await startSealpostServer({
    domains: ['example.org'],
    limits: { accessCodeTries: ACCESS_CODE_TRIES },
    rememberDevices: { enabled: true, days: REMEMBER_DAYS },
  });
  const before = await newestOutboxAt();
  token = await signInSender(server, SENDER.address, () =>
    server.codeFromOutbox(SENDER.address, { after: before }),
  );
  senderPublicKey = (await generateSenderKey(SENDER)).armoredPublicKey;
  // Published, as the add-on does at sign-in: the hosted reader seals replies to it.
  const published = await fetch(`${server.url}/api/v1/me/key`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ publicKey: senderPublicKey }),
  });
  expect(published.status).toBe(200);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('a message with sms, email (Bcc) and org-code recipients', () => {
  let sealed: Sealed;
  beforeAll(async () => {
    sealed = await sealAndRegister('mixed', [
      {
        address: SMS_RECIPIENT.address,
        field: 'to',
        method: 'sms',
        phone: SMS_RECIPIENT.phone,
        hint: 'b•••@partner.example',
      },
      {
        address: ORG_RECIPIENT.address,
        field: 'cc',
        method: 'org-code',
        accessCode: ORG_RECIPIENT.code,
        hint: 'c•••@client.example',
      },
      { address: EMAIL_RECIPIENT, field: 'bcc', method: 'email' },
    ]);
  });

  it('sms: refuses an address it was not sent to, sends a code, throttles the resend, opens', async () => {
    const page = await openFile(sealed);
    try {
      expect(await senderShown(page)).toContain(SENDER.address);
      // An empty or malformed address is answered by the page; the server is not asked.
      const asked: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/verify/')) asked.push(request.url());
      });
      expect(await confirmAddress(page, '')).toBe('error');
      expect(await errorText(page)).toBe(readerText('en', 'reader.error.empty-address'));
      expect(await confirmAddress(page, 'bob.partner.example')).toBe('error');
      expect(await errorText(page)).toBe(readerText('en', 'reader.error.invalid-address'));
      expect(asked).toEqual([]);
      expect(await confirmAddress(page, 'mallory@partner.example')).toBe('error');
      expect(await errorText(page)).toBe(readerText('en', 'reader.error.not-recipient'));
      expect(asked).toHaveLength(1);
      // What was typed stays, focused and selected: typing replaces it.
      await expect(page.locator('#recipient-address').inputValue()).resolves.toBe(
        'mallory@partner.example',
      );
      await page.keyboard.type('b');
      await expect(page.locator('#recipient-address').inputValue()).resolves.toBe('b');

      const before = await newestOutboxAt();
      expect(await confirmAddress(page, SMS_RECIPIENT.address.toUpperCase())).toBe('code');
      const factor = await page.locator('[data-testid="factor"]').innerText();
      expect(factor).toContain('••');
      expect(factor).toContain('89');
      expect(factor).not.toContain('123456');
      const code = await server.codeFromOutbox(SMS_RECIPIENT.phone, { after: before });

      await page.getByRole('button', { name: readerText('en', 'reader.resend') }).click();
      await page.locator('[data-testid="error"]').waitFor();
      expect(await errorText(page)).toMatch(/^Wait \d+ seconds, then try again\.$/);

      // A digit short: said by the page, no try spent on the server.
      const askedBefore = asked.length;
      expect(await typeCode(page, code.slice(1))).toBe('error');
      expect(await errorText(page)).toBe(
        readerText('en', 'reader.error.code-digits', { count: 6 }),
      );
      expect(asked).toHaveLength(askedBefore);
      expect(await typeCode(page, code)).toBe('open');
      await expectOriginalContent(page, sealed);
    } finally {
      await page.context().close();
    }
  });

  it('email (Bcc, typed by the recipient): a wrong code says how many tries are left, the right one opens', async () => {
    const page = await openFile(sealed);
    try {
      const before = await newestOutboxAt();
      expect(await confirmAddress(page, EMAIL_RECIPIENT)).toBe('code');
      const code = await server.codeFromOutbox(EMAIL_RECIPIENT, { after: before });
      const wrong = code === '000000' ? '111111' : '000000';
      expect(await typeCode(page, wrong)).toBe('error');
      expect(await errorText(page)).toBe(
        readerText('en', 'reader.error.attempts-left', { count: 4 }),
      );
      expect(await typeCode(page, code)).toBe('open');
      await expectOriginalContent(page, sealed);
    } finally {
      await page.context().close();
    }
  });

  it('org-code: the organisation code typed in another form opens it', async () => {
    const page = await openFile(sealed);
    try {
      expect(await confirmAddress(page, ORG_RECIPIENT.address)).toBe('code');
      expect(await page.locator('[data-testid="factor"]').innerText()).toBe(
        readerText('en', 'reader.factor.org-code'),
      );
      expect(await typeCode(page, ' harbour 42 ')).toBe('open');
      await expectOriginalContent(page, sealed);
    } finally {
      await page.context().close();
    }
  });

  it('hosted link: the server page with the mail share in the fragment opens the same message', async () => {
    const context = await browser.newContext({ acceptDownloads: true, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/r/${sealed.messageId}#${sealed.mailShare}`);
      await page.locator('main.content > *').first().waitFor();
      expect(await senderShown(page)).toContain(SENDER.name);
      // The mail share is read, then removed from the address bar and the history entry.
      expect(page.url()).toBe(`${server.url}/r/${sealed.messageId}`);
      expect(await page.evaluate(() => location.hash)).toBe('');
      const before = await newestOutboxAt();
      // The resend throttle counts per phone: move past it rather than wait.
      server.advanceClock(120);
      expect(await confirmAddress(page, SMS_RECIPIENT.address)).toBe('code');
      const code = await server.codeFromOutbox(SMS_RECIPIENT.phone, { after: before });
      expect(await typeCode(page, code)).toBe('open');
      await expectOriginalContent(page, sealed);

      // The hosted page has no envelope of its own: the sender's published key comes from the
      // server (checked against the fingerprint inside the payload), and the reply goes out.
      await page.locator('[data-action="reply"]').click();
      await page.locator('#reply-text').fill('Answered from the hosted page.');
      await page.locator('[data-testid="reply"] button[type="submit"]').click();
      await page.locator('[data-testid="reply-sent"]').waitFor({ timeout: 60_000 });
      const replyMail = (await server.outbox()).find((mail) => mail.to === SENDER.address);
      expect(replyMail?.text).toContain('X-Sealpost-Reply-To');
      expect(replyMail?.text).not.toContain('Answered from the hosted page.');
    } finally {
      await context.close();
    }
  });

  it('hosted link from a section in French: the reader starts in French in an English browser', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/r/${sealed.messageId}?lang=fr#${sealed.mailShare}`);
      await page.locator('#recipient-address').waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
      expect(await page.locator('label[for="recipient-address"]').innerText()).toBe(
        readerText('fr', 'reader.address'),
      );
      // The language stays in the address, the mail share does not.
      expect(page.url()).toBe(`${server.url}/r/${sealed.messageId}?lang=fr`);
      // The organisation's help page for recipients, in the page's language, and it answers.
      const help = page.locator('[data-testid="help-link"]');
      expect(await help.innerText()).toBe(readerText('fr', 'reader.help.link'));
      const href = await help.getAttribute('href');
      expect(href).toBe(`${server.url}/help/fr`);
      const answer = await fetch(href!);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('<html lang="fr"');
    } finally {
      await context.close();
    }
  });

  it('hosted link without its fragment, or for an unknown message, says the link is broken', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    try {
      await page.goto(`${server.url}/r/${sealed.messageId}`);
      await page.locator('[data-testid="error"]').waitFor();
      expect(await errorText(page)).toContain(readerText('en', 'reader.error.link'));
      // Without the mail share there is nothing to ask the server.
      expect(requests.filter((url) => url.includes('/api/'))).toEqual([]);

      await page.goto(`${server.url}/r/${randomUUID()}#${sealed.mailShare}`);
      await page.locator('[data-testid="error"]').waitFor();
      expect(await errorText(page)).toContain(readerText('en', 'reader.error.link'));
      // The fragment never leaves the browser: no API call carries the mail share.
      const apiCalls = requests.filter((url) => url.includes('/api/'));
      expect(apiCalls.length).toBeGreaterThan(0);
      for (const url of apiCalls) {
        expect(url).not.toContain(sealed.mailShare);
        expect(url).not.toContain(encodeURIComponent(sealed.mailShare));
      }
    } finally {
      await context.close();
    }
  });
});

describe('access codes guarded by the server', () => {
  it('code: a wrong code then the right one opens it', async () => {
    const sealed = await sealAndRegister('code', [
      {
        address: CODE_RECIPIENT.address,
        field: 'to',
        method: 'code',
        accessCode: CODE_RECIPIENT.code,
      },
    ]);
    const page = await openFile(sealed);
    try {
      expect(await confirmAddress(page, CODE_RECIPIENT.address)).toBe('code');
      expect(await typeCode(page, '000000')).toBe('error');
      expect(await errorText(page)).toBe(
        readerText('en', 'reader.error.attempts-left', { count: ACCESS_CODE_TRIES - 1 }),
      );
      expect(await typeCode(page, CODE_RECIPIENT.code)).toBe('open');
      await expectOriginalContent(page, sealed);
    } finally {
      await page.context().close();
    }
  });

  it('locks after the limit, says the sender was told, and stays locked for the right code', async () => {
    const sealed = await sealAndRegister('locked', [
      {
        address: CODE_RECIPIENT.address,
        field: 'to',
        method: 'code',
        accessCode: CODE_RECIPIENT.code,
      },
    ]);
    const locked = readerText('en', 'reader.error.locked');
    const page = await openFile(sealed);
    try {
      expect(await confirmAddress(page, CODE_RECIPIENT.address)).toBe('code');
      let wrongTries = 0;
      while (!(await errorText(page)).includes(locked) && wrongTries <= ACCESS_CODE_TRIES) {
        expect(await typeCode(page, `00000${wrongTries}`)).toBe('error');
        wrongTries++;
      }
      expect(await errorText(page)).toContain(locked);
      expect(wrongTries).toBeLessThanOrEqual(ACCESS_CODE_TRIES);
      expect(await page.locator('#access-code').count()).toBe(0);
    } finally {
      await page.context().close();
    }
    // A fresh page: the lock holds on the server, the right code does not open it.
    const again = await openFile(sealed);
    try {
      const outcome = await confirmAddress(again, CODE_RECIPIENT.address);
      if (outcome === 'code') expect(await typeCode(again, CODE_RECIPIENT.code)).toBe('error');
      expect(await errorText(again)).toContain(locked);
    } finally {
      await again.context().close();
    }
  });
});

describe('messages that can no longer be opened', () => {
  it('says a revoked message was revoked', async () => {
    const sealed = await sealAndRegister('revoked', [
      {
        address: ORG_RECIPIENT.address,
        field: 'to',
        method: 'org-code',
        accessCode: ORG_RECIPIENT.code,
      },
    ]);
    await postJson(`${server.url}/api/v1/messages/${sealed.messageId}/revoke`, {}, token);
    const page = await openFile(sealed);
    try {
      expect(await confirmAddress(page, ORG_RECIPIENT.address)).toBe('error');
      expect(await errorText(page)).toContain(readerText('en', 'reader.error.revoked'));
    } finally {
      await page.context().close();
    }
  });

  it('says an expired message expired (not "wrong code"), also after the code step', async () => {
    const sealed = await sealAndRegister(
      'expired',
      [
        {
          address: ORG_RECIPIENT.address,
          field: 'to',
          method: 'org-code',
          accessCode: ORG_RECIPIENT.code,
        },
      ],
      { expiresInDays: 1 },
    );
    const page = await openFile(sealed);
    try {
      expect(await confirmAddress(page, ORG_RECIPIENT.address)).toBe('code');
      server.advanceClock(2 * 24 * 3600);
      expect(await typeCode(page, ORG_RECIPIENT.code)).toBe('error');
      expect(await errorText(page)).toContain(readerText('en', 'reader.error.expired'));
    } finally {
      await page.context().close();
    }
  });

  it('says the server cannot be reached when it is gone', async () => {
    const sealed = await sealAndRegister('unreachable', [
      {
        address: ORG_RECIPIENT.address,
        field: 'to',
        method: 'org-code',
        accessCode: ORG_RECIPIENT.code,
      },
    ]);
    const page = await openFile(sealed);
    try {
      // Block the server for this page only (the server itself keeps running for other tests).
      await page.route(`${server.url}/**`, (route) => route.abort('connectionrefused'));
      expect(await confirmAddress(page, ORG_RECIPIENT.address)).toBe('error');
      expect(await errorText(page)).toBe(readerText('en', 'reader.error.unavailable'));
    } finally {
      await page.context().close();
    }
  });
});

describe('"I don\'t have the code"', () => {
  it('tells the sender by mail and in the status, once an hour, without revealing anything', async () => {
    const sealed = await sealAndRegister('no-code', [
      { address: CODE_RECIPIENT.address, field: 'to', method: 'code', accessCode: '4KQ7-ZP2M' },
    ]);
    const page = await openFile(sealed);
    try {
      expect(await confirmAddress(page, CODE_RECIPIENT.address)).toBe('code');
      const before = await newestOutboxAt();
      await page.getByRole('button', { name: readerText('en', 'reader.no-code.button') }).click();
      const told = page.locator('[data-testid="sender-told"]');
      await told.waitFor();
      expect(await told.innerText()).toBe(
        readerText('en', 'reader.no-code.told', { name: SENDER.name }),
      );
      // The code field stays: the sender may call with the code while the page is open.
      expect(await page.locator('#access-code').count()).toBe(1);

      const mails = (await server.outbox()).filter(
        (mail) => mail.to === SENDER.address && (before === null || mail.at > before),
      );
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain(CODE_RECIPIENT.address);
      expect(mails[0]!.text).not.toContain('4KQ7');
      expect(mails[0]!.text).not.toContain(sealed.mailShare);

      const status = await getJson<MessageStatusResponse>(
        `${server.url}/api/v1/messages/${sealed.messageId}/status`,
        token,
      );
      expect(status.recipients[0]?.codeRequestedAt).toEqual(expect.any(String));
    } finally {
      await page.context().close();
    }
    // A second page asks again within the hour: the reader says the same, no second mail.
    const again = await openFile(sealed);
    try {
      expect(await confirmAddress(again, CODE_RECIPIENT.address)).toBe('code');
      const before = await newestOutboxAt();
      await again.getByRole('button', { name: readerText('en', 'reader.no-code.button') }).click();
      await again.locator('[data-testid="sender-told"]').waitFor();
      expect((await server.outbox()).filter((mail) => before === null || mail.at > before)).toEqual(
        [],
      );
    } finally {
      await again.context().close();
    }
  });
});

describe('remembered browsers (the organisation allows them)', () => {
  const smsLock = (): ServerRecipient => ({
    address: SMS_RECIPIENT.address,
    field: 'to',
    method: 'sms',
    phone: SMS_RECIPIENT.phone,
  });
  const hostedUrl = (sealed: Sealed) => `${server.url}/r/${sealed.messageId}#${sealed.mailShare}`;

  /** Opens a hosted link in `context`: 'open' when it opened by itself, else 'address'. */
  async function openHosted(page: Page, sealed: Sealed): Promise<'open' | 'address'> {
    await page.goto(hostedUrl(sealed));
    const shown = page.locator('[data-testid="subject"], #recipient-address:not([readonly])');
    await shown.first().waitFor({ timeout: 30_000 });
    return (await page.locator('[data-testid="subject"]').count()) > 0 ? 'open' : 'address';
  }

  /** The address step, the SMS code, ticking "Remember this browser" first when asked. */
  async function openWithSms(page: Page, remember: boolean): Promise<void> {
    const before = await newestOutboxAt();
    // One code per number per throttle period: move past it rather than wait.
    server.advanceClock(120);
    expect(await confirmAddress(page, SMS_RECIPIENT.address)).toBe('code');
    if (remember) await page.getByRole('checkbox').check();
    const code = await server.codeFromOutbox(SMS_RECIPIENT.phone, { after: before });
    expect(await typeCode(page, code)).toBe('open');
  }

  async function deviceMailLink(after: string | null): Promise<string> {
    const mail = (await server.outbox()).find(
      (entry) => entry.to === SMS_RECIPIENT.address && (after === null || entry.at > after),
    );
    const link = mail && /(http:\/\/\S+\/devices\/\S+\/remove\?token=\S+)/.exec(mail.text)?.[1];
    if (!link) throw new Error('no device mail with a removal link');
    return link;
  }

  it('skips the code on the next message in that browser only, until the recipient forgets it', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      const first = await sealAndRegister('device-1', [smsLock()]);
      expect(await openHosted(page, first)).toBe('address');
      const before = await newestOutboxAt();
      await openWithSms(page, true);
      await deviceMailLink(before);
      // The secret is kept in this origin's storage, never in the page's address.
      const kept = await page.evaluate(() => localStorage.getItem('sealpost.rememberedDevices'));
      expect(JSON.parse(kept ?? '[]')).toEqual([
        expect.objectContaining({ address: SMS_RECIPIENT.address }),
      ]);

      const second = await sealAndRegister('device-2', [smsLock()]);
      const noCodeSince = await newestOutboxAt();
      expect(await openHosted(page, second)).toBe('open');
      await expectOriginalContent(page, second);
      expect(await page.locator('[data-testid="device-note"]').innerText()).toContain(
        SMS_RECIPIENT.address,
      );
      // No SMS was sent for it.
      expect(
        (await server.outbox()).filter((mail) => noCodeSince === null || mail.at > noCodeSince),
      ).toEqual([]);

      // Another browser (its own storage) still needs the code.
      const stranger = await browser.newContext({ locale: 'en-US' });
      try {
        expect(await openHosted(await stranger.newPage(), second)).toBe('address');
      } finally {
        await stranger.close();
      }
      // The attached reader (a file) never offers remembering.
      const file = await openFile(second);
      try {
        expect(await confirmAddress(file, SMS_RECIPIENT.address)).toBe('code');
        expect(await file.getByRole('checkbox').count()).toBe(0);
      } finally {
        await file.context().close();
      }

      await page.locator('[data-testid="forget-device"]').click();
      await page.getByText(readerText('en', 'reader.device.forgotten')).waitFor();
      const third = await sealAndRegister('device-3', [smsLock()]);
      expect(await openHosted(page, third)).toBe('address');
    } finally {
      await context.close();
    }
  });

  it('the removal link in the mail works on a button press, not on opening it', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      const first = await sealAndRegister('device-link-1', [smsLock()]);
      expect(await openHosted(page, first)).toBe('address');
      const before = await newestOutboxAt();
      await openWithSms(page, true);
      const link = await deviceMailLink(before);

      const mailPage = await context.newPage();
      await mailPage.goto(link);
      // Opening the link (a mail scanner does) removes nothing.
      const second = await sealAndRegister('device-link-2', [smsLock()]);
      expect(await openHosted(page, second)).toBe('open');
      await mailPage.getByRole('button').click();
      await mailPage.waitForLoadState();
      const third = await sealAndRegister('device-link-3', [smsLock()]);
      expect(await openHosted(page, third)).toBe('address');
      // Refused by the server, so forgotten here too.
      expect(await page.evaluate(() => localStorage.getItem('sealpost.rememberedDevices'))).toBe(
        null,
      );
    } finally {
      await context.close();
    }
  });

  it(`expires after ${REMEMBER_DAYS} days`, async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      const first = await sealAndRegister('device-expiry-1', [smsLock()]);
      expect(await openHosted(page, first)).toBe('address');
      await openWithSms(page, true);
      server.advanceClock((REMEMBER_DAYS - 1) * 24 * 3600);
      const within = await sealAndRegister('device-expiry-2', [smsLock()]);
      expect(await openHosted(page, within)).toBe('open');
      server.advanceClock(2 * 24 * 3600);
      const after = await sealAndRegister('device-expiry-3', [smsLock()]);
      expect(await openHosted(page, after)).toBe('address');
    } finally {
      await context.close();
    }
  });
});
