/**
 * The checks of the `payloads` configuration section (where hosted payloads live, size limit,
 * quotas); src/server/config.ts runs them with the other keys' checks.
 */
import type { ServerConfig } from '../configDefaults.ts';

/** An S3 key prefix: path-like characters only, so keys stay valid and readable in any console. */
const KEY_PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()/-]{0,200}$/;

/** Checks `payloads` (./../config.ts calls it with its `check`, which collects the messages). */
export function checkPayloadsConfig(
  payloads: ServerConfig['payloads'],
  check: (condition: boolean, message: string) => void,
): void {
  check(['file', 's3'].includes(payloads.store), 'payloads.store: expected "file" or "s3"');
  check(
    typeof payloads.directory === 'string' && payloads.directory.length > 0,
    'payloads.directory: expected a directory path',
  );
  for (const key of [
    'maxBytes',
    'quotaPerSenderBytes',
    'quotaTotalBytes',
    'unfinishedUploadHours',
  ] as const) {
    check(
      Number.isSafeInteger(payloads[key]) && payloads[key] > 0,
      `payloads.${key}: expected a positive integer`,
    );
  }
  const s3 = payloads.s3;
  for (const key of ['endpoint', 'accessKeyId', 'secretAccessKey'] as const) {
    check(
      s3[key] === undefined || (typeof s3[key] === 'string' && s3[key].length > 0),
      `payloads.s3.${key}: expected a non-empty string`,
    );
  }
  if (typeof s3.endpoint === 'string') {
    check(
      URL.canParse(s3.endpoint) && ['http:', 'https:'].includes(new URL(s3.endpoint).protocol),
      'payloads.s3.endpoint: expected http(s)://',
    );
  }
  check(
    (s3.accessKeyId === undefined) === (s3.secretAccessKey === undefined),
    'payloads.s3.accessKeyId and payloads.s3.secretAccessKey: set both or neither',
  );
  check(
    typeof s3.forcePathStyle === 'boolean',
    'payloads.s3.forcePathStyle: expected true or false',
  );
  check(
    typeof s3.keyPrefix === 'string' && KEY_PREFIX_PATTERN.test(s3.keyPrefix),
    "payloads.s3.keyPrefix: expected letters, digits and / - _ . ! * ' ( ) only",
  );
  if (payloads.store === 's3') {
    check(
      typeof s3.bucket === 'string' && s3.bucket.length > 0,
      'payloads.s3.bucket: required for the s3 store (SEALPOST_PAYLOADS_S3_BUCKET)',
    );
    check(
      typeof s3.region === 'string' && s3.region.length > 0,
      'payloads.s3.region: required for the s3 store',
    );
  }
}
