import type { BatchMatMulAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { gradWasm } from './grad-wasm';
import type { WasmBackend } from './wasm-backend';

/** Widest b this path takes: beyond it XNNPACK with packed weights it has seen before wins. */
const MAX_COLUMNS = 64;

const batchOf = (shape: readonly number[]) => shape.slice(0, -2).reduce((p, d) => p * d, 1);

/**
 * A row vector times a matrix, `a [1, K] @ b [K, N]` (a may be stored as a column with
 * transposeA; no batch beyond 1; N a multiple of 4, at most 64), in the WebAssembly SIMD tiles of
 * the filter gradient. This is how a per-channel sum of an NHWC gradient is written (ones @ g,
 * @descent/cnn's bias gradient): tfjs's XNNPACK route first packs all of b as fresh weights,
 * which for a tall b costs 10–20× the product itself. The sum over K runs in float32, in order,
 * like XNNPACK's. Undefined when the shapes do not qualify (the caller runs tfjs's kernel).
 */
export function rowTimesMatrix(
  wasm: WasmBackend,
  a: TensorInfo,
  b: TensorInfo,
  attrs: BatchMatMulAttrs,
): TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || attrs.transposeB) return undefined;
  if (a.shape.length < 2 || b.shape.length < 2 || batchOf(a.shape) !== 1 || batchOf(b.shape) !== 1)
    return undefined;
  const [rows, k] = attrs.transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const [kb, n] = b.shape.slice(-2);
  if (rows !== 1 || k !== kb || k === 0 || n % 4 !== 0 || n === 0 || n > MAX_COLUMNS) return undefined;
  const kernels = gradWasm(wasm);
  if (kernels == null) return undefined;
  const rank = Math.max(a.shape.length, b.shape.length);
  const out = wasm.makeOutput([...new Array(rank - 2).fill(1), 1, n], 'float32');
  const at = kernels.offset(out);
  kernels.heap().fill(0, at >> 2, (at >> 2) + n);
  const aAt = kernels.offset(a);
  const bAt = kernels.offset(b);
  // Blocks of b's rows small enough to stay in cache while each 8-column tile passes over them.
  const block = Math.max(256, Math.floor(16384 / (4 * n)));
  const [narrow, wide] = kernels.tiles[0];
  for (let k0 = 0; k0 < k; k0 += block) {
    const count = Math.min(block, k - k0);
    for (let c = 0; c < n; c += 8) {
      (n - c >= 8 ? wide : narrow)(
        aAt + 4 * k0,
        bAt + 4 * (k0 * n + c),
        at + 4 * c,
        1,
        count,
        0,
        4,
        4 * n,
        0,
      );
    }
  }
  return out;
}
