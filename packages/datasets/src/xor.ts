import { Generator } from '@descent/random';
import type { Dataset } from './dataset';
import { classificationSet, splitCounts } from './toy';
import { checkBoolean, checkInt, checkNonNegative, checkOptions, checkSeed } from './validate';

/** Options of `xor`: sample count, noise, seed and shuffling. */
export interface XorOptions {
  /** Total samples, split over the four corners (the first n % 4 get one more). Default 200. */
  n?: number;
  /** Standard deviation of gaussian noise around each corner. Default 0.1. */
  noise?: number;
  /** Default 0. */
  seed?: number;
  /** Shuffle the rows. Default true. */
  shuffle?: boolean;
}

/** Corners in generating order, with XOR of the bits (x > 0, y > 0) as label. */
const CORNERS: readonly (readonly [number, number, number])[] = [
  [-1, -1, 0],
  [-1, 1, 1],
  [1, -1, 1],
  [1, 1, 0],
];

/**
 * Four gaussian clusters at the corners of [-1, 1]^2; class 1 where the corner's coordinates
 * differ in sign (sign(x) * sign(y) < 0), class 0 where they agree. The label belongs to the
 * corner a point was drawn around, so with large noise a few points cross an axis and carry
 * the other side's label, like label noise in real data.
 */
export function xor(options: XorOptions = {}): Dataset {
  checkOptions('options', options, '{ n: 200, noise: 0.1 }');
  const n = checkInt('n', options.n ?? 200, 4);
  const noise = checkNonNegative('noise', options.noise ?? 0.1);
  const seed = checkSeed('seed', options.seed ?? 0);
  const shuffle = checkBoolean('shuffle', options.shuffle ?? true);
  const rng = new Generator(seed);
  const points = new Float64Array(2 * n);
  const labels = new Float64Array(n);
  let row = 0;
  splitCounts(n, 4).forEach((count, c) => {
    const [cx, cy, label] = CORNERS[c];
    for (let i = 0; i < count; i++, row++) {
      points[2 * row] = cx + (noise > 0 ? rng.normal(0, noise) : 0);
      points[2 * row + 1] = cy + (noise > 0 ? rng.normal(0, noise) : 0);
      labels[row] = label;
    }
  });
  return classificationSet(points, labels, 2, 2, rng, shuffle);
}
