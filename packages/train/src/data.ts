import type { Matrix, MatrixLike } from '@descent/datasets';
import { argumentError } from '@descent/tensor';

// The matrix types are @descent/datasets': `Matrix` holds float32 (what the Learner computes
// with), `MatrixLike` also float64 (what users may hand in).

/** Inputs and targets for `fit` and `evaluate`. Targets are one value or one row per sample. */
export interface TrainingData {
  X: MatrixLike | number[][];
  y: MatrixLike | ArrayLike<number> | number[][];
}

/** Training data as the Learner holds it: float32 matrices, ready to become tensors. */
export interface HostData {
  X: Matrix;
  y: Matrix;
}

/** Checks rows or a matrix and brings it to float32; `argument` names it in errors. */
export function toHostMatrix(value: MatrixLike | number[][], argument: string): Matrix {
  if (Array.isArray(value)) {
    if (value.length === 0) throw argumentError(argument, 'at least one row', 'an empty array');
    const cols = value[0].length;
    const data = new Float32Array(value.length * cols);
    value.forEach((row, r) => {
      if (!Array.isArray(row) || row.length !== cols) {
        throw argumentError(`${argument}[${r}]`, `a row of ${cols} numbers`, row);
      }
      data.set(row, r * cols);
    });
    return { data, rows: value.length, cols };
  }
  const m = value as MatrixLike;
  if (!m || !(m.data instanceof Float32Array || m.data instanceof Float64Array)) {
    throw argumentError(argument, 'number[][] or { data: Float32Array, rows, cols }', value);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw argumentError(`${argument}.data.length`, `rows * cols = ${m.rows * m.cols}`, m.data.length);
  }
  // tfjs computes in float32; converting once here keeps every batch a plain copy.
  return m.data instanceof Float32Array
    ? (m as Matrix)
    : { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
}

function toTargets(y: TrainingData['y'], rows: number): Matrix {
  let m: Matrix;
  if (Array.isArray(y) && Array.isArray(y[0])) m = toHostMatrix(y as number[][], 'y');
  else if (y && typeof y === 'object' && 'rows' in y && 'cols' in y) m = toHostMatrix(y as MatrixLike, 'y');
  else {
    const flat = Float32Array.from(y as ArrayLike<number>);
    m = { data: flat, rows: flat.length, cols: 1 };
  }
  if (m.rows !== rows) throw argumentError('y', `${rows} targets (one per row of X)`, `${m.rows}`);
  return m;
}

/** Checks a TrainingData and brings it to host matrices. */
export function toHostData(data: TrainingData, argument = 'data'): HostData {
  if (!data || typeof data !== 'object') throw argumentError(argument, '{ X, y }', data);
  const X = toHostMatrix(data.X, `${argument}.X`);
  const y = toTargets(data.y, X.rows);
  for (let i = 0; i < X.data.length; i++) {
    if (!Number.isFinite(X.data[i])) {
      const row = Math.floor(i / X.cols);
      throw argumentError(`${argument}.X row ${row}, column ${i % X.cols}`, 'a finite number', X.data[i]);
    }
  }
  return { X, y };
}
