// Node-only: reads root/<class>/*.png|jpg|jpeg into an ImageSplit (@descent/datasets/node).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Generator } from '@descent/random';
import { argumentError, imageFileError, shown } from '../errors';
import { splitIndices } from '../split';
import { checkBoolean, checkOptions, checkSeed } from '../validate';
import { checkMaxPixels, decodeImage, toPlanes } from './decode-image';
import type { FloatImageDataset, ImageSplit } from './image-dataset';
import { listImageFolder } from './image-folder-files';
import { borderMean, invertPlanes, type Planes } from './planes';
import { RESIZE_METHODS, type ResizeMethod, resizePlanes } from './resize';

/** Progress of loading an image folder, reported after each image. */
export interface ImageFolderProgress {
  /** Images read so far. */
  done: number;
  total: number;
  /** The image just read, relative to root. */
  file: string;
}

/** Options for loading a folder of class sub-folders of images (as torchvision's ImageFolder). */
export interface LoadImageFolderOptions {
  /** [height, width] to resize every image to. Omitted: every image must have the first one's size. */
  size?: [number, number];
  /** One grey channel by luminance (true, the default) or three, R, G and B (false). */
  grey?: boolean;
  /** How to resize (see ResizeMethod). Default 'auto': area when shrinking, bilinear when enlarging. */
  resize?: ResizeMethod;
  /**
   * Turn v into 1 - v. 'auto' decides per image, as `descent predict --image` does: an image whose
   * border is light on average (dark ink on paper) is inverted to MNIST's light ink on black.
   * Default false.
   */
  invert?: boolean | 'auto';
  /**
   * The test side: a fraction in (0, 1), a count of images (an integer >= 1, turned into the
   * fraction count / n and rounded per class, so the test side may differ by a few), or 0 to put
   * every image in train. The split is stratified by class. Default 0.2.
   */
  testSize?: number;
  /** Seeds the split. Default 0. */
  seed?: number;
  /** Called after each image. */
  onProgress?: (progress: ImageFolderProgress) => void;
  /** Aborting it stops the reading and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Files read ahead while one is decoded. Default 8. */
  concurrency?: number;
  /**
   * The most pixels (width × height) one image, or `size`, may have; each file's header is checked
   * before it is decoded. Default DEFAULT_MAX_PIXELS (64 megapixels).
   */
  maxPixels?: number;
}

/** An ImageSplit plus where each image came from and what was left out. */
export interface ImageFolder extends ImageSplit {
  root: string;
  /** The class names, sorted; the same as train.classes and test.classes. */
  classes: string[];
  /** files.train[i] is the file of train image i, relative to root; the same for test. */
  files: { train: string[]; test: string[] };
  /** Entries left out, relative to root: hidden ones (a leading dot), other extensions, loose files. */
  skipped: string[];
  /** How many images were inverted (see the invert option). */
  inverted: number;
}

function checkSizeOption(value: unknown): [number, number] | undefined {
  if (value === undefined) return undefined;
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1);
  if (!ok) throw argumentError('size', '[height, width], two positive integers', value);
  return [value[0], value[1]];
}

/** 2^31 float32 values (8 GiB): beyond it, typed arrays fail or the machine runs out of memory. */
const MAX_VALUES = 2 ** 31;

/** The test side as splitIndices takes it: a fraction, or 0 for none. */
function testFraction(value: unknown, n: number): number {
  if (value === 0) return 0;
  if (typeof value === 'number' && value > 0 && value < 1) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value < n) return value / n;
  throw argumentError('testSize', `0, a fraction in (0, 1) or a count in 1..${n - 1}`, value);
}

/** Train and test positions of each listed file, both sides in seeded random order. */
function splitFiles(
  labels: Int32Array,
  testSize: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  if (testSize === 0)
    return { train: new Generator(seed).permutation(labels.length), test: new Int32Array(0) };
  const counts = new Map<number, number>();
  for (const k of labels) counts.set(k, (counts.get(k) ?? 0) + 1);
  if (![...counts.values()].some((c) => c >= 2)) {
    throw argumentError('testSize', '0 (every class has a single image, so none can be held out)', testSize);
  }
  return splitIndices(labels.length, { testSize, seed, stratifyBy: labels });
}

/**
 * Reads an image-classification folder, as torchvision's ImageFolder and fast.ai's
 * ImageDataLoaders.from_folder do: each sub-folder of root is a class (names sorted), each
 * .png/.jpg/.jpeg inside it (sub-folders included) an image of that class. Images are decoded
 * (pngjs, jpeg-js), made grey or RGB over white, resized, optionally inverted, scaled to [0, 1]
 * and split, stratified and seeded, into train and test, in NCHW order.
 */
