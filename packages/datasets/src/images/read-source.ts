import { GunzipLimitError } from './gunzip';

/** Bytes of a file, or where to read them: a URL, or a path in Node (a relative path in a browser is fetched relative to the page). */
export type ByteSource = Uint8Array | ArrayBuffer | URL | string;

export interface ReadBytes {
  bytes: Uint8Array;
  /** The path or URL read, for messages. */
  name: string;
}

export async function fetchBytes(url: URL, caller: string): Promise<ReadBytes> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`${caller}: cannot fetch ${url.href}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    throw new Error(`${caller}: cannot fetch ${url.href}: HTTP ${response.status} ${response.statusText}`);
  }
  return { bytes: new Uint8Array(await response.arrayBuffer()), name: url.href };
}

/** True when the bytes start like a gzip stream (RFC 1952's two magic bytes). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The bytes themselves, gunzipped (by the io's `gunzip`) when they start like gzip; `onBadGzip` words the error. With
 * `maxBytes`, data that expands past it is refused as soon as it does.
 */
export async function gunzipIfNeeded(
  bytes: Uint8Array,
  gunzip: (bytes: Uint8Array, maxBytes: number) => Promise<Uint8Array>,
  onBadGzip: (message: string, cause: unknown) => Error,
  maxBytes = Infinity,
): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzip(bytes, maxBytes);
  } catch (error) {
    if (error instanceof GunzipLimitError) {
      throw onBadGzip(
        `expected at most ${maxBytes} bytes once gunzipped (maxBytes), found more; raise maxBytes to read it`,
        error,
      );
    }
    throw onBadGzip(`corrupt or truncated gzip data (${(error as Error).message})`, error);
  }
}
