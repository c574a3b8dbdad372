// Helpers shared by the tests; not exported from the package.
import type { Dataset } from './dataset';

/** The 2-D points of one class, as [x, y] pairs in row order. */
export function pointsOf(d: Dataset, c: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < d.X.rows; i++) {
    if (d.y[i] === c) out.push([d.X.data[i * d.X.cols], d.X.data[i * d.X.cols + 1]]);
  }
  return out;
}

export function classCounts(y: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < y.length; i++) counts.set(y[i], (counts.get(y[i]) ?? 0) + 1);
  return counts;
}

/** Rows as strings, for comparing a dataset's contents regardless of order. */
export function rowKeys(d: Dataset): string[] {
  const keys: string[] = [];
  for (let i = 0; i < d.X.rows; i++) {
    keys.push(`${Array.from(d.X.data.subarray(i * d.X.cols, (i + 1) * d.X.cols)).join(',')}|${d.y[i]}`);
  }
  return keys.sort();
}
