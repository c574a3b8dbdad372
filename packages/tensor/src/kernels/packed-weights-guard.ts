import type { TensorInfo } from '@tensorflow/tfjs-core';
import { heapF32, type WasmBackend } from './wasm-backend';

/**
 * The shape each b was first handed to tfjs-backend-wasm's matrix product with, by data id.
 * That kernel keeps XNNPACK's packing of b keyed by b's tensor id alone, and a reshape (or our
 * relabelling of a row as a column, or a shared Identity) keeps the id: the same memory used
 * again as b of another shape then multiplies by the stale packing and returns garbage (tfjs
 * 4.22: `matMul(h, reshape(v, [4, 1]))` then `matMul(ones([2, 1]), v)`). Weak, so it keeps nothing alive.
 */
const packedAs = new WeakMap<object, string>();

/** b's shape as the stock kernel sees it: [batch, rows, cols]. */
const key = (b: TensorInfo) => {
  const [rows, cols] = b.shape.slice(-2);
  return `${b.shape.slice(0, -2).reduce((p, d) => p * d, 1)},${rows},${cols}`;
};

/**
 * `b` itself when XNNPACK has no packing of its id or one of this shape; otherwise a fresh copy
 * (a new id, so a packing of its own), which the caller frees after the product.
 */
export function freshIfPackedOtherwise(b: TensorInfo, wasm: WasmBackend): TensorInfo {
  const id = b.dataId as object;
  const first = packedAs.get(id);
  if (first === undefined) {
    packedAs.set(id, key(b));
    return b;
  }
  if (first === key(b)) return b;
  const copy = wasm.makeOutput([...b.shape], b.dtype);
  heapF32(wasm, copy).set(heapF32(wasm, b));
  return copy;
}
