import { argumentError } from '../errors';
import { checkOptions } from '../validate';
import type { ByteIo } from './byte-io';
import { decodeIdx, type IdxArray, IdxFormatError } from './idx-format';
import type { ImageDataset } from './image-dataset';
import { type ByteSource, gunzipIfNeeded, type ReadBytes } from './read-source';

/** Images as bytes with byte labels, as the IDX files hold them. */
export type ByteImageDataset = ImageDataset<Uint8Array, Uint8Array>;

/** The four files of an MNIST-style folder (each may also be gzipped, with a `.gz` suffix). */
export const IDX_SPLIT_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/**
 * 1 GiB: the largest IDX sets in use (EMNIST's 814,255 images of 28 × 28, 640 MB) fit, and a small
 * .gz that would expand to many gigabytes (a decompression bomb) is stopped at it.
 */
export const DEFAULT_MAX_IDX_BYTES = 2 ** 30;

/** Options for reading an IDX file (MNIST's format). */
export interface ReadIdxOptions {
  /** The most bytes an IDX file may take once gunzipped. Default DEFAULT_MAX_IDX_BYTES (1 GiB). */
  maxBytes?: number;
}

/** Reads and decodes one IDX file, gzipped or not, through `io`. A byte source is named `name` in errors. */
export async function readIdxWith(
  io: ByteIo,
  source: ByteSource,
  name = 'the given bytes',
  options: ReadIdxOptions = {},
): Promise<IdxArray> {
  checkOptions('options', options, '{ maxBytes: 2 ** 30 }');
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IDX_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw argumentError('maxBytes', 'a positive integer (bytes)', maxBytes);
  }
  let read: ReadBytes;
  if (source instanceof Uint8Array) read = { bytes: source, name };
  else if (source instanceof ArrayBuffer) read = { bytes: new Uint8Array(source), name };
  else if (typeof source === 'string' || source instanceof URL) read = await io.read(source, 'readIdx');
  else throw argumentError('source', 'a Uint8Array, ArrayBuffer, URL or path string', source);
  const raw = await gunzipIfNeeded(
    read.bytes,
    io.gunzip,
    (problem, cause) => new IdxFormatError(`${read.name} is not a valid IDX file: ${problem}`, { cause }),
    maxBytes,
  );
  if (raw.length > maxBytes) {
    throw new IdxFormatError(
      `${read.name}: expected an IDX file of at most ${maxBytes} bytes (maxBytes), found ${raw.length}; raise maxBytes to read it`,
    );
  }
  return decodeIdx(raw, read.name);
}

/**
 * Pairs an IDX image array ([N, H, W] or [N, C, H, W] bytes) with an IDX label array ([N] bytes,
 * each below classes.length). `names` name the two files in errors.
 */
export function idxImageDataset(
  images: IdxArray,
  labels: IdxArray,
  classes: readonly string[],
  names: { images: string; labels: string } = { images: 'images', labels: 'labels' },
): ByteImageDataset {
  if (images.type !== 'uint8' || (images.shape.length !== 3 && images.shape.length !== 4)) {
    throw new IdxFormatError(
      `${names.images}: expected images as uint8 of shape [N, H, W] or [N, C, H, W], found ${images.type} of shape [${images.shape.join(', ')}]`,
    );
  }
  if (labels.type !== 'uint8' || labels.shape.length !== 1) {
    throw new IdxFormatError(
      `${names.labels}: expected labels as uint8 of shape [N], found ${labels.type} of shape [${labels.shape.join(', ')}]`,
    );
  }
  const [count, ...rest] = images.shape;
  if (labels.shape[0] !== count) {
    throw new IdxFormatError(
      `${names.labels}: expected ${count} labels (one per image of ${names.images}), found ${labels.shape[0]}`,
    );
  }
  const label = labels.data as Uint8Array;
  for (let i = 0; i < count; i++) {
    if (label[i] >= classes.length) {
      throw new IdxFormatError(
        `${names.labels}: label ${i}: expected a class index in 0..${classes.length - 1}, found ${label[i]}`,
      );
    }
  }
  const [channels, height, width] = rest.length === 3 ? rest : [1, ...rest];
  return {
    images: images.data as Uint8Array,
    labels: label,
    count,
    channels,
    height,
    width,
    classes: [...classes],
  };
}

/** Where a file of the folder is: the plain name, else the name with `.gz`. */
async function locate(io: ByteIo, dir: string, file: string): Promise<string> {
  const join = (name: string) => (dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`);
  const found = await io.firstExisting([join(file), join(`${file}.gz`)]);
  if (found !== undefined) return found;
  throw new IdxFormatError(`${dir}: expected ${file} or ${file}.gz in this folder, found neither`);
}

/** The training and test sets of an MNIST-style folder of four IDX files, as bytes, read through `io`. */
export async function loadIdxFolderWith(
  io: ByteIo,
  dir: string,
  classes: readonly string[],
): Promise<{ train: ByteImageDataset; test: ByteImageDataset }> {
  if (typeof dir !== 'string' || dir === '') throw argumentError('dir', 'a folder path', dir);
  const kind = await io.pathKind(dir);
  if (kind === 'file' || kind === 'missing') {
    throw new IdxFormatError(
      `${dir}: expected a folder with the four IDX files, found ${kind === 'file' ? 'a file' : 'nothing'}`,
    );
  }
  const part = async (images: string, labels: string) => {
    // One after the other: with both missing, the error must name the images file every time.
    const imagesPath = await locate(io, dir, images);
    const labelsPath = await locate(io, dir, labels);
    const [x, y] = await Promise.all([readIdxWith(io, imagesPath), readIdxWith(io, labelsPath)]);
    return idxImageDataset(x, y, classes, { images: imagesPath, labels: labelsPath });
  };
  const f = IDX_SPLIT_FILES;
  const train = await part(f.trainImages, f.trainLabels);
  const test = await part(f.testImages, f.testLabels);
  if (train.height !== test.height || train.width !== test.width || train.channels !== test.channels) {
    throw new IdxFormatError(
      `${dir}: expected test images the size of the training images (${train.channels}×${train.height}×${train.width}), found ${test.channels}×${test.height}×${test.width}`,
    );
  }
  return { train, test };
}
