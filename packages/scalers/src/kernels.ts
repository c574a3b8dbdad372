import { badRow, type FloatArray } from './matrix';

/*
 * The hot loops. Every scaler's transform and inverse is one of two per-column affine maps, done
 * as two separately rounded float64 operations in scikit-learn's order (`X -= a; X /= b` or
 * `X *= a; X += b`), so the results match scikit-learn to the last bit. A division is kept as a
 * division (not a multiplication by a precomputed reciprocal) for the same reason.
 *
 * A disabled step uses its identity: subtract +0, divide by 1, multiply by 1, add -0. Each of
 * these returns its operand unchanged (even -0), so no branch is needed in the loop.
 *
 * A matrix kernel returns the index of the first ±Infinity in `src` (rejected, as scikit-learn
 * does) or -1. On a hit, `dst` is partly written; callers that write in place scan first.
 * A `number[][]` kernel checks each row as it reads it and builds new rows, with no packing.
 */

/** dst[i, j] = (src[i, j] - sub[j]) / div[j]. `dst` may be `src`. */
export function subtractDivide(
  src: FloatArray,
  dst: FloatArray,
  cols: number,
  sub: Float64Array,
  div: Float64Array,
): number {
  const n = src.length;
  for (let start = 0; start < n; start += cols) {
    for (let j = 0; j < cols; j++) {
      const v = src[start + j];
      if (v === Infinity || v === -Infinity) return start + j;
      dst[start + j] = (v - sub[j]) / div[j];
    }
  }
  return -1;
}

/** dst[i, j] = src[i, j] * mul[j] + add[j], rounded after each step. `dst` may be `src`. */
export function multiplyAdd(
  src: FloatArray,
  dst: FloatArray,
  cols: number,
  mul: Float64Array,
  add: Float64Array,
): number {
  const n = src.length;
  for (let start = 0; start < n; start += cols) {
    for (let j = 0; j < cols; j++) {
      const v = src[start + j];
      if (v === Infinity || v === -Infinity) return start + j;
      dst[start + j] = v * mul[j] + add[j];
    }
  }
  return -1;
}

/** subtractDivide over `number[][]` rows (already known to have `cols` columns in row 0). */
export function subtractDivideRows(
  method: string,
  X: readonly unknown[],
  cols: number,
  sub: Float64Array,
  div: Float64Array,
): number[][] {
  const out: number[][] = new Array(X.length);
  for (let i = 0; i < X.length; i++) {
    const row = X[i] as number[];
    if (!Array.isArray(row) || row.length !== cols) throw badRow(method, row, i, cols);
    const result: number[] = [];
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number' || v === Infinity || v === -Infinity) throw badRow(method, row, i, cols);
      result.push((v - sub[j]) / div[j]);
    }
    out[i] = result;
  }
  return out;
}

/** multiplyAdd over `number[][]` rows, then clamped into [lo, hi] when `clip` is given. */
export function multiplyAddRows(
  method: string,
  X: readonly unknown[],
  cols: number,
  mul: Float64Array,
  add: Float64Array,
  clip?: readonly [number, number],
): number[][] {
  const out: number[][] = new Array(X.length);
  for (let i = 0; i < X.length; i++) {
    const row = X[i] as number[];
    if (!Array.isArray(row) || row.length !== cols) throw badRow(method, row, i, cols);
    const result: number[] = [];
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number' || v === Infinity || v === -Infinity) throw badRow(method, row, i, cols);
      result.push(v * mul[j] + add[j]);
    }
    if (clip) clipInPlace(result, clip[0], clip[1]);
    out[i] = result;
  }
  return out;
}

/** Clamps every value into [lo, hi]; NaN stays NaN (numpy's `clip`). */
export function clipInPlace(data: FloatArray | number[], lo: number, hi: number): void {
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (v < lo) data[k] = lo;
    else if (v > hi) data[k] = hi;
  }
}

export function filled(length: number, value: number): Float64Array {
  return new Float64Array(length).fill(value);
}
