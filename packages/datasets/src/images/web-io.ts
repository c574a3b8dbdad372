import type { ByteIo } from './byte-io';
import { gunzipWithStreams, isNode } from './gunzip';
import { fetchBytes, type ReadBytes } from './read-source';

/** A scheme of two or more letters, so that Windows paths like C:\data stay paths. */
const URL_LIKE = /^[a-z][a-z0-9+.-]+:/i;

/** Node's fetch cannot read files: say which entry can, instead of a bare "fetch failed". */
function needsNodeEntry(caller: string, what: string): Error {
  return new Error(
    `${caller}: reading ${what} needs the file system: in Node, import { ${caller} } from '@descent/datasets/node' (this entry, @descent/datasets/images, only fetches URLs and takes bytes)`,
  );
}

/** Browser-safe: paths are URLs relative to the page, read with fetch, gunzipped by DecompressionStream. */
export const webIo: ByteIo = {
  read(source: URL | string, caller: string): Promise<ReadBytes> {
    const relative = typeof source === 'string' && !URL_LIKE.test(source);
    const url = relative ? undefined : typeof source === 'string' ? new URL(source) : source;
    if (isNode() && (relative || url?.protocol === 'file:')) {
      return Promise.reject(needsNodeEntry(caller, String(source)));
    }
    return fetchBytes(url ?? new URL(source as string, globalThis.location?.href), caller);
  },
  gunzip(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
    if (typeof DecompressionStream === 'function') return gunzipWithStreams(bytes, maxBytes);
    return Promise.reject(new Error('gunzip: this runtime has no DecompressionStream'));
  },
  async shipped(fileName: string, caller: string): Promise<ReadBytes> {
    if (isNode()) throw needsNodeEntry(caller, `the shipped ${fileName}`);
    const base = (import.meta as { url?: string }).url;
    if (typeof base !== 'string')
      throw new Error(`${caller}: cannot locate this module to find ${fileName}; pass a source`);
    return fetchBytes(new URL(`../data/${fileName}`, base), caller);
  },
  async firstExisting(paths: string[]): Promise<string | undefined> {
    return paths.at(-1);
  },
  async pathKind(): Promise<undefined> {
    return undefined;
  },
  async mnistDataDir(): Promise<undefined> {
    return undefined;
  },
};
