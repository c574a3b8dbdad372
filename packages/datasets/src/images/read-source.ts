import { GunzipLimitError, gunzip, isNode } from './gunzip';

/** Bytes of a file, or where to read them: a URL, or a path in Node (a relative path in a browser is fetched relative to the page). */
export type ByteSource = Uint8Array | ArrayBuffer | URL | string;

export interface ReadBytes {
  bytes: Uint8Array;
  /** The path or URL read, for messages. */
  name: string;
}

/** The module's own URL. tsup's CommonJS build empties import.meta, so fall back to __filename. */
export async function moduleUrl(caller: string): Promise<string> {
  const url = (import.meta as { url?: string }).url;
  if (typeof url === 'string') return url;
  if (typeof __filename === 'string') return (await import('node:url')).pathToFileURL(__filename).href;
  throw new Error(`${caller}: cannot locate this module to find its files; pass a source`);
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

async function readPath(path: string, caller: string): Promise<ReadBytes> {
  const { readFile } = await import('node:fs/promises');
  try {
    return { bytes: await readFile(path), name: path };
  } catch (error) {
    throw new Error(`${caller}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** A scheme of two or more letters, so that Windows paths like C:\data stay paths. */
const URL_LIKE = /^[a-z][a-z0-9+.-]+:/i;

/** Reads a path (Node) or fetches a URL; `caller` starts every error message. */
export async function readSource(source: URL | string, caller: string): Promise<ReadBytes> {
  if (typeof source === 'string' && !URL_LIKE.test(source)) {
    return isNode()
      ? readPath(source, caller)
      : fetchBytes(new URL(source, globalThis.location?.href), caller);
  }
  const url = typeof source === 'string' ? new URL(source) : source;
  if (url.protocol === 'file:' && isNode()) {
    const { fileURLToPath } = await import('node:url');
    return readPath(fileURLToPath(url), caller);
  }
  return fetchBytes(url, caller);
}

/** True when the bytes start like a gzip stream (RFC 1952's two magic bytes). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The bytes themselves, gunzipped when they start like gzip; `onBadGzip` words the error. With
 * `maxBytes`, data that expands past it is refused as soon as it does.
 */
export async function gunzipIfNeeded(
  bytes: Uint8Array,
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
