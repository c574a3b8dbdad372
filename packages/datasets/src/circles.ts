import { Generator } from '@descent/random';
import type { Dataset } from './dataset';
import { argumentError } from './errors';
import { classificationSet, linspace } from './toy';
import { checkBoolean, checkInt, checkNonNegative, checkOptions, checkSeed } from './validate';

/** Options of `circles`: sample count, noise, the inner circle's relative radius, seed and shuffling. */
export interface CirclesOptions {
  /** Total samples; class 0 (outer) gets floor(n / 2), class 1 (inner) the rest. Default 200. */
  n?: number;
  /** Standard deviation of gaussian noise added to each coordinate. Default 0.05. */
  noise?: number;
  /** Inner radius relative to the outer one, in [0, 1). Default 0.5. */
  factor?: number;
  /** Default 0. */
  seed?: number;
  /** Shuffle the rows. Default true. */
  shuffle?: boolean;
}

/**
 * A circle inside a circle, with scikit-learn's make_circles geometry: class 0 on the unit
 * circle, class 1 on the circle of radius `factor`, angles evenly spaced over [0, 2 pi) without
 * the end point.
 */
export function circles(options: CirclesOptions = {}): Dataset {
  checkOptions('options', options, '{ n: 200, noise: 0.05, factor: 0.5 }');
  const n = checkInt('n', options.n ?? 200, 2);
  const noise = checkNonNegative('noise', options.noise ?? 0.05);
  const factor = options.factor ?? 0.5;
  if (typeof factor !== 'number' || !(factor >= 0 && factor < 1)) {
    throw argumentError('factor', 'a number in [0, 1)', factor);
  }
  const seed = checkSeed('seed', options.seed ?? 0);
  const shuffle = checkBoolean('shuffle', options.shuffle ?? true);
  const rng = new Generator(seed);
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const points = new Float64Array(2 * n);
  const labels = new Float64Array(n);
  const tOut = linspace(0, 2 * Math.PI, nOut, false);
  const tIn = linspace(0, 2 * Math.PI, nIn, false);
  for (let i = 0; i < nOut; i++) {
    points[2 * i] = Math.cos(tOut[i]);
    points[2 * i + 1] = Math.sin(tOut[i]);
  }
  for (let i = 0; i < nIn; i++) {
    const r = nOut + i;
    points[2 * r] = factor * Math.cos(tIn[i]);
    points[2 * r + 1] = factor * Math.sin(tIn[i]);
    labels[r] = 1;
  }
  if (noise > 0) for (let i = 0; i < points.length; i++) points[i] += rng.normal(0, noise);
  return classificationSet(points, labels, 2, 2, rng, shuffle);
}
