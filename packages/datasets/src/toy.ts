import type { Generator } from '@descent/random';
import type { Dataset } from './dataset';

/** numpy.linspace: `num` evenly spaced values from start to stop (stop excluded without endpoint). */
export function linspace(start: number, stop: number, num: number, endpoint = true): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/** Splits n samples over k groups as scikit-learn's make_blobs does: the first n % k get one more. */
export function splitCounts(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

/** Names 'x1', 'x2', ... for generated features. */
export function featureNames(cols: number): string[] {
  return Array.from({ length: cols }, (_, j) => `x${j + 1}`);
}

/**
 * Packs generated points (in float64, grouped by class) into a classification Dataset, applying
 * the seeded row permutation last so that `shuffle: false` shows the generating order.
 */
export function classificationSet(
  points: Float64Array,
  labels: Float64Array,
  cols: number,
  k: number,
  rng: Generator,
  shuffle: boolean,
): Dataset {
  const rows = labels.length;
  const order = shuffle ? rng.permutation(rows) : Int32Array.from({ length: rows }, (_, i) => i);
  const data = new Float32Array(rows * cols);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const src = order[i];
    for (let j = 0; j < cols; j++) data[i * cols + j] = points[src * cols + j];
    y[i] = labels[src];
  }
  return {
    X: { data, rows, cols },
    y,
    featureNames: featureNames(cols),
    targetName: 'class',
    task: k === 2 ? 'binary' : 'multiclass',
    classes: Array.from({ length: k }, (_, c) => String(c)),
  };
}
