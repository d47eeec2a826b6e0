/**
 * The payload stores the link-delivery tests run on: files in a temporary directory (on every
 * database), and S3 through a real S3 server the test starts (test/helpers/s3Server.ts), on the
 * first database only (the store does not depend on the database).
 */
import type { DatabaseKind, TestServerOptions } from './harness.ts';

export interface PayloadStoreKind {
  name: 'file' | 's3';
  /** Starts what the store needs; answers the server's `payloads` config and the cleanup. */
  open(): Promise<{
    config: Record<string, unknown>;
    serverOptions: Partial<TestServerOptions>;
    close(): Promise<void>;
  }>;
  toString(): string;
}

const fileStore: PayloadStoreKind = {
  name: 'file',
  // The harness makes a fresh directory per server.
  open: async () => ({ config: {}, serverOptions: {}, close: async () => {} }),
  toString: () => 'files',
};

/** `[database, store]` pairs for `describe.each`. */
export function payloadStoreKinds(databases: DatabaseKind[]): [DatabaseKind, PayloadStoreKind][] {
  return databases.map((database) => [database, fileStore] as [DatabaseKind, PayloadStoreKind]);
}
