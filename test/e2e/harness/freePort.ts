import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on loopback. Another process could take it before the
 * caller binds it; for Marionette (whose port is fixed in the profile before start) that small
 * race is accepted, the other servers bind port 0 directly.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
