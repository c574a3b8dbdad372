import type { FloatArray } from './matrix';
import { numpySum } from './pairwise-sum';

/**
 * Running per-column sample counts, means and population variances (ddof 0), NaN = missing.
 * Starts empty: count 0, mean 0, variance 0 (scikit-learn's `mean_ = 0.0, var_ = 0.0`).
 */
export interface Moments {
  count: Float64Array;
  mean: Float64Array;
  /** null when only the mean is wanted (StandardScaler with withStd false). */
  variance: Float64Array | null;
}

export function emptyMoments(cols: number, withVariance: boolean): Moments {
  return {
    count: new Float64Array(cols),
    mean: new Float64Array(cols),
    variance: withVariance ? new Float64Array(cols) : null,
  };
}

/**
 * Folds one batch (rows x cols, row-major) into `m`, in place. This is scikit-learn 1.2's
 * `_incremental_mean_and_var`: the batch's corrected two-pass sums, merged with the running
 * statistics by Chan, Golub and LeVeque's pairwise update. The sums run row by row, which is the
 * order numpy's `sum(axis=0)` uses on a C-ordered array, and every expression keeps scikit-learn's
 * operation order, so a fit gives the same bits. A one-column batch is summed pairwise instead,
 * as numpy does along a contiguous axis. Squares are written `x * x`: numpy's `x ** 2` is an
 * exact square, and JavaScript's `**` is not promised to be.
 *
 * One deliberate difference: where a batch has no observed value in a column, scikit-learn's
 * update divides 0 by 0 and the column's variance (or mean, for a first batch) stays NaN for
 * good. Here such a column is left as it was, which is what "NaNs are ignored" promises.
 * A column that has never had a value has mean and variance NaN, as in scikit-learn.
 */
export function updateMoments(m: Moments, data: FloatArray, rows: number, cols: number): void {
  const { newSum, newCount, correction, squares } = batchSums(data, rows, cols, m.variance !== null);
  for (let j = 0; j < cols; j++) {
    const lastCount = m.count[j];
    const count = newCount[j];
    const updatedCount = lastCount + count;
    if (count === 0) {
      if (updatedCount === 0) {
        m.mean[j] = Number.NaN;
        if (m.variance) m.variance[j] = Number.NaN;
      }
      continue;
    }
    const lastSum = lastCount === 0 ? 0 : m.mean[j] * lastCount;
    m.mean[j] = (lastSum + newSum[j]) / updatedCount;
    if (m.variance) {
      const c = correction[j];
      const newUnnormalized = squares[j] - (c * c) / count;
      let updatedUnnormalized: number;
      if (lastCount === 0) {
        updatedUnnormalized = newUnnormalized;
      } else {
        const lastUnnormalized = m.variance[j] * lastCount;
        const lastOverNewCount = lastCount / count;
        const gap = lastSum / lastOverNewCount - newSum[j];
        updatedUnnormalized =
          lastUnnormalized + newUnnormalized + (lastOverNewCount / updatedCount) * (gap * gap);
      }
      m.variance[j] = updatedUnnormalized / updatedCount;
    }
    m.count[j] = updatedCount;
  }
}

/** Per-column count of non-NaN values, added into `count` (for when neither statistic is kept). */
export function addCounts(count: Float64Array, data: FloatArray, rows: number, cols: number): void {
  for (let start = 0; start < rows * cols; start += cols) {
    for (let j = 0; j < cols; j++) {
      const v = data[start + j];
      if (!Number.isNaN(v)) count[j] += 1;
    }
  }
}

interface BatchSums {
  newSum: Float64Array;
  newCount: Float64Array;
  /** Σ (x - batch mean) and Σ (x - batch mean)², the corrected two-pass sums. */
  correction: Float64Array;
  squares: Float64Array;
}

function batchSums(data: FloatArray, rows: number, cols: number, withVariance: boolean): BatchSums {
  if (cols === 1) return oneColumnSums(data, rows, withVariance);
  const newSum = new Float64Array(cols);
  const newCount = new Float64Array(cols);
  const correction = new Float64Array(cols);
  const squares = new Float64Array(cols);
  for (let start = 0; start < rows * cols; start += cols) {
    for (let j = 0; j < cols; j++) {
      const v = data[start + j];
      if (!Number.isNaN(v)) {
        newSum[j] += v;
        newCount[j] += 1;
      }
    }
  }
  if (!withVariance) return { newSum, newCount, correction, squares };
  const T = new Float64Array(cols);
  for (let j = 0; j < cols; j++) T[j] = newSum[j] / newCount[j];
  for (let start = 0; start < rows * cols; start += cols) {
    for (let j = 0; j < cols; j++) {
      const v = data[start + j];
      if (!Number.isNaN(v)) {
        const d = v - T[j];
        correction[j] += d;
        squares[j] += d * d;
      }
    }
  }
  return { newSum, newCount, correction, squares };
}

/** The same sums for a single column, which numpy adds pairwise (see numpySum). */
function oneColumnSums(data: FloatArray, rows: number, withVariance: boolean): BatchSums {
  const values = new Float64Array(rows);
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const v = data[i];
    if (!Number.isNaN(v)) {
      values[i] = v;
      count++;
    }
  }
  const sum = numpySum(values);
  const result = {
    newSum: Float64Array.of(sum),
    newCount: Float64Array.of(count),
    correction: new Float64Array(1),
    squares: new Float64Array(1),
  };
  if (!withVariance) return result;
  const T = sum / count;
  for (let i = 0; i < rows; i++) {
    const v = data[i];
    values[i] = Number.isNaN(v) ? 0 : v - T;
  }
  result.correction[0] = numpySum(values);
  for (let i = 0; i < rows; i++) values[i] *= values[i];
  result.squares[0] = numpySum(values);
  return result;
}
