/**
 * The payload stores the link-delivery tests run on: files in a temporary directory (on every
 * database), and S3 on a real S3 server the test starts (test/helpers/s3Server.ts: Swift's S3
 * API), on the first database only (the store does not depend on the database). Without Swift
 * installed (`python3-swift`, scripts/ensure-system-deps.sh installs it) the S3 runs fail
 * rather than pass unseen.
 */
import { startS3Server } from '../helpers/s3Server.ts';
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

const s3Store: PayloadStoreKind = {
  name: 's3',
  async open() {
    const s3 = await startS3Server();
    return { config: { store: 's3', s3: s3.config }, serverOptions: {}, close: s3.stop };
  },
  toString: () => 'S3',
};

/** `[database, store]` pairs for `describe.each`: files on every database, S3 on the first. */
export function payloadStoreKinds(databases: DatabaseKind[]): [DatabaseKind, PayloadStoreKind][] {
  return [
    ...databases.map((database) => [database, fileStore] as [DatabaseKind, PayloadStoreKind]),
    ...databases
      .slice(0, 1)
      .map((database) => [database, s3Store] as [DatabaseKind, PayloadStoreKind]),
  ];
}
