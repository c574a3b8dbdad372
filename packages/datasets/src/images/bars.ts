import { Generator } from '@descent/random';
import { checkInt, checkNonNegative, checkOptions, checkSeed } from '../validate';
import type { FloatImageDataset } from './image-dataset';

/** Options of the `bars` image set: image count, image size, noise and seed. */
export interface BarsOptions {
  /** Number of images, half of each class (the extra one of an odd n is horizontal). Default 200. */
  n?: number;
  /** Side of the square images, at least 2. Default 8. */
  size?: number;
  /** Standard deviation of the Gaussian noise added to every pixel before clipping to [0, 1]. Default 0.1. */
  noise?: number;
  /** Default 0. */
  seed?: number;
}

/**
 * A tiny binary image set: one bright bar on a dark square, horizontal (label 0) or vertical
 * (label 1), at a random position with a random thickness of 1..max(1, floor(size / 4))
 * pixels. Float32 pixels in [0, 1], shape [n, 1, size, size], in seeded random order. Small
 * enough for fast tests, and a 1 x k or k x 1 filter separates the classes by eye.
 */
export function bars(options: BarsOptions = {}): FloatImageDataset {
  checkOptions('options', options, '{ n: 200, size: 8, noise: 0.1, seed: 0 }');
  const n = checkInt('n', options.n ?? 200, 1);
  const size = checkInt('size', options.size ?? 8, 2);
  const noise = checkNonNegative('noise', options.noise ?? 0.1);
  const rng = new Generator(checkSeed('seed', options.seed ?? 0));
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) labels[i] = i < Math.floor(n / 2) ? 1 : 0;
  rng.shuffle(labels);
  const maxThickness = Math.max(1, Math.floor(size / 4));
  const pixels = size * size;
  const images = new Float32Array(n * pixels);
  for (let i = 0; i < n; i++) {
    const thickness = rng.int(1, maxThickness + 1);
    const start = rng.int(0, size - thickness + 1);
    const vertical = labels[i] === 1;
    const image = images.subarray(i * pixels, (i + 1) * pixels);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const along = vertical ? c : r;
        const on = along >= start && along < start + thickness ? 1 : 0;
        const v = noise > 0 ? on + noise * rng.normal() : on;
        image[r * size + c] = Math.min(1, Math.max(0, v));
      }
    }
  }
  return {
    images,
    labels,
    count: n,
    channels: 1,
    height: size,
    width: size,
    classes: ['horizontal', 'vertical'],
  };
}
