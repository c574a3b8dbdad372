import type { TensorInfo } from '@tensorflow/tfjs-core';
import { runWasmKernel } from './wasm-backend';

/** `shape` with its last two axes swapped. */
function swapLast(shape: readonly number[]): number[] {
  const out = shape.slice();
  const n = out.length;
  [out[n - 2], out[n - 1]] = [out[n - 1], out[n - 2]];
  return out;
}

/**
 * `x` with its last two axes swapped, and whether the result is a temporary to free. A matrix
 * with one row or one column keeps its memory layout, so it is only relabelled (same data, no
 * copy); otherwise the backend's own Transpose kernel copies it.
 */
export function swapped(x: TensorInfo, backend: unknown): { info: TensorInfo; temporary: boolean } {
  const n = x.shape.length;
  if (x.shape[n - 1] === 1 || x.shape[n - 2] === 1)
    return { info: { dataId: x.dataId, shape: swapLast(x.shape), dtype: x.dtype }, temporary: false };
  const perm = x.shape.map((_, i) => i);
  [perm[n - 2], perm[n - 1]] = [perm[n - 1], perm[n - 2]];
  return { info: runWasmKernel('Transpose', { x }, backend, { perm }), temporary: true };
}
