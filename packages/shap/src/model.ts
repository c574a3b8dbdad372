import { argumentError, ShapArgumentError } from './errors.js';
import { type Dense, isMatrix, type Matrix } from './matrix.js';

/** One output per row (a vector of length rows) or several (`number[][]` or a matrix with rows × outputs). */
export type ModelOutput = Float64Array | Float32Array | number[] | number[][] | Matrix;

/** The model being explained: takes a batch of rows, returns one or several outputs per row, sync or async. */
export type Model = (X: Matrix) => ModelOutput | Promise<ModelOutput>;

/** How the explainers call the model. */
export interface CallSettings {
  model: Model;
  /** Most rows per model call. */
  batchSize: number;
  /** Element type of the matrices handed to the model. */
  dtype: 'float64' | 'float32';
  signal?: AbortSignal;
}

export function checkModel(model: unknown): Model {
  if (typeof model !== 'function') throw argumentError('model', 'a function (X: Matrix) => outputs', model);
  return model as Model;
}

export function checkBatchSize(value: unknown): number {
  if (value === undefined) return 1024;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw argumentError('batchSize', 'a positive integer', value);
  }
  return value;
}

export function checkDtype(value: unknown): 'float64' | 'float32' {
  if (value === undefined || value === 'float64') return 'float64';
  if (value === 'float32') return 'float32';
  throw argumentError('dtype', '"float64" or "float32"', value);
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (!signal?.aborted) return;
  const reason = signal.reason;
  if (reason instanceof Error) throw reason;
  const err = new Error(reason === undefined ? 'The explanation was aborted' : String(reason));
  err.name = 'AbortError';
  throw err;
}

/** Flattens what the model returned to rows × outputs float64, checking the row count and finiteness. */
export function normalizeOutput(out: unknown, rows: number, expectedOutputs: number | undefined): Dense {
  let data: Float64Array;
  let cols: number;
  if (isMatrix(out)) {
    if (out.rows !== rows || out.data.length !== out.rows * out.cols) {
      throw argumentError('model output', `a matrix with ${rows} rows (one per input row)`, out);
    }
    cols = out.cols;
    data = Float64Array.from(out.data);
  } else if (Array.isArray(out) && out.length > 0 && typeof out[0] === 'object' && out[0] !== null) {
    if (out.length !== rows)
      throw argumentError('model output', `${rows} rows (one per input row)`, `${out.length} rows`);
    cols = (out[0] as ArrayLike<number>).length;
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = out[i] as ArrayLike<number>;
      if (!r || r.length !== cols) {
        throw argumentError(`model output[${i}]`, `${cols} outputs (as in row 0)`, r);
      }
      for (let k = 0; k < cols; k++) data[i * cols + k] = r[k];
    }
  } else if (Array.isArray(out) || (ArrayBuffer.isView(out) && !(out instanceof DataView))) {
    const v = out as ArrayLike<number>;
    if (v.length !== rows) {
      throw argumentError(
        'model output',
        `${rows} values (one per input row) or a matrix { data, rows: ${rows}, cols }`,
        `${v.length} values`,
      );
    }
    cols = 1;
    data = new Float64Array(rows);
    for (let i = 0; i < rows; i++) data[i] = v[i];
  } else {
    throw argumentError('model output', 'a Float64Array, Float32Array, number[], number[][] or matrix', out);
  }
  if (cols < 1) throw argumentError('model output', 'at least one output per row', `${cols} outputs`);
  if (expectedOutputs !== undefined && cols !== expectedOutputs) {
    throw argumentError(
      'model output',
      `${expectedOutputs} outputs per row (as in earlier calls)`,
      `${cols}`,
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new ShapArgumentError(
        `model output: expected finite numbers, found ${data[i]} at row ${Math.floor(i / cols)}, output ${i % cols}`,
      );
    }
  }
  return { data, rows, cols };
}

function makeBuffer(dtype: 'float64' | 'float32', n: number): Float64Array | Float32Array {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** Runs the model on the rows of `X` in batches of at most `batchSize`; returns rows × outputs. */
export async function predict(settings: CallSettings, X: Dense, expectedOutputs?: number): Promise<Dense> {
  const { model, batchSize, dtype, signal } = settings;
  let outputs = expectedOutputs;
  let result: Float64Array | undefined;
  for (let start = 0; start < X.rows; start += batchSize) {
    throwIfAborted(signal);
    const n = Math.min(batchSize, X.rows - start);
    const buf = makeBuffer(dtype, n * X.cols);
    buf.set(X.data.subarray(start * X.cols, (start + n) * X.cols));
    const out = normalizeOutput(await model({ data: buf, rows: n, cols: X.cols }), n, outputs);
    outputs = out.cols;
    result ??= new Float64Array(X.rows * outputs);
    result.set(out.data, start * outputs);
  }
  if (!result || outputs === undefined) throw argumentError('X', 'at least one row', '0 rows');
  return { data: result, rows: X.rows, cols: outputs };
}

/**
 * The value of each coalition: for each mask (one 0/1 per player), the background-weighted mean of the
 * model over rows that take x's values on the players that are on and the background row's elsewhere.
 * `players[p]` lists the columns that player p moves. Returns nMasks × outputs, before any link.
 */
export async function evaluateMasks(
  settings: CallSettings,
  x: Float64Array,
  background: Dense,
  weights: Float64Array,
  players: Int32Array[],
  masks: Uint8Array,
  nMasks: number,
  outputs: number,
): Promise<Float64Array> {
  const { model, batchSize, dtype, signal } = settings;
  const P = background.cols;
  const N = background.rows;
  const G = players.length;
  const bg = background.data;
  const result = new Float64Array(nMasks * outputs);
  const total = nMasks * N;
  let currentMask = -1;
  let cols = new Int32Array(P);
  let ncols = 0;
  for (let start = 0; start < total; start += batchSize) {
    throwIfAborted(signal);
    const n = Math.min(batchSize, total - start);
    const buf = makeBuffer(dtype, n * P);
    // The batch is a run of (mask, background row) pairs: copy each mask's background rows in one block,
    // then write x's values into the columns that mask switches on.
    for (let r = 0; r < n; ) {
      const row = start + r;
      const m = Math.floor(row / N);
      const b0 = row - m * N;
      const b1 = Math.min(N, b0 + (n - r));
      if (m !== currentMask) {
        currentMask = m;
        ncols = 0;
        for (let p = 0; p < G; p++) {
          if (masks[m * G + p] === 0) continue;
          const feats = players[p];
          if (ncols + feats.length > cols.length) {
            const bigger = new Int32Array((ncols + feats.length) * 2);
            bigger.set(cols.subarray(0, ncols));
            cols = bigger;
          }
          for (let f = 0; f < feats.length; f++) cols[ncols++] = feats[f];
        }
      }
      buf.set(bg.subarray(b0 * P, b1 * P), r * P);
      for (let b = b0; b < b1; b++) {
        const o = (r + b - b0) * P;
        for (let c = 0; c < ncols; c++) buf[o + cols[c]] = x[cols[c]];
      }
      r += b1 - b0;
    }
    const out = normalizeOutput(await model({ data: buf, rows: n, cols: P }), n, outputs).data;
    for (let r = 0; r < n; r++) {
      const row = start + r;
      const m = Math.floor(row / N);
      const w = weights[row - m * N];
      for (let k = 0; k < outputs; k++) result[m * outputs + k] += w * out[r * outputs + k];
    }
  }
  return result;
}
