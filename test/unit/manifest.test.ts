import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The manifest as data (house style rule 9): what it grants and loads is reviewed here. */
const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(resolve(root, 'extension/manifest.json'), 'utf8'));

describe('manifest.json', () => {
  it('is an MV3 MailExtension for Thunderbird 128+ with a stable id', () => {
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.browser_specific_settings.gecko).toMatchObject({
      id: 'sealpost@sealpost.example',
      strict_min_version: '128.0',
    });
  });

  it('asks only for the permissions the code uses', () => {
    // compose.send and compose.save: each Bcc recipient's own sealed mail is sent (and, when its
    // send fails, kept as a draft) by the add-on through Thunderbird. accountsRead,
    // accountsFolders, messagesDelete, messagesImport: a draft saved in secure mode to a mail
    // server is deleted there and kept in Local Folders instead (docs/drafts.md). scripting: a
    // style sheet over the compose editor shows the send's progress (src/core/sendCover.ts).
    expect([...manifest.permissions].sort()).toEqual(
      [
        'accountsFolders',
        'accountsRead',
        'addressBooks',
        'compose',
        'compose.save',
        'compose.send',
        'messagesDelete',
        'messagesImport',
        'messagesRead',
        'scripting',
        'storage',
      ].sort(),
    );
    expect(manifest.optional_permissions).toBeUndefined();
  });

  it('reaches only a local development server without asking; any other server only once the sender allows it', () => {
    // Background requests to the Sealpost server need host permissions (the server's CORS is
    // for the reader only). Loopback is granted for `npm start`; an https server is requested
    // for its own origin when the sender saves its address in the options page.
    expect(manifest.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    expect(manifest.optional_host_permissions).toEqual(['https://*/*']);
  });

  it('loads no remote code: scripts only from the package, WebAssembly for Argon2', () => {
    const policy: string = manifest.content_security_policy.extension_pages;
    expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(policy).not.toMatch(/https?:|'unsafe-eval'|'unsafe-inline'/);
    expect(policy).toContain("object-src 'none'");
  });

  it('has an "Open secure message" button for sealed messages', () => {
    expect(manifest.message_display_action.default_popup).toBeUndefined();
    expect(manifest.message_display_action.default_title).toBe('__MSG_openSecureMessageTitle__');
  });

  it('has an event-page background, a compose action with popup and a toggle command', () => {
    expect(manifest.background).toEqual({ scripts: ['background.js'], type: 'module' });
    expect(manifest.compose_action.default_popup).toBe('popup.html');
    expect(manifest.commands['toggle-secure-mode'].suggested_key.default).toMatch(/^Ctrl\+/);
  });

  it('uses only messages that exist in every locale', () => {
    const used =
      JSON.stringify(manifest)
        .match(/__MSG_(\w+)__/g)
        ?.map((m) => m.slice(6, -2)) ?? [];
    const locales = readdirSync(resolve(root, 'extension/_locales'));
    expect(locales).toEqual(expect.arrayContaining(['en', 'de', 'nl']));
    for (const locale of locales) {
      const messages = JSON.parse(
        readFileSync(resolve(root, `extension/_locales/${locale}/messages.json`), 'utf8'),
      );
      for (const key of used) expect(messages[key]?.message, `${locale}: ${key}`).toBeTruthy();
    }
  });
});
