/** An attachment's bytes, read back from its Blob (parsed attachments are Blobs). */
export async function bytesOf(content: Blob | undefined): Promise<Uint8Array> {
  if (!content) throw new Error('no attachment');
  return new Uint8Array(await content.arrayBuffer());
}
