import type { MarionetteClient } from './marionette.ts';

/**
 * Stores the IMAP account's password in Thunderbird's login manager, where Thunderbird looks
 * for it (origin and realm `imap://<host>`, the server's user name). There is no pref for an
 * incoming server's password, and `logins.json` is encrypted with the profile's own key
 * (`key4.db`), so the harness adds it through the running Thunderbird (Marionette, chrome
 * context) before anything connects: the profile's IMAP account neither logs in at startup
 * nor checks for mail.
 */
export async function addImapLogin(
  marionette: MarionetteClient,
  login: { host: string; user: string; password: string },
): Promise<void> {
  await marionette
    .executeAsyncScript(
      `const [login, done] = arguments;
     const origin = 'imap://' + login.host;
     const info = Cc['@mozilla.org/login-manager/loginInfo;1'].createInstance(Ci.nsILoginInfo);
     info.init(origin, null, origin, login.user, login.password, '', '');
     Services.logins.addLoginAsync(info).then(() => done(true), (error) => done(String(error)));`,
      [login],
    )
    .then((result) => {
      if (result !== true) throw new Error(`storing the IMAP password failed: ${String(result)}`);
    });
}
