import { argumentError } from './errors.js';

/** A dense row-major matrix: element (i, j) is `data[i * cols + j]`. Declared structurally so any package's matrix fits. */
export interface Matrix {
  data: Float64Array | Float32Array;
  rows: number;
  cols: number;
}

/** A matrix whose rows carry weights, e.g. k-means centres weighted by cluster size. */
export interface WeightedMatrix extends Matrix {
  weights: Float64Array;
}

/** What the explainers accept as data: a dense matrix, rows as arrays, or one row as a flat array. */
export type MatrixInput = Matrix | ArrayLike<number>[] | ArrayLike<number>;

/** The internal form: always float64, always owned. */
export interface Dense {
  data: Float64Array;
  rows: number;
  cols: number;
}

export function isMatrix(value: unknown): value is Matrix {
  if (!value || typeof value !== 'object') return false;
  const m = value as Partial<Matrix>;
  return typeof m.rows === 'number' && typeof m.cols === 'number' && ArrayBuffer.isView(m.data);
}

/**
 * Converts any accepted input to a float64 matrix, copying. A flat numeric array is one row.
 * Throws naming `arg` for ragged rows, a data length that does not match rows × cols, or non-numbers.
 */
export function toDense(input: unknown, arg: string): Dense {
  if (isMatrix(input)) {
    const { rows, cols, data } = input;
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw argumentError(arg, 'non-negative integer rows and cols', `rows ${rows}, cols ${cols}`);
    }
    if (data.length !== rows * cols) {
      throw argumentError(arg, `data of length rows × cols = ${rows * cols}`, `length ${data.length}`);
    }
    return { data: Float64Array.from(data), rows, cols };
  }
  if (Array.isArray(input) || ArrayBuffer.isView(input)) {
    const arr = input as ArrayLike<unknown>;
    if (arr.length === 0) return { data: new Float64Array(0), rows: 0, cols: 0 };
    const first = arr[0];
    if (typeof first === 'number') {
      const data = new Float64Array(arr.length);
      for (let j = 0; j < arr.length; j++) {
        const v = arr[j];
        if (typeof v !== 'number') throw argumentError(`${arg}[${j}]`, 'a number', v);
        data[j] = v;
      }
      return { data, rows: 1, cols: arr.length };
    }
    const rows = arr.length;
    const firstRow = first as ArrayLike<unknown> | undefined;
    if (!firstRow || typeof firstRow.length !== 'number')
      throw argumentError(`${arg}[0]`, 'an array of numbers', first);
    const cols = firstRow.length;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = arr[i] as ArrayLike<unknown> | undefined;
      if (!row || typeof row.length !== 'number')
        throw argumentError(`${arg}[${i}]`, 'an array of numbers', row);
      if (row.length !== cols) {
        throw argumentError(`${arg}[${i}]`, `${cols} values (as in row 0)`, `${row.length} values`);
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw argumentError(`${arg}[${i}][${j}]`, 'a number', v);
        data[i * cols + j] = v;
      }
    }
    return { data, rows, cols };
  }
  throw argumentError(arg, 'a matrix { data, rows, cols }, an array of rows, or one row as an array', input);
}

/** Row i of a dense matrix as nested arrays (for the public Explanation). */
export function toRows(m: Dense): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}
