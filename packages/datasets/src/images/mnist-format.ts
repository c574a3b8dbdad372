import { argumentError } from '../errors';
import type { ImageDataset } from './image-dataset';

/**
 * The shipped digits file, before gzip: a 16-byte header (magic "MNU8", then count, rows and cols
 * as little-endian uint32), count * rows * cols uint8 pixels, then count uint8 labels 0..9.
 * scripts/make-mnist.mjs writes it.
 */
export const MNIST_MAGIC = [0x4d, 0x4e, 0x55, 0x38] as const;
export const MNIST_HEADER_BYTES = 16;
/** The class names of the digit sets: '0' to '9'. */
export const DIGIT_CLASSES: readonly string[] = Object.freeze([
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
]);

/** Digit images as read from the file: byte pixels and byte labels. */
export type MnistData = ImageDataset<Uint8Array, Uint8Array>;

/** Raised for a file that is not a whole, valid digits file; the message names the file. */
export class MnistFormatError extends Error {
  override name = 'MnistFormatError';
}

function bad(file: string, problem: string): MnistFormatError {
  return new MnistFormatError(`loadMnist: ${file} is not a valid MNIST digits file: ${problem}`);
}

/** Decodes the uncompressed layout; `file` only names the source in error messages. */
export function decodeMnist(bytes: Uint8Array, file: string): MnistData {
  if (bytes.length < MNIST_HEADER_BYTES) {
    throw bad(file, `expected at least a ${MNIST_HEADER_BYTES}-byte header, found ${bytes.length} bytes`);
  }
  if (MNIST_MAGIC.some((b, i) => bytes[i] !== b)) {
    const found = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw bad(file, `expected magic bytes 4d 4e 55 38 ("MNU8"), found ${found}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const height = view.getUint32(8, true);
  const width = view.getUint32(12, true);
  if (height !== 28 || width !== 28) throw bad(file, `expected 28 x 28 images, found ${height} x ${width}`);
  const size = height * width;
  const expected = MNIST_HEADER_BYTES + count * size + count;
  if (bytes.length !== expected) {
    throw bad(
      file,
      `expected ${expected} bytes for ${count} images, found ${bytes.length} (truncated or padded)`,
    );
  }
  const labelsAt = MNIST_HEADER_BYTES + count * size;
  // Copies into plain Uint8Arrays: the input may be a Node Buffer, whose slice() is a view.
  const images = new Uint8Array(count * size);
  images.set(bytes.subarray(MNIST_HEADER_BYTES, labelsAt));
  const labels = new Uint8Array(count);
  labels.set(bytes.subarray(labelsAt));
  for (let i = 0; i < count; i++) {
    if (labels[i] > 9) throw bad(file, `expected label ${i} in 0..9, found ${labels[i]}`);
  }
  return { images, labels, count, channels: 1, height, width, classes: [...DIGIT_CLASSES] };
}

/** The inverse of decodeMnist, for tests and for saving a modified set. */
export function encodeMnist(data: { images: Uint8Array; labels: Uint8Array; count: number }): Uint8Array {
  const size = 28 * 28;
  if (!Number.isSafeInteger(data.count) || data.count < 0) {
    throw argumentError('data.count', 'a non-negative integer', data.count);
  }
  if (!(data.images instanceof Uint8Array) || data.images.length !== data.count * size) {
    throw argumentError('data.images', `a Uint8Array of length ${data.count * size}`, data.images);
  }
  if (!(data.labels instanceof Uint8Array) || data.labels.length !== data.count) {
    throw argumentError('data.labels', `a Uint8Array of length ${data.count}`, data.labels);
  }
  const out = new Uint8Array(MNIST_HEADER_BYTES + data.count * size + data.count);
  out.set(MNIST_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, data.count, true);
  view.setUint32(8, 28, true);
  view.setUint32(12, 28, true);
  out.set(data.images, MNIST_HEADER_BYTES);
  out.set(data.labels, MNIST_HEADER_BYTES + data.count * size);
  return out;
}
