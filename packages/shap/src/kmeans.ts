import { Generator } from '@descent/random';
import { argumentError, checkSeed } from './errors.js';
import { type Dense, type MatrixInput, toDense, type WeightedMatrix } from './matrix.js';

/** Options of `kmeansBackground`: seed, number of k-means++ starts, iterations and snapping, as scikit-learn's KMeans. */
export interface KmeansOptions {
  seed?: number;
  /** Independent k-means++ starts; the lowest inertia wins (sklearn's n_init). Default 10. */
  nInit?: number;
  /** Lloyd iterations per start. Default 300. */
  maxIter?: number;
  /** Snap each centre coordinate to the nearest value that occurs in its column (shap's round_values). Default true. */
  snap?: boolean;
}

function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ao + j] - b[bo + j];
    s += t * t;
  }
  return s;
}

interface Run {
  centres: Float64Array;
  labels: Int32Array;
  inertia: number;
}

function plusPlusInit(X: Dense, k: number, rng: Generator): Float64Array {
  const { rows: n, cols: d, data } = X;
  const centres = new Float64Array(k * d);
  const first = rng.int(n);
  centres.set(data.subarray(first * d, (first + 1) * d), 0);
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = sqDist(data, i * d, centres, 0, d);
  const cum = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) cum[i] = acc += dist[i];
    // All points coincide with chosen centres: any point will do.
    const pick = acc > 0 ? rng.choice(cum) : rng.int(n);
    centres.set(data.subarray(pick * d, (pick + 1) * d), c * d);
    for (let i = 0; i < n; i++) dist[i] = Math.min(dist[i], sqDist(data, i * d, centres, c * d, d));
  }
  return centres;
}

/**
 * Labels each row with its nearest centre (the first on a tie) and records the squared distance;
 * returns the inertia, the sum of those distances.
 */
function assignNearest(
  X: Dense,
  k: number,
  centres: Float64Array,
  labels: Int32Array,
  dist: Float64Array,
): number {
  const { rows: n, cols: d, data } = X;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const dd = sqDist(data, i * d, centres, c * d, d);
      if (dd < bestD) {
        bestD = dd;
        best = c;
      }
    }
    labels[i] = best;
    dist[i] = bestD;
    inertia += bestD;
  }
  return inertia;
}

function lloyd(X: Dense, k: number, centres: Float64Array, maxIter: number, tol: number): Run {
  const { rows: n, cols: d, data } = X;
  const labels = new Int32Array(n);
  const dist = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let iter = 0; iter < maxIter; iter++) {
    assignNearest(X, k, centres, labels, dist);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += data[i * d + j];
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // An empty cluster takes the point farthest from its centre, as sklearn relocates empty clusters.
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
        dist[far] = 0;
        for (let j = 0; j < d; j++) {
          const v = data[far * d + j];
          shift += (v - centres[c * d + j]) ** 2;
          centres[c * d + j] = v;
        }
        continue;
      }
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j] / counts[c];
        shift += (v - centres[c * d + j]) ** 2;
        centres[c * d + j] = v;
      }
    }
    if (shift <= tol) break;
  }
  // Final assignment against the final centres, so labels, weights and inertia agree.
  const inertia = assignNearest(X, k, centres, labels, dist);
  return { centres, labels, inertia };
}

/** Index of the value in `sorted` nearest to v (the lower one on a tie). */
function nearest(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(sorted[lo - 1] - v) <= Math.abs(sorted[lo] - v)) return lo - 1;
  return lo;
}

/**
 * Summarises X by k weighted centres, as `shap.kmeans` does: k-means (k-means++ starts, seeded), each centre
 * coordinate snapped to the nearest value that occurs in its column, weights = cluster sizes / n.
 * The result is a matrix with `weights`; pass it straight to an explainer as the background.
 */
export function kmeansBackground(X: MatrixInput, k: number, options: KmeansOptions = {}): WeightedMatrix {
  const data = toDense(X, 'X');
  if (data.rows === 0 || data.cols === 0) {
    throw argumentError('X', 'at least one row and one column', `${data.rows} × ${data.cols}`);
  }
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > data.rows) {
    throw argumentError('k', `an integer in [1, ${data.rows}] (the number of rows of X)`, k);
  }
  for (let i = 0; i < data.data.length; i++) {
    if (!Number.isFinite(data.data[i])) {
      throw argumentError(
        `X[${Math.floor(i / data.cols)}][${i % data.cols}]`,
        'a finite number',
        data.data[i],
      );
    }
  }
  const nInit = options.nInit ?? 10;
  const maxIter = options.maxIter ?? 300;
  if (!Number.isInteger(nInit) || nInit < 1) throw argumentError('nInit', 'a positive integer', nInit);
  if (!Number.isInteger(maxIter) || maxIter < 1)
    throw argumentError('maxIter', 'a positive integer', maxIter);
  const rng = new Generator(checkSeed(options.seed ?? 0));
  const { rows: n, cols: d } = data;
  // sklearn's tolerance: relative to the mean per-column variance.
  let meanVar = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += data.data[i * d + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (data.data[i * d + j] - m) ** 2;
    meanVar += v / n / d;
  }
  const tol = 1e-4 * meanVar;
  let best: Run | undefined;
  for (let r = 0; r < nInit; r++) {
    const run = lloyd(data, k, plusPlusInit(data, k, rng), maxIter, tol);
    if (!best || run.inertia < best.inertia) best = run;
  }
  const { centres, labels } = best!;
  if (options.snap ?? true) {
    const column = new Float64Array(n);
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < n; i++) column[i] = data.data[i * d + j];
      column.sort();
      for (let c = 0; c < k; c++) centres[c * d + j] = column[nearest(column, centres[c * d + j])];
    }
  }
  const weights = new Float64Array(k);
  for (let i = 0; i < n; i++) weights[labels[i]] += 1;
  for (let c = 0; c < k; c++) weights[c] /= n;
  return { data: centres, rows: k, cols: d, weights };
}
