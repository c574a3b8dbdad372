/** True in Node (and Node-compatible runtimes), where node: modules can be imported. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** Node's zlib, imported only when called so that browser bundles never need it. */
export async function gunzipWithZlib(bytes: Uint8Array): Promise<Uint8Array> {
  const zlib = await import('node:zlib');
  return new Promise((resolve, reject) => {
    // A plain Uint8Array view of the Buffer, so both paths return the same type.
    zlib.gunzip(bytes, (error, result) =>
      error ? reject(error) : resolve(new Uint8Array(result.buffer, result.byteOffset, result.length)),
    );
  });
}

/** The web platform's DecompressionStream, for browsers and workers. */
export async function gunzipWithStreams(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  if (isNode()) return gunzipWithZlib(bytes);
  if (typeof DecompressionStream === 'function') return gunzipWithStreams(bytes);
  return Promise.reject(new Error('gunzip: this runtime has neither node:zlib nor DecompressionStream'));
}
