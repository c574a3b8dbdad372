import { Generator } from '@descent/random';
import type { Dataset } from './dataset';
import { argumentError } from './errors';
import { checkBoolean, checkInt, checkNonNegative, checkOptions, checkSeed } from './validate';

// The course's three patients themselves are a table, kept with the other toy sets in
// toy-datasets.ts; this file is their noisy, denser cousin for plots and fitting.

/** The noiseless bump behind `dosageNoisy`: 1 at dosage 0.5, about 1.5e-5 at 0 and 1. */
export function dosageCurve(d: number): number {
  if (typeof d !== 'number') throw argumentError('d', 'a number', d);
  const z = (d - 0.5) / 0.15;
  return Math.exp(-z * z);
}

/** Options of the noisy dosage dataset: patient count, noise and the like. */
export interface DosageNoisyOptions {
  /** Number of patients. Default 60. */
  n?: number;
  /** Standard deviation of the gaussian noise added to efficacy. Default 0.05. */
  noise?: number;
  /** Default 0. */
  seed?: number;
  /** Clip efficacy to [0, 1] after adding noise. Default false, so the noise stays unbiased. */
  clip?: boolean;
}

/**
 * A denser, noisy version of `dosage` for plots and fitting: dosages uniform in [0, 1) (in draw
 * order, not sorted), efficacy = dosageCurve(dosage) + N(0, noise^2), optionally clipped.
 */
export function dosageNoisy(options: DosageNoisyOptions = {}): Dataset {
  checkOptions('options', options, '{ n: 60, noise: 0.05 }');
  const n = checkInt('n', options.n ?? 60, 1);
  const noise = checkNonNegative('noise', options.noise ?? 0.05);
  const seed = checkSeed('seed', options.seed ?? 0);
  const clip = checkBoolean('clip', options.clip ?? false);
  const rng = new Generator(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform();
  for (let i = 0; i < n; i++) {
    let e = dosageCurve(x[i]) + (noise > 0 ? rng.normal(0, noise) : 0);
    if (clip) e = Math.min(1, Math.max(0, e));
    y[i] = e;
  }
  return {
    X: { data: x, rows: n, cols: 1 },
    y,
    featureNames: ['dosage'],
    targetName: 'efficacy',
    task: 'regression',
  };
}
