import { argumentError, shown } from '../errors';
import { checkIndices } from '../validate';

/** The pixels of an image set: bytes (0..255) as read, or floats. */
export type PixelArray = Uint8Array | Float32Array;
/** The labels of an image set: bytes as read, or floats. */
export type LabelArray = Uint8Array | Float32Array;

/**
 * A set of equally sized images with one class label each. `images` holds `count` images as one
 * row-major array of shape [count, channels, height, width] (NCHW, PyTorch's layout);
 * `labels[i]` is the class index of image i and `classes[k]` names class k.
 */
export interface ImageDataset<I extends PixelArray = PixelArray, L extends LabelArray = LabelArray> {
  images: I;
  labels: L;
  count: number;
  channels: number;
  height: number;
  width: number;
  classes: string[];
}

/** What the training tasks return: float pixels and float class indices, like `Dataset.y`. */
export type FloatImageDataset = ImageDataset<Float32Array, Float32Array>;

/** A train set and a test set of images. */
export interface ImageSplit {
  train: FloatImageDataset;
  test: FloatImageDataset;
}

function checkSize(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw argumentError(name, 'a positive integer', value);
  }
  return value;
}

/** Checks that the parts of an image set agree: array lengths, sizes and class indices. */
export function checkImageDataset(name: string, dataset: unknown): ImageDataset {
  const d = dataset as ImageDataset;
  if (d === null || typeof d !== 'object') throw argumentError(name, 'an ImageDataset object', dataset);
  if (!Number.isSafeInteger(d.count) || d.count < 0) {
    throw argumentError(`${name}.count`, 'a non-negative integer', d.count);
  }
  const pixels = checkSize(`${name}.channels`, d.channels) * checkSize(`${name}.height`, d.height);
  const size = pixels * checkSize(`${name}.width`, d.width);
  if (!(d.images instanceof Uint8Array || d.images instanceof Float32Array)) {
    throw argumentError(`${name}.images`, 'a Uint8Array or Float32Array', d.images);
  }
  if (d.images.length !== d.count * size) {
    const shape = `[${d.count}, ${d.channels}, ${d.height}, ${d.width}]`;
    throw argumentError(
      `${name}.images`,
      `length ${d.count * size} (shape ${shape})`,
      shown(`length ${d.images.length}`),
    );
  }
  if (!(d.labels instanceof Uint8Array || d.labels instanceof Float32Array)) {
    throw argumentError(`${name}.labels`, 'a Uint8Array or Float32Array', d.labels);
  }
  if (d.labels.length !== d.count) {
    throw argumentError(
      `${name}.labels`,
      `length ${d.count} (the count)`,
      shown(`length ${d.labels.length}`),
    );
  }
  if (!Array.isArray(d.classes) || d.classes.length === 0) {
    throw argumentError(`${name}.classes`, 'a non-empty array of class names', d.classes);
  }
  const k = d.classes.length;
  for (let i = 0; i < d.count; i++) {
    const c = d.labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= k) {
      throw argumentError(`${name}.labels[${i}]`, `a class index in 0..${k - 1}`, c);
    }
  }
  return d;
}

/**
 * The images at `indices` (in that order, repeats allowed) as a new float image set. Pixels are
 * multiplied by `scale` on the way (1/255 turns bytes into [0, 1]); `relabel[c]`, when given,
 * is the new index of old class c and `classes` the new names.
 */
export function gatherImages(
  dataset: ImageDataset,
  indices: ArrayLike<number>,
  options: { scale?: number; relabel?: ArrayLike<number>; classes?: string[] } = {},
): FloatImageDataset {
  const d = checkImageDataset('dataset', dataset);
  const list = checkIndices('indices', indices, d.count);
  const scale = options.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale))
    throw argumentError('scale', 'a finite number', scale);
  const classes = options.classes ?? d.classes;
  const size = d.channels * d.height * d.width;
  const images = new Float32Array(list.length * size);
  const labels = new Float32Array(list.length);
  const source = d.images;
  for (let i = 0; i < list.length; i++) {
    const from = list[i] * size;
    // set() converts bytes to floats natively, far faster than an element loop over a union type.
    images.set(source.subarray(from, from + size), i * size);
    const label = options.relabel ? options.relabel[d.labels[list[i]]] : d.labels[list[i]];
    if (!Number.isInteger(label) || label < 0 || label >= classes.length) {
      throw argumentError(
        `relabel[${d.labels[list[i]]}]`,
        `a class index in 0..${classes.length - 1}`,
        label,
      );
    }
    labels[i] = label;
  }
  if (scale !== 1) for (let p = 0; p < images.length; p++) images[p] *= scale;
  return {
    images,
    labels,
    count: list.length,
    channels: d.channels,
    height: d.height,
    width: d.width,
    classes: [...classes],
  };
}

/** Images as one Float32Array and its shape [N, C, H, W], as `toNCHW` returns them. */
export interface NCHW {
  data: Float32Array;
  shape: [number, number, number, number];
}

/**
 * The images as a Float32Array with shape [N, C, H, W], ready for a tensor constructor. Byte
 * pixels become v / 255, as torchvision's ToTensor does; float pixels are returned as they are,
 * without a copy. With one channel the same data is also valid NHWC ([N, H, W, 1]).
 */
export function toNCHW(dataset: ImageDataset): NCHW {
  const d = checkImageDataset('dataset', dataset);
  let data: Float32Array;
  if (d.images instanceof Float32Array) data = d.images;
  else {
    data = new Float32Array(d.images.length);
    for (let i = 0; i < data.length; i++) data[i] = d.images[i] / 255;
  }
  return { data, shape: [d.count, d.channels, d.height, d.width] };
}
