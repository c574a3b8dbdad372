import type * as tf from '@tensorflow/tfjs-core';

const THRESHOLD = 1000; // PyTorch summarises tensors with more elements than this
const EDGE_ITEMS = 3;

type Formatter = (v: number) => string;

/** `1.5000e+00`, with PyTorch's two-digit exponent. */
const exponential: Formatter = (v) => v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');

/** PyTorch's choice: integers as "1.", wide ranges in scientific notation, else 4 decimals. */
function floatFormatter(values: number[]): Formatter {
  const finite = values.filter((v) => Number.isFinite(v));
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  const wrap =
    (f: Formatter): Formatter =>
    (v) =>
      Number.isFinite(v) ? f(v) : special(v);
  if (finite.every((v) => Number.isInteger(v))) {
    const big = finite.some((v) => Math.abs(v) >= 1e8);
    return wrap(big ? exponential : (v) => `${v.toFixed(0)}.`);
  }
  const nonzero = finite.filter((v) => v !== 0).map(Math.abs);
  const max = Math.max(...nonzero);
  const min = Math.min(...nonzero);
  const scientific = max / min > 1000 || max > 1e8 || min < 1e-4;
  return wrap(scientific ? exponential : (v) => v.toFixed(4));
}

function shown(length: number, summarise: boolean): number[] {
  if (!summarise || length <= 2 * EDGE_ITEMS) return Array.from({ length }, (_, i) => i);
  return [0, 1, 2, -1, length - 3, length - 2, length - 1];
}

/**
 * Prints a tensor the way `print(t)` does in PyTorch, e.g.
 * `tensor([[1.0000, 0.5000],\n        [0.2500, 0.1250]])`. Non-float dtypes are named.
 */
export function format(t: tf.Tensor): string {
  const data = Array.from(t.dataSync() as ArrayLike<number>);
  const summarise = t.size > THRESHOLD;
  let fmt: Formatter;
  if (t.dtype === 'bool') fmt = (v) => (v ? 'True' : 'False');
  else if (t.dtype === 'int32') fmt = (v) => String(v);
  else fmt = floatFormatter(data);
  const cells = data.map(fmt);
  const width = Math.max(0, ...cells.map((c) => c.length));
  const pad = (s: string) => s.padStart(width);
  const strides = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const indent = 'tensor('.length;

  const render = (dim: number, offset: number): string => {
    if (t.rank === 0) return cells[0];
    const size = t.shape[dim];
    if (dim === t.rank - 1) {
      const parts = shown(size, summarise).map((i) => (i < 0 ? '...' : pad(cells[offset + i])));
      return `[${parts.join(', ')}]`;
    }
    const gap = ',' + '\n'.repeat(t.rank - dim - 1) + ' '.repeat(indent + dim + 1);
    const parts = shown(size, summarise).map((i) =>
      i < 0 ? '...' : render(dim + 1, offset + i * strides[dim]),
    );
    return `[${parts.join(gap)}]`;
  };

  const suffix = t.dtype === 'float32' ? '' : `, dtype=${t.dtype}`;
  return `tensor(${render(0, 0)}${suffix})`;
}
