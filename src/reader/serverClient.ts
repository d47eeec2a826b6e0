/**
 * The reader's client of the Sealpost server: the one client (src/core/serverClient.ts) without
 * a device token, over the page's own `fetch`. The recipient's routes only take the message id,
 * the address, the verification handle and the typed code; never the mail share or content.
 */
import { createServerClient, type ServerClient } from '../core/serverClient.ts';

export function readerClient(serverUrl: string): ServerClient {
  // Looked up at each call, so the page's `fetch` is the one in use (and tests can replace it).
  return createServerClient({ baseUrl: serverUrl, fetch: (input, init) => fetch(input, init) });
}
