import { argumentError, shown } from './errors';
import { checkIndices } from './validate';

/**
 * A dense row-major matrix: element (i, j) sits at `data[i * cols + j]`. Declared structurally,
 * as every tensor-free descent package does, so no package needs another for the type.
 */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** What the helpers accept: a Matrix, or the same shape over float64 data. */
export interface MatrixLike {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/** Checks a matrix's fields agree with each other; `name` labels the message. */
export function checkMatrix(name: string, m: unknown): MatrixLike {
  const x = m as MatrixLike;
  if (
    x === null ||
    typeof x !== 'object' ||
    !(x.data instanceof Float32Array || x.data instanceof Float64Array)
  ) {
    throw argumentError(name, 'a matrix { data: Float32Array | Float64Array, rows, cols }', m);
  }
  if (!Number.isSafeInteger(x.rows) || x.rows < 0 || !Number.isSafeInteger(x.cols) || x.cols < 0) {
    throw argumentError(`${name}.rows/cols`, 'non-negative integers', [x.rows, x.cols]);
  }
  if (x.data.length !== x.rows * x.cols) {
    throw argumentError(
      `${name}.data`,
      `length rows * cols = ${x.rows} * ${x.cols} = ${x.rows * x.cols}`,
      shown(`length ${x.data.length}`),
    );
  }
  return x;
}

/** Packs `number[][]` into a Matrix; every row must have the length of the first. */
export function toMatrix(rows: number[][]): Matrix {
  if (!Array.isArray(rows)) throw argumentError('rows', 'an array of rows (number[][])', rows);
  const n = rows.length;
  if (n === 0) return { data: new Float32Array(0), rows: 0, cols: 0 };
  if (!Array.isArray(rows[0])) throw argumentError('rows[0]', 'an array of numbers', rows[0]);
  const cols = rows[0].length;
  const data = new Float32Array(n * cols);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw argumentError(`rows[${i}]`, 'an array of numbers', row);
    if (row.length !== cols) {
      throw argumentError(
        `rows[${i}]`,
        `length ${cols} (the length of rows[0])`,
        shown(`length ${row.length}`),
      );
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw argumentError(`rows[${i}][${j}]`, 'a number', v);
      data[i * cols + j] = v;
    }
  }
  return { data, rows: n, cols };
}

/** Unpacks a matrix into `number[][]`, e.g. for JSON or a plotting library. */
export function fromMatrix(matrix: MatrixLike): number[][] {
  const { data, rows, cols } = checkMatrix('matrix', matrix);
  const out: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) out[i] = Array.from(data.subarray(i * cols, (i + 1) * cols));
  return out;
}

/** The rows at `indices`, in that order (repeats allowed), as a new float32 Matrix. */
export function gatherRows(X: MatrixLike, indices: ArrayLike<number>): Matrix {
  const { data, rows, cols } = checkMatrix('X', X);
  const idx = checkIndices('indices', indices, rows);
  const out = new Float32Array(idx.length * cols);
  for (let i = 0; i < idx.length; i++) {
    const start = idx[i] * cols;
    out.set(data.subarray(start, start + cols), i * cols);
  }
  return { data: out, rows: idx.length, cols };
}

/** The entries of `y` at `indices`, in that order, as a new Float32Array. */
export function gather(y: ArrayLike<number>, indices: ArrayLike<number>): Float32Array {
  if (!Array.isArray(y) && !ArrayBuffer.isView(y)) throw argumentError('y', 'an array or typed array', y);
  const idx = checkIndices('indices', indices, y.length);
  const out = new Float32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = y[idx[i]];
  return out;
}
