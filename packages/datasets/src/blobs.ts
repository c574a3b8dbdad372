import { Generator } from '@descent/random';
import type { Dataset } from './dataset';
import { argumentError, shown } from './errors';
import type { Matrix } from './matrix';
import { classificationSet, splitCounts } from './toy';
import { checkBoolean, checkInt, checkNonNegative, checkOptions, checkSeed } from './validate';

/** Options of `blobs`: sample count, centres, their spread, seed and the like. */
export interface BlobsOptions {
  /** Total samples, split over the centres (the first n % k get one more). Default 200. */
  n?: number;
  /** How many centres to draw (at least 2), or the centres themselves as rows. Default 3. */
  centers?: number | number[][];
  /** Dimensions; taken from the rows when `centers` is given as rows. Default 2. */
  features?: number;
  /** Standard deviation of each blob, the same in every direction. Default 1. */
  std?: number;
  /** Box that drawn centres are uniform in, per coordinate. Default [-10, 10]. */
  centerBox?: [number, number];
  /** Default 0. */
  seed?: number;
  /** Shuffle the rows. Default true. */
  shuffle?: boolean;
}

/** A blobs set also hands back the centres it drew, one per row, in class order. */
export interface BlobsDataset extends Dataset {
  centers: Matrix;
}

function checkCenters(centers: number[][], features: number | undefined): number {
  if (centers.length < 2) throw argumentError('centers', 'at least 2 rows', shown(`${centers.length} rows`));
  const d = Array.isArray(centers[0]) ? centers[0].length : 0;
  centers.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== d || d === 0) {
      throw argumentError(`centers[${i}]`, `${d || 'a non-empty'} coordinates (like centers[0])`, row);
    }
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw argumentError(`centers[${i}][${j}]`, 'a finite number', v);
      }
    });
  });
  if (features !== undefined && features !== d) {
    throw argumentError('features', `${d} (the length of each centre)`, features);
  }
  return d;
}

/**
 * Isotropic gaussian blobs, like scikit-learn's make_blobs: each class is a cloud of points
 * around its centre with standard deviation `std`. Drawn centres are uniform in `centerBox`
 * and come from the same seed, before the points. Task is 'binary' for 2 centres.
 */
export function blobs(options: BlobsOptions = {}): BlobsDataset {
  checkOptions('options', options, '{ n: 200, centers: 3, features: 2, std: 1 }');
  const n = checkInt('n', options.n ?? 200, 1);
  const given = options.centers;
  const std = checkNonNegative('std', options.std ?? 1);
  const seed = checkSeed('seed', options.seed ?? 0);
  const shuffle = checkBoolean('shuffle', options.shuffle ?? true);
  const box = options.centerBox ?? [-10, 10];
  if (
    !Array.isArray(box) ||
    box.length !== 2 ||
    !Number.isFinite(box[0]) ||
    !Number.isFinite(box[1]) ||
    !(box[0] < box[1])
  ) {
    throw argumentError('centerBox', '[low, high] with low < high', box);
  }
  let k: number;
  let d: number;
  if (Array.isArray(given)) {
    if (options.features !== undefined) checkInt('features', options.features, 1);
    d = checkCenters(given, options.features);
    k = given.length;
  } else {
    k = checkInt('centers', given ?? 3, 2);
    d = checkInt('features', options.features ?? 2, 1);
  }
  if (n < k) checkInt('n', n, k);
  const rng = new Generator(seed);
  const centerData = new Float32Array(k * d);
  const centers = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      centers[c * d + j] = Array.isArray(given) ? given[c][j] : rng.uniform(box[0], box[1]);
      centerData[c * d + j] = centers[c * d + j];
    }
  }
  const points = new Float64Array(n * d);
  const labels = new Float64Array(n);
  let row = 0;
  splitCounts(n, k).forEach((count, c) => {
    for (let i = 0; i < count; i++, row++) {
      for (let j = 0; j < d; j++) {
        points[row * d + j] = centers[c * d + j] + (std > 0 ? rng.normal(0, std) : 0);
      }
      labels[row] = c;
    }
  });
  const set = classificationSet(points, labels, d, k, rng, shuffle);
  return { ...set, centers: { data: centerData, rows: k, cols: d } };
}
