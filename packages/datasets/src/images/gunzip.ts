/** True in Node (and Node-compatible runtimes), whose fetch cannot read files. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** Raised when gzip data expands past the given limit (a decompression bomb, or a limit too low). */
export class GunzipLimitError extends Error {
  override name = 'GunzipLimitError';
  constructor(readonly limit: number) {
    super(`expands to more than ${limit} bytes`);
  }
}

/** The web platform's DecompressionStream, for browsers and workers; read chunk by chunk to the limit. */
export async function gunzipWithStreams(bytes: Uint8Array, maxBytes = Infinity): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new GunzipLimitError(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
