/**
 * A tus DataStore that passes everything to the payload store's own and records, after every
 * write, how many bytes the upload holds: the quotas count unfinished uploads too, and a write
 * cut off in the middle (a dropped connection) still leaves the bytes that arrived.
 */
import type { Readable } from 'node:stream';
import { DataStore, type Upload } from '@tus/server';

export class RecordingDataStore extends DataStore {
  constructor(
    private readonly inner: DataStore,
    private readonly recordLength: (key: string, byteLength: number) => Promise<void>,
  ) {
    super();
    this.extensions = inner.extensions;
  }

  override create(upload: Upload): Promise<Upload> {
    return this.inner.create(upload);
  }

  override remove(key: string): Promise<void> {
    return this.inner.remove(key);
  }

  override async write(stream: Readable, key: string, offset: number): Promise<number> {
    let written: number;
    try {
      written = await this.inner.write(stream, key, offset);
    } catch (error) {
      const upload = await this.inner.getUpload(key).catch(() => null);
      if (upload !== null) await this.recordLength(key, upload.offset).catch(() => undefined);
      throw error;
    }
    await this.recordLength(key, written);
    return written;
  }

  override getUpload(key: string): Promise<Upload> {
    return this.inner.getUpload(key);
  }

  override declareUploadLength(key: string, length: number): Promise<void> {
    return this.inner.declareUploadLength(key, length);
  }

  override getExpiration(): number {
    return this.inner.getExpiration();
  }
}