export async function loadImageFolder(
  root: string,
  options: LoadImageFolderOptions = {},
): Promise<ImageFolder> {
  if (typeof root !== 'string' || root === '') throw argumentError('root', 'a folder path', root);
  checkOptions('options', options, '{ size: [28, 28], grey: true, testSize: 0.2, seed: 0 }');
  const size = checkSizeOption(options.size);
  const grey = checkBoolean('grey', options.grey ?? true);
  const method = options.resize ?? 'auto';
  if (!RESIZE_METHODS.includes(method)) {
    throw argumentError('resize', `one of ${RESIZE_METHODS.map((m) => `'${m}'`).join(', ')}`, method);
  }
  const invert = options.invert ?? false;
  if (invert !== 'auto' && typeof invert !== 'boolean')
    throw argumentError('invert', "true, false or 'auto'", invert);
  const seed = checkSeed('seed', options.seed ?? 0);
  const { onProgress, signal } = options;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw argumentError('onProgress', 'a function', onProgress);
  }
  const concurrency = options.concurrency ?? 8;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw argumentError('concurrency', 'a positive integer', concurrency);
  }
  const maxPixels = checkMaxPixels(options.maxPixels);
  if (size && size[0] * size[1] > maxPixels) {
    throw argumentError(
      'size',
      `at most ${maxPixels} pixels (maxPixels), height × width`,
      shown(`${size[0]} × ${size[1]} = ${size[0] * size[1]}`),
    );
  }
  signal?.throwIfAborted();

  const listing = await listImageFolder(root);
  const { classes, files, labels } = listing;
  const n = files.length;
  const split = splitFiles(labels, testFraction(options.testSize ?? 0.2, n), seed);
  // Where each file goes: side 0 is train, 1 test; the split is known before any pixel is read,
  // so each image is written once, straight into its side.
  const side = new Uint8Array(n);
  const slot = new Int32Array(n);
  split.train.forEach((f, i) => {
    slot[f] = i;
  });
  split.test.forEach((f, i) => {
    side[f] = 1;
    slot[f] = i;
  });
  const channels = grey ? 1 : 3;
  let shape: { height: number; width: number; first: string } | undefined = size
    ? { height: size[0], width: size[1], first: '' }
    : undefined;
  let sides: FloatImageDataset[] | undefined;
  const allocate = (height: number, width: number) => {
    // Every image is held as float32, so the whole folder must fit one typed array per side.
    const values = n * channels * height * width;
    if (values > MAX_VALUES) {
      throw imageFileError(
        root,
        `expected at most ${MAX_VALUES} values in all (images × channels × height × width, held as float32), found ${n} × ${channels} × ${height} × ${width} = ${values}; pass a smaller size: [height, width]`,
      );
    }
    return [split.train, split.test].map(
      (indices): FloatImageDataset => ({
        images: new Float32Array(indices.length * channels * height * width),
        labels: Float32Array.from(indices, (f) => labels[f]),
        count: indices.length,
        channels,
        height,
        width,
        classes: [...classes],
      }),
    );
  };

  const read = (i: number) =>
    readFile(join(root, files[i])).catch((err: Error) => {
      throw imageFileError(join(root, files[i]), `cannot read the file: ${err.message}`);
    });
  const pending = new Map<number, Promise<Buffer>>();
  const ask = (i: number) => {
    if (i < n) pending.set(i, read(i));
  };
  for (let i = 0; i < Math.min(concurrency, n); i++) ask(i);
  let inverted = 0;
  try {
    for (let i = 0; i < n; i++) {
      signal?.throwIfAborted();
      const bytes = await pending.get(i)!;
      pending.delete(i);
      ask(i + concurrency);
      const path = join(root, files[i]);
      let planes: Planes = toPlanes(decodeImage(bytes, path, { maxPixels }), grey);
      if (shape === undefined) shape = { height: planes.height, width: planes.width, first: path };
      if (size) planes = resizePlanes(planes, size[0], size[1], method);
      else if (planes.height !== shape.height || planes.width !== shape.width) {
        throw imageFileError(
          path,
          `expected ${shape.height} × ${shape.width} pixels (height × width, the size of the first image, ${shape.first}), found ${planes.height} × ${planes.width}; pass size: [height, width] to resize every image`,
        );
      }
      if (invert === true || (invert === 'auto' && borderMean(planes) > 0.5)) {
        invertPlanes(planes);
        inverted++;
      }
      sides ??= allocate(shape.height, shape.width);
      const target = sides[side[i]];
      target.images.set(planes.data, slot[i] * planes.data.length);
      onProgress?.({ done: i + 1, total: n, file: files[i] });
    }
  } finally {
    // Reads still in flight after an error must not surface as unhandled rejections.
    for (const p of pending.values()) p.catch(() => {});
  }
  // listImageFolder guarantees two classes of at least one image each, so sides exist.
  const [train, test] = sides!;
  const names = (indices: Int32Array) => Array.from(indices, (f) => files[f]);
  return {
    train,
    test,
    root,
    classes: [...classes],
    files: { train: names(split.train), test: names(split.test) },
    skipped: listing.skipped,
    inverted,
  };
}
