/**
 * Host permission for the Sealpost server. Loopback (development) is granted by the manifest;
 * any other server's origin is an optional permission the sender grants when saving its address
 * in the options page. `permissions.request` needs the user's click, so the page calls this
 * from the button's handler, before talking to the background.
 */
export async function allowServerOrigin(serverUrl: string): Promise<boolean> {
  let origin: string;
  try {
    origin = new URL(serverUrl.trim()).origin;
  } catch {
    // Not a URL: the background's validation explains what is wrong.
    return true;
  }
  if (!origin.startsWith('https://')) return true;
  // `request` first, with no await before it: the click's user-input state does not survive
  // an await, and `request` answers true at once for a permission already granted.
  try {
    return await browser.permissions.request({ origins: [`${origin}/*`] });
  } catch {
    // Refused outright (e.g. not from a user action): the page says it was not allowed.
    return false;
  }
}
