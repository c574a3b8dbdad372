// Node-only entry (@descent/datasets/node): reading tables, image folders and IDX/MNIST files.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { type CsvOptions, csvError, csvParseOptions, feed, tableBuilder } from './csv';
import { argumentError, tableError } from './errors';
import type { Table } from './table';

/** Progress of reading a CSV file, in bytes. */
export interface ReadProgress {
  /** Bytes read so far. */
  bytes: number;
  /** The file's size. */
  totalBytes: number;
  /** Data rows parsed so far. */
  rows: number;
}

/** Options for reading a CSV file: the parse options plus progress and cancellation. */
export interface ReadCsvOptions extends CsvOptions {
  /** Called after each chunk of the file is parsed. */
  onProgress?: (progress: ReadProgress) => void;
  /** Aborting it stops the read and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Bytes per read. Default 64 KiB. */
  chunkSize?: number;
}

/** A message for a file that cannot be opened, instead of a raw ENOENT stack. */
function openError(path: string, err: unknown): Error {
  const code = (err as { code?: string }).code;
  const where = `(resolved to ${resolve(path)})`;
  if (code === 'ENOENT') return tableError(path, undefined, undefined, `file not found ${where}`);
  if (code === 'EACCES' || code === 'EPERM')
    return tableError(path, undefined, undefined, `permission denied ${where}`);
  return tableError(path, undefined, undefined, `cannot read the file ${where}: ${(err as Error).message}`);
}

/**
 * Reads a CSV file into a Table by streaming it through csv-parse: rows go straight into growable
 * typed columns, so the file's text is never held whole. Same options, inference and errors as
 * `parseCsv`; `table.source` and the messages use `path` as given.
 */
export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<Table> {
  if (typeof path !== 'string' || path === '') throw argumentError('path', 'a file path', path);
  const builder = tableBuilder(options, path);
  const source = options.source ?? path;
  const chunkSize = options.chunkSize ?? 65536;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw argumentError('chunkSize', 'a positive integer (bytes)', chunkSize);
  }
  const { onProgress, signal } = options;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw argumentError('onProgress', 'a function', onProgress);
  }
  let totalBytes: number;
  try {
    const info = await stat(path);
    if (info.isDirectory())
      throw tableError(path, undefined, undefined, `expected a file, found a directory (${resolve(path)})`);
    totalBytes = info.size;
  } catch (err) {
    if (err instanceof Error && err.name === 'TableError') throw err;
    throw openError(path, err);
  }
  const file = createReadStream(path, { highWaterMark: chunkSize });
  const parser = parse(csvParseOptions(options));
  let bytes = 0;
  if (onProgress) {
    // The pipe hands each chunk to the parser synchronously after this listener, so by the
    // microtask the rows it completed are counted. A last report follows the end of the file.
    file.on('data', (chunk) => {
      bytes += chunk.length;
      queueMicrotask(() => onProgress({ bytes, totalBytes, rows: builder.seen }));
    });
  }
  // Each record goes into the typed columns as it arrives; backpressure keeps the rest on disk.
  const sink = new Writable({
    objectMode: true,
    write: (record: string[], _encoding, done) => {
      try {
        feed(builder, record);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
  try {
    await pipeline(file, parser, sink, ...(signal ? [{ signal }] : []));
  } catch (err) {
    if (signal?.aborted) throw signal.reason ?? err;
    // A system error (the file vanished or became unreadable mid-read) carries the failing syscall.
    if ((err as { syscall?: string }).syscall) throw openError(path, err);
    throw csvError(err, source, builder);
  }
  const table = builder.finish();
  onProgress?.({ bytes, totalBytes, rows: builder.seen });
  return table;
}

// Image folders: pngjs and jpeg-js decode, so these stay out of the browser-safe entries.
export { ImageFileError } from './errors';
export {
  DEFAULT_MAX_PIXELS,
  type DecodedImage,
  type DecodeOptions,
  decodeImage,
  decodeJpeg,
  decodePng,
  type ImageFormat,
  ImageTooLargeError,
  isJpeg,
  isPng,
  jpegSize,
  toPlanes,
} from './images/decode-image';
// The image loaders reading files (the same names as @descent/datasets/images', which fetch).
export {
  fashionMnist,
  findMnistData,
  loadIdxFolder,
  loadMnist,
  mnistBinary,
  mnistDigits,
  mnistOfficial,
  mnistSubset,
  readIdx,
} from './images/file-loaders';
export {
  type ImageFolder,
  type ImageFolderProgress,
  type LoadImageFolderOptions,
  loadImageFolder,
} from './images/image-folder';
export { IMAGE_EXTENSIONS, type ImageFolderFiles, listImageFolder } from './images/image-folder-files';
