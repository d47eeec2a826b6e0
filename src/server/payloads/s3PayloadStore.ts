/**
 * Payloads in an S3-compatible bucket (`payloads.store: "s3"`), through @tus/s3-store: an upload
 * is a multipart upload of `<key>`, with its state in `<key>.info` and, between PATCH requests,
 * a tail shorter than S3's 5 MiB minimum part in `<key>.part`. A finished payload is the object
 * `<key>`.
 */
import type { Readable } from 'node:stream';
import { S3, type S3ClientConfig } from '@aws-sdk/client-s3';
import { S3Store, type MetadataValue } from '@tus/s3-store';
import { MemoryKvStore, type Locker } from '@tus/server';
import type { S3PayloadStoreConfig } from '../configDefaults.ts';
import {
  putThroughDataStore,
  randomKey,
  withUploadLock,
  type ByteRange,
  type PayloadStore,
} from './payloadStore.ts';

/** What S3 and compatible services answer for a key or an upload that is not there. */
const NOT_THERE = new Set(['NotFound', 'NoSuchKey', 'NoSuchUpload']);

function isNotThere(error: unknown): boolean {
  return typeof error === 'object' && error !== null && NOT_THERE.has((error as Error).name);
}

export function s3ClientConfig(config: S3PayloadStoreConfig): S3ClientConfig {
  return {
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.accessKeyId && config.secretAccessKey
      ? {
          credentials: {
            accessKeyId: config.accessKeyId,
            secretAccessKey: config.secretAccessKey,
          },
        }
      : {}),
    // Checksums only where S3 requires them: self-hosted services (Ceph, Swift, older MinIO)
    // refuse the newer default checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

export function s3PayloadStore(config: S3PayloadStoreConfig, locker: Locker): PayloadStore {
  const clientConfig = s3ClientConfig(config);
  // The store's own cache of upload state, kept here so a removal forgets it too.
  const cache = new MemoryKvStore<MetadataValue>();
  const dataStore = new S3Store({
    s3ClientConfig: { ...clientConfig, bucket: config.bucket },
    cache,
  });
  const client = new S3(clientConfig);
  const Bucket = config.bucket;
  const keysOf = (key: string) => [key, `${key}.info`, `${key}.part`];

  return {
    kind: 's3',
    dataStore,
    locker,
    keyPrefix: config.keyPrefix,
    newKey: () => randomKey(config.keyPrefix),
    put: (key, bytes) => putThroughDataStore(dataStore, key, bytes),
    async read(key: string, range?: ByteRange): Promise<Readable | null> {
      try {
        const object = await client.getObject({
          Bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        });
        return object.Body as Readable;
      } catch (error) {
        if (isNotThere(error)) return null;
        throw error;
      }
    },
    // Not the tus store's `remove`: it leaves `<key>.part` behind and gives up on a finished
    // upload (whose multipart upload is gone) before deleting its object.
    remove: (key) =>
      withUploadLock(locker, key, async () => {
        const uploads = await client.listMultipartUploads({ Bucket, Prefix: key });
        for (const upload of uploads.Uploads ?? []) {
          if (upload.Key !== key) continue;
          await client
            .abortMultipartUpload({ Bucket, Key: key, UploadId: upload.UploadId })
            .catch((error: unknown) => {
              if (!isNotThere(error)) throw error;
            });
        }
        // One by one: multi-object delete needs Content-MD5 on some services.
        for (const Key of keysOf(key)) await client.deleteObject({ Bucket, Key });
        await cache.delete(key);
      }),
    async holdsAnything(key) {
      const objects = await client.listObjectsV2({ Bucket, Prefix: key });
      const uploads = await client.listMultipartUploads({ Bucket, Prefix: key });
      return (
        (objects.Contents ?? []).some((object) => keysOf(key).includes(object.Key ?? '')) ||
        (uploads.Uploads ?? []).some((upload) => upload.Key === key)
      );
    },
    async problem() {
      try {
        await client.headBucket({ Bucket });
        return null;
      } catch (error) {
        const { name, message } = error as Error;
        return `payloads.s3 bucket ${Bucket}: ${name}${message && message !== name ? ` (${message})` : ''}`;
      }
    },
    close: () => client.destroy(),
  };
}
