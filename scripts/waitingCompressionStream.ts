/**
 * A CompressionStream that waits for its reader, for benchmarks that measure memory in Node.
 *
 * openpgp.js compresses with the platform's `CompressionStream` when there is one (it looks once,
 * when it loads). Node's does not apply backpressure: it reads its whole input ahead of a slower
 * reader and queues the compressed output (32 MB of random data piped into it with the reader
 * paused: all 32 MB read and held; a plain TransformStream reads 0.2 MB). Thunderbird's
 * (Firefox's) is a standard TransformStream over zlib that compresses each chunk when it is
 * written and waits for its reader. This one is the same over `node:zlib`, with zlib's defaults,
 * so the bytes (and the payload size) are zlib's, as in Thunderbird. See README.md, "Benchmark",
 * "Compression".
 *
 * Used by scripts/bench.ts and scripts/bench-link.ts.
 */

/** Puts the waiting CompressionStream in place of Node's. Call before openpgp.js is imported. */
export async function installWaitingCompressionStream(): Promise<void> {
  const zlib = await import('node:zlib');
  const create = {
    'deflate-raw': () => zlib.createDeflateRaw(),
    deflate: () => zlib.createDeflate(),
    gzip: () => zlib.createGzip(),
  };
  class WaitingCompressionStream extends TransformStream<Uint8Array, Uint8Array> {
    constructor(format: keyof typeof create) {
      const compressor = create[format]();
      let output: Uint8Array[] = [];
      compressor.on('data', (chunk: Buffer) => output.push(new Uint8Array(chunk)));
      const handOver = (controller: TransformStreamDefaultController<Uint8Array>) => {
        for (const chunk of output) controller.enqueue(chunk);
        output = [];
      };
      super({
        transform: (chunk, controller) =>
          new Promise<void>((done, fail) => {
            // The callback runs once zlib has taken the chunk and emitted what it produced.
            compressor.write(chunk, (error) => {
              if (error) return fail(error);
              handOver(controller);
              done();
            });
          }),
        flush: (controller) =>
          new Promise<void>((done, fail) => {
            compressor.once('error', fail);
            compressor.once('end', () => {
              handOver(controller);
              done();
            });
            compressor.end();
          }),
      });
    }
  }
  Object.defineProperty(globalThis, 'CompressionStream', {
    value: WaitingCompressionStream,
    configurable: true,
    writable: true,
  });
}
