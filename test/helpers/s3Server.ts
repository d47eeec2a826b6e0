/**
 * A real S3 server for the payload-store tests: OpenStack Swift (Debian's `python3-swift`) with
 * its S3 API (`s3api`), all in one temporary directory on loopback — account, container and
 * object servers with one-device rings, and a proxy with `s3api` and `tempauth`. Chosen over
 * `s3rver` (npm), which has no ListParts, AbortMultipartUpload or ListMultipartUploads, all of
 * which @tus/s3-store needs; and over Ceph's RADOS Gateway, which needs a running cluster.
 * Swift's S3 API keeps S3's rules (5 MiB minimum part, ETags, multipart listings), so the
 * store meets what a production service would do. docs/server.md says the same.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { S3 } from '@aws-sdk/client-s3';
import type { S3PayloadStoreConfig } from '../../src/server/configDefaults.ts';
import { s3ClientConfig } from '../../src/server/payloads/s3PayloadStore.ts';

/** Debian's interpreter: `python3-swift` is installed for it, not for another on the PATH. */
export const SWIFT_PYTHON = '/usr/bin/python3';
const LAUNCHER = join(import.meta.dirname, 'swift', 'run_swift.py');

export interface S3TestServer {
  /** The `payloads.s3` configuration that reaches it (bucket created, path-style). */
  config: S3PayloadStoreConfig;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

/** Whether Swift can run here (the Debian package is installed). */
export async function swiftAvailable(): Promise<boolean> {
  return promisify(execFile)(SWIFT_PYTHON, ['-c', 'import swift.common.middleware.s3api'])
    .then(() => true)
    .catch(() => false);
}

const serverConf = (directory: string, port: number, app: string, extra = '') => `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
devices = ${directory}/node
mount_check = false
swift_dir = ${directory}
log_level = WARNING
${extra}
[pipeline:main]
pipeline = ${app}-server

[app:${app}-server]
use = egg:swift#${app}

[${app}-replicator]
[${app}-updater]
[${app}-auditor]
`;

const proxyConf = (directory: string, port: number) => `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
swift_dir = ${directory}
log_level = WARNING

[pipeline:main]
pipeline = catch_errors gatekeeper proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:cache]
paste.filter_factory = memory_cache:filter_factory
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
`;

/** Starts Swift with its S3 API and creates `bucket`; `stop()` ends it and removes its files. */
export async function startS3Server(bucket = 'sealpost-test'): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'sealpost-swift-'));
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? Promise.resolve()
          : new Promise((resolve) => child.once('exit', resolve)),
      ),
    );
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await mkdir(join(directory, 'node', 'd1'), { recursive: true });
    await writeFile(
      join(directory, 'swift.conf'),
      '[swift-hash]\nswift_hash_path_suffix = sealpost-test\nswift_hash_path_prefix = sealpost\n\n[storage-policy:0]\nname = only\ndefault = yes\n',
    );
    const ports = { account: 0, container: 0, object: 0, proxy: 0 };
    for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
    for (const name of ['account', 'container', 'object'] as const)
      await writeFile(join(directory, `${name}.conf`), serverConf(directory, ports[name], name));
    await writeFile(join(directory, 'proxy.conf'), proxyConf(directory, ports.proxy));
    await promisify(execFile)(SWIFT_PYTHON, [
      LAUNCHER,
      directory,
      'rings',
      String(ports.account),
      String(ports.container),
      String(ports.object),
    ]);
    for (const name of ['account', 'container', 'object', 'proxy']) {
      const child = spawn(SWIFT_PYTHON, [LAUNCHER, directory, 'serve', name], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      children.push(child);
    }
    const config: S3PayloadStoreConfig = {
      endpoint: `http://127.0.0.1:${ports.proxy}`,
      region: 'us-east-1',
      bucket,
      accessKeyId: 'test:tester',
      secretAccessKey: 'testing',
      forcePathStyle: true,
      keyPrefix: 'sealpost/',
    };
    const client = new S3(s3ClientConfig(config));
    // Ready when the proxy answers S3 and the bucket exists (a few seconds on a busy machine).
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await client.createBucket({ Bucket: bucket });
        break;
      } catch (error) {
        const exited = children.find((child) => child.exitCode !== null);
        if (exited || Date.now() > deadline)
          throw new Error(
            `Swift did not start: ${(error as Error).message}\n${output.join('').slice(-3000)}`,
            { cause: error },
          );
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    client.destroy();
    return { config, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
