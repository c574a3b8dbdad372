import { Generator } from '@descent/random';
import type { Dataset } from './dataset';
import { classificationSet, linspace } from './toy';
import { checkBoolean, checkInt, checkNonNegative, checkOptions, checkSeed } from './validate';

/** Options of `moons`: sample count, noise, seed and shuffling. */
export interface MoonsOptions {
  /** Total samples; class 0 gets floor(n / 2), class 1 the rest. Default 200. */
  n?: number;
  /** Standard deviation of gaussian noise added to each coordinate. Default 0.1. */
  noise?: number;
  /** Default 0. */
  seed?: number;
  /** Shuffle the rows. Default true; false keeps class 0 first, in generating order. */
  shuffle?: boolean;
}

/**
 * Two interleaving half circles, with scikit-learn's make_moons geometry: class 0 is the upper
 * unit half circle (cos t, sin t), class 1 the lower one shifted to (1 - cos t, 0.5 - sin t),
 * t evenly spaced over [0, pi] including both ends.
 */
export function moons(options: MoonsOptions = {}): Dataset {
  checkOptions('options', options, '{ n: 200, noise: 0.1 }');
  const n = checkInt('n', options.n ?? 200, 2);
  const noise = checkNonNegative('noise', options.noise ?? 0.1);
  const seed = checkSeed('seed', options.seed ?? 0);
  const shuffle = checkBoolean('shuffle', options.shuffle ?? true);
  const rng = new Generator(seed);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const points = new Float64Array(2 * n);
  const labels = new Float64Array(n);
  const tOut = linspace(0, Math.PI, nOut);
  const tIn = linspace(0, Math.PI, nIn);
  for (let i = 0; i < nOut; i++) {
    points[2 * i] = Math.cos(tOut[i]);
    points[2 * i + 1] = Math.sin(tOut[i]);
  }
  for (let i = 0; i < nIn; i++) {
    const r = nOut + i;
    points[2 * r] = 1 - Math.cos(tIn[i]);
    points[2 * r + 1] = 0.5 - Math.sin(tIn[i]);
    labels[r] = 1;
  }
  if (noise > 0) for (let i = 0; i < points.length; i++) points[i] += rng.normal(0, noise);
  return classificationSet(points, labels, 2, 2, rng, shuffle);
}
