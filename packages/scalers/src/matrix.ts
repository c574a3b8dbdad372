import { argumentError, type ScalerArgumentError, shown } from './errors';

/** The float arrays a matrix may hold its data in: Float32Array or Float64Array. */
export type FloatArray = Float32Array | Float64Array;

/**
 * A dense row-major matrix: element (i, j) sits at `data[i * cols + j]`. Declared structurally,
 * as every tensor-free descent package does, so no package needs another for the type.
 */
export interface DenseMatrix<T extends FloatArray = FloatArray> {
  data: T;
  rows: number;
  cols: number;
}

/** What every scaler method accepts. */
export type ScalerInput = number[][] | DenseMatrix;

/**
 * A batch checked at the boundary. `data` is row-major; for `number[][]` input it is a private
 * float64 copy, so a transform may overwrite it.
 */
export interface Input {
  kind: 'rows' | 'float32' | 'float64';
  data: FloatArray;
  rows: number;
  cols: number;
  source: ScalerInput;
}

const EXPECTED_X = 'a 2-D array (number[][]) or a matrix { data: Float32Array | Float64Array, rows, cols }';

/**
 * Checks X and returns it as row-major data. `number[][]` is packed (and every value checked)
 * here; a matrix's values are checked only when `scanValues` is set, because the transform
 * kernels check them on the fly. NaN marks a missing value and is allowed; ±Infinity is not
 * (scikit-learn's `force_all_finite="allow-nan"`).
 */
export function readInput(method: string, X: unknown, scanValues: boolean): Input {
  if (Array.isArray(X)) return packRows(method, X);
  if (X === null || typeof X !== 'object' || !('data' in X))
    throw argumentError(`${method}: X`, EXPECTED_X, X);
  const m = X as DenseMatrix;
  const isF64 = m.data instanceof Float64Array;
  if (!isF64 && !(m.data instanceof Float32Array)) {
    throw argumentError(`${method}: X.data`, 'a Float32Array or Float64Array', m.data);
  }
  for (const key of ['rows', 'cols'] as const) {
    if (!Number.isSafeInteger(m[key]) || m[key] < 0) {
      throw argumentError(`${method}: X.${key}`, 'a non-negative integer', m[key]);
    }
  }
  if (m.data.length !== m.rows * m.cols) {
    throw argumentError(
      `${method}: X.data`,
      `length rows * cols = ${m.rows} * ${m.cols} = ${m.rows * m.cols}`,
      shown(`length ${m.data.length}`),
    );
  }
  checkNotEmpty(method, m.rows, m.cols);
  if (scanValues) {
    const bad = findInfinite(m.data);
    if (bad >= 0) throw infiniteValueError(method, m.data, m.cols, bad);
  }
  return { kind: isF64 ? 'float64' : 'float32', data: m.data, rows: m.rows, cols: m.cols, source: m };
}

function packRows(method: string, X: unknown[]): Input {
  const { rows, cols } = rowsShape(method, X);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = X[i];
    if (!Array.isArray(row) || row.length !== cols) throw badRow(method, row, i, cols);
    const offset = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number' || v === Infinity || v === -Infinity) throw badRow(method, row, i, cols);
      data[offset + j] = v;
    }
  }
  return { kind: 'rows', data, rows, cols, source: X as number[][] };
}

/**
 * The shape of a `number[][]`, from its length and its first row; the other rows are checked
 * by whoever reads them (packRows, or the row kernels), which call badRow on a mismatch.
 */
export function rowsShape(method: string, X: unknown[]): { rows: number; cols: number } {
  const rows = X.length;
  if (rows === 0) checkNotEmpty(method, 0, 0);
  const first = X[0];
  if (!Array.isArray(first)) {
    const hint = typeof first === 'number' ? ' (for one feature pass [[x1], [x2], ...])' : '';
    throw argumentError(`${method}: X[0]`, `a row (an array of numbers)${hint}`, first);
  }
  checkNotEmpty(method, rows, first.length);
  return { rows, cols: first.length };
}

/** The error for row i of a `number[][]` that failed a fast check: not an array, ragged, or a bad value. */
export function badRow(method: string, row: unknown, i: number, cols: number): ScalerArgumentError {
  if (!Array.isArray(row)) return argumentError(`${method}: X[${i}]`, 'a row (an array of numbers)', row);
  if (row.length !== cols)
    return argumentError(`${method}: X[${i}]`, `${cols} values (as in X[0])`, shown(`${row.length}`));
  const j = row.findIndex((v) => typeof v !== 'number' || v === Infinity || v === -Infinity);
  return argumentError(
    `${method}: X[${i}][${j}]`,
    'a number (NaN for a missing value, not ±Infinity)',
    row[j],
  );
}

function checkNotEmpty(method: string, rows: number, cols: number): void {
  if (rows === 0) throw argumentError(`${method}: X`, 'at least 1 row', shown('0 rows'));
  if (cols === 0) throw argumentError(`${method}: X`, 'at least 1 column', shown('0 columns'));
}

/** Index of the first ±Infinity, or -1. NaN is allowed (a missing value). */
export function findInfinite(data: FloatArray): number {
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (v === Infinity || v === -Infinity) return k;
  }
  return -1;
}

export function infiniteValueError(
  method: string,
  data: FloatArray,
  cols: number,
  k: number,
): ScalerArgumentError {
  const where = `${method}: X.data[${k}] (row ${Math.floor(k / cols)}, column ${k % cols})`;
  return argumentError(where, 'a finite number or NaN (a missing value)', data[k]);
}

/** The column-count check every method after fit makes. */
export function checkColumns(method: string, found: number, expected: number, since: string): void {
  if (found !== expected) {
    throw argumentError(`${method}: X`, `${expected} columns (as in ${since})`, shown(`${found}`));
  }
}
