import { Generator } from '@descent/random';
import type { Dataset } from './dataset';
import { classificationSet, linspace, splitCounts } from './toy';
import { checkBoolean, checkInt, checkNonNegative, checkOptions, checkSeed } from './validate';

/** Options of `spiral`: sample count, number of arms, noise, seed and shuffling. */
export interface SpiralOptions {
  /** Total samples, split over the classes (the first n % classes get one more). Default 300. */
  n?: number;
  /** Number of arms, one per class, at least 2. Default 3. */
  classes?: number;
  /** Standard deviation of gaussian noise on each point's angle, in radians. Default 0.2. */
  noise?: number;
  /** Default 0. */
  seed?: number;
  /** Shuffle the rows. Default true. */
  shuffle?: boolean;
}

/**
 * The CS231n spiral: arm j holds points at radius r evenly spaced over [0, 1] and angle
 * t = 4j + 4r (plus noise), placed at (r sin t, r cos t). Not linearly separable for any
 * number of arms. Task is 'binary' for 2 arms, 'multiclass' otherwise.
 */
export function spiral(options: SpiralOptions = {}): Dataset {
  checkOptions('options', options, '{ n: 300, classes: 3, noise: 0.2 }');
  const k = checkInt('classes', options.classes ?? 3, 2);
  const n = checkInt('n', options.n ?? 300, 1);
  if (n < k) checkInt('n', n, k);
  const noise = checkNonNegative('noise', options.noise ?? 0.2);
  const seed = checkSeed('seed', options.seed ?? 0);
  const shuffle = checkBoolean('shuffle', options.shuffle ?? true);
  const rng = new Generator(seed);
  const points = new Float64Array(2 * n);
  const labels = new Float64Array(n);
  let row = 0;
  splitCounts(n, k).forEach((count, j) => {
    const radius = linspace(0, 1, count);
    const angle = linspace(4 * j, 4 * (j + 1), count);
    for (let i = 0; i < count; i++, row++) {
      const t = angle[i] + (noise > 0 ? rng.normal(0, noise) : 0);
      points[2 * row] = radius[i] * Math.sin(t);
      points[2 * row + 1] = radius[i] * Math.cos(t);
      labels[row] = j;
    }
  });
  return classificationSet(points, labels, 2, k, rng, shuffle);
}
