import type { FloatArray } from './matrix';

/** Column j's observed (non-NaN) values, sorted ascending. */
export function sortedColumn(data: FloatArray, rows: number, cols: number, j: number): Float64Array {
  const values = new Float64Array(rows);
  let n = 0;
  for (let k = j; k < rows * cols; k += cols) {
    const v = data[k];
    if (!Number.isNaN(v)) values[n++] = v;
  }
  // A Float64Array sorts numerically; -0 before +0 makes no difference to any statistic below.
  return values.subarray(0, n).sort();
}

/**
 * numpy's `nanmedian` of an already sorted, NaN-free column: the middle value, or the mean
 * `(a + b) / 2` of the two middle values. NaN for an empty column.
 */
export function medianOfSorted(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/**
 * numpy's `nanpercentile(column, q)` with the default 'linear' method (Hyndman and Fan's type 7),
 * on an already sorted, NaN-free column, with numpy 1.24's arithmetic: virtual index
 * `(n - 1) * (q / 100)`, and the interpolation `a + (b - a) * t`, taken from the upper end
 * `b - (b - a) * (1 - t)` when `t >= 0.5`. NaN for an empty column.
 */
export function percentileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const index = (n - 1) * (q / 100);
  if (index >= n - 1) return sorted[n - 1];
  if (index <= 0) return sorted[0];
  const below = Math.floor(index);
  const t = index - below;
  const a = sorted[below];
  const b = sorted[below + 1];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
