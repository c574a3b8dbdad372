/** True in Node (and Node-compatible runtimes), where node: modules can be imported. */
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

/** Node's zlib, imported only when called so that browser bundles never need it. */
export async function gunzipWithZlib(bytes: Uint8Array, maxBytes = Infinity): Promise<Uint8Array> {
  const zlib = await import('node:zlib');
  // zlib stops inflating at maxOutputLength, so a bomb never takes more than the limit.
  const limit = Number.isFinite(maxBytes) ? { maxOutputLength: maxBytes } : {};
  return new Promise((resolve, reject) => {
    // A plain Uint8Array view of the Buffer, so both paths return the same type.
    zlib.gunzip(bytes, limit, (error, result) => {
      if ((error as { code?: string } | null)?.code === 'ERR_BUFFER_TOO_LARGE')
        reject(new GunzipLimitError(maxBytes));
      else if (error) reject(error);
      else resolve(new Uint8Array(result.buffer, result.byteOffset, result.length));
    });
  });
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

export function gunzip(bytes: Uint8Array, maxBytes = Infinity): Promise<Uint8Array> {
  if (isNode()) return gunzipWithZlib(bytes, maxBytes);
  if (typeof DecompressionStream === 'function') return gunzipWithStreams(bytes, maxBytes);
  return Promise.reject(new Error('gunzip: this runtime has neither node:zlib nor DecompressionStream'));
}
