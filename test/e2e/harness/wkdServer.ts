/**
 * A Web Key Directory on loopback for tests: serves each published key at both WKD forms
 * (`/.well-known/openpgpkey/<domain>/hu/<hash>` and `/.well-known/openpgpkey/hu/<hash>`), by the
 * z-base-32 SHA-1 of each user ID's local part (`src/core/wkd.ts`), and records what was asked.
 * A test build of Sealpost sends its WKD lookups here (`wkdBaseUrl`, docs/keys.md).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as openpgp from 'openpgp';
import { wkdHash } from '../../../src/core/wkd.ts';

export class WkdServer {
  /** Binary keys by `<domain>/<hash>`. */
  private readonly keys = new Map<string, Uint8Array>();
  /** Every path asked for, in order. */
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WkdServer> {
    let self: WkdServer | null = null;
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      self?.requests.push(path);
      const key = self?.lookUp(path);
      if (!key) {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, {
          'content-type': 'application/octet-stream',
          'access-control-allow-origin': '*',
        })
        .end(Buffer.from(key));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new WkdServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** Publishes a key (armored or binary) for every address among its user IDs. */
  async publish(key: string | Uint8Array): Promise<string[]> {
    const parsed =
      typeof key === 'string' && key.includes('-----BEGIN PGP')
        ? await openpgp.readKey({ armoredKey: key })
        : await openpgp.readKey({ binaryKey: key as Uint8Array });
    const bytes = parsed.toPublic().write();
    const addresses: string[] = [];
    for (const user of parsed.users) {
      const address = user.userID?.email.toLowerCase();
      if (!address) continue;
      const at = address.lastIndexOf('@');
      this.keys.set(`${address.slice(at + 1)}/${await wkdHash(address.slice(0, at))}`, bytes);
      addresses.push(address);
    }
    return addresses;
  }

  /** Takes a key off the directory (every address it was published for). */
  unpublishAll(): void {
    this.keys.clear();
  }

  private lookUp(path: string): Uint8Array | undefined {
    const advanced = /^\/\.well-known\/openpgpkey\/([^/]+)\/hu\/([a-z0-9]+)$/.exec(path);
    if (advanced) return this.keys.get(`${advanced[1]}/${advanced[2]}`);
    const direct = /^\/\.well-known\/openpgpkey\/hu\/([a-z0-9]+)$/.exec(path);
    if (!direct) return undefined;
    for (const [name, key] of this.keys) if (name.endsWith(`/${direct[1]}`)) return key;
    return undefined;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
