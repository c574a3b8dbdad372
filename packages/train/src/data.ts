import { argumentError } from '@descent/tensor';

/** A dense row-major matrix, declared here structurally (see DESIGN.md). */
export interface Matrix {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/** Inputs and targets for `fit` and `evaluate`. Targets are one value or one row per sample. */
export interface TrainingData {
  X: Matrix | number[][];
  y: Matrix | ArrayLike<number> | number[][];
}

/** A matrix as the Learner holds it: float32, ready to become a tensor. */
export interface HostMatrix extends Matrix {
  data: Float32Array;
}

export interface HostData {
  X: HostMatrix;
  y: HostMatrix;
}

export function toMatrix(value: Matrix | number[][], argument: string): HostMatrix {
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
  const m = value as Matrix;
  if (!m || !(m.data instanceof Float32Array || m.data instanceof Float64Array)) {
    throw argumentError(argument, 'number[][] or { data: Float32Array, rows, cols }', value);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw argumentError(`${argument}.data.length`, `rows * cols = ${m.rows * m.cols}`, m.data.length);
  }
  // tfjs computes in float32; converting once here keeps every batch a plain copy.
  return m.data instanceof Float32Array
    ? (m as HostMatrix)
    : { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
}

function toTargets(y: TrainingData['y'], rows: number): HostMatrix {
  let m: HostMatrix;
  if (Array.isArray(y) && Array.isArray(y[0])) m = toMatrix(y as number[][], 'y');
  else if (y && typeof y === 'object' && 'rows' in y && 'cols' in y) m = toMatrix(y as Matrix, 'y');
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
  const X = toMatrix(data.X, `${argument}.X`);
  const y = toTargets(data.y, X.rows);
  for (let i = 0; i < X.data.length; i++) {
    if (!Number.isFinite(X.data[i])) {
      const row = Math.floor(i / X.cols);
      throw argumentError(`${argument}.X row ${row}, column ${i % X.cols}`, 'a finite number', X.data[i]);
    }
  }
  return { X, y };
}
