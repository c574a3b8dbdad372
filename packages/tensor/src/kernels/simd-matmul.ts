import { type BatchMatMulAttrs, env, type TensorInfo } from '@tensorflow/tfjs-core';
import { gradWasm } from './grad-wasm';
import { swapped } from './swap-last-axes';
import type { WasmBackend } from './wasm-backend';

/**
 * Rows of k per pass: a block of b's 8-column strip and of a's rows then stay in the first-level
 * cache while every 4-row tile passes over them (measured on 784×128 weights: 1.16 → 0.9 ms).
 */
const K_BLOCK = 128;

/** Fewest floats in b for this route: XNNPACK packs a smaller b in less time than ours takes to start. */
const MIN_PACKED = 2048;

/**
 * tfjs environment flag, true by default: `tf.env().set('DESCENT_WASM_SIMD_MATMUL', false)` sends
 * every product to XNNPACK (for comparisons in benchmarks and tests).
 */
export const SIMD_MATMUL_FLAG = 'DESCENT_WASM_SIMD_MATMUL';

export function registerSimdMatMulFlag(): void {
  env().registerFlag(SIMD_MATMUL_FLAG, () => true);
}

const batchOf = (shape: readonly number[]) => shape.slice(0, -2).reduce((p, d) => p * d, 1);

/**
 * The b operands already multiplied once by this route. tfjs's XNNPACK kernel packs b as weights
 * on first use and keeps the packing while b lives, which wins from the second product with the
 * same b on (a model's weights at inference); a b met only once (a training step's weights,
 * gradients, transposed temporaries) costs XNNPACK a packing 2–3× the product itself, and takes
 * this route instead. Keyed by data id, so nothing here keeps a tensor alive.
 */
const seen = new WeakSet<object>();

/**
 * `a @ b` (either transposed) for one float32 matrix pair with a column count in fours, in the
 * WebAssembly SIMD register tiles of the filter gradient (wasm/grad.wat): a 4×8 block of the
 * output at a time, summed over k in float32, in order. The tiles read a column-major a and a
 * row-major b, so `a` is transposed first unless transposeA already stores it that way, and `b`
 * only when transposeB is set. Undefined when the shapes do not qualify or b is better left to
 * XNNPACK (see `seen`); the caller then runs tfjs's kernel.
 */
export function simdMatMul(
  wasm: WasmBackend,
  a: TensorInfo,
  b: TensorInfo,
  attrs: BatchMatMulAttrs,
): TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !env().getBool(SIMD_MATMUL_FLAG)) return undefined;
  if (a.shape.length < 2 || b.shape.length < 2 || batchOf(a.shape) !== 1 || batchOf(b.shape) !== 1)
    return undefined;
  const { transposeA, transposeB } = attrs;
  const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const [kb, n] = transposeB ? b.shape.slice(-2).reverse() : b.shape.slice(-2);
  if (k !== kb || m === 0 || n % 4 !== 0 || k * n < MIN_PACKED) return undefined;
  if (!transposeB) {
    if (seen.has(b.dataId as object)) return undefined;
    seen.add(b.dataId as object);
  }
  const kernels = gradWasm(wasm);
  if (kernels == null) return undefined;
  const temporaries: TensorInfo[] = [];
  try {
    const operand = (x: TensorInfo, swap: boolean): TensorInfo => {
      if (!swap) return x;
      const { info, temporary } = swapped(x, wasm);
      if (temporary) temporaries.push(info);
      return info;
    };
    const left = operand(a, !transposeA);
    const right = operand(b, !!transposeB);
    const rank = Math.max(a.shape.length, b.shape.length);
    const out = wasm.makeOutput([...new Array(rank - 2).fill(1), m, n], 'float32');
    const at = kernels.offset(out);
    kernels.heap().fill(0, at >> 2, (at >> 2) + m * n);
    const leftAt = kernels.offset(left);
    const rightAt = kernels.offset(right);
    for (let c = 0; c < n; c += 8) {
      const wide = n - c >= 8 ? 1 : 0;
      for (let k0 = 0; k0 < k; k0 += K_BLOCK) {
        const count = Math.min(K_BLOCK, k - k0);
        for (let i = 0; i < m; i += 4) {
          const rows = Math.min(4, m - i);
          kernels.tiles[rows - 1][wide](
            leftAt + 4 * (k0 * m + i),
            rightAt + 4 * (k0 * n + c),
            at + 4 * (i * n + c),
            1,
            count,
            0,
            4 * m,
            4 * n,
            4 * n,
          );
        }
      }
    }
    return out;
  } finally {
    for (const t of temporaries) wasm.disposeData(t.dataId);
  }
}
