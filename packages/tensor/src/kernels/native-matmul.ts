import { type BatchMatMulAttrs, broadcast_util, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeHeap } from './native-kernels';
import type { WasmBackend } from './wasm-backend';

const product = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * `a @ b` (either transposed, batched) for float32 operands, by the native sgemm (oneDNN or
 * OpenBLAS) on the WASM heap: one call per matrix of the batch, the transposes passed to sgemm
 * rather than written out. A batch side of size 1 is shared by every product. Undefined when the native kernels are off or
 * absent, or for shapes left to the WASM kernels (other dtypes, an empty side, batch shapes that
 * broadcast both ways).
 */
export function nativeMatMul(
  wasm: WasmBackend,
  a: TensorInfo,
  b: TensorInfo,
  attrs: BatchMatMulAttrs,
): TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2)
    return undefined;
  const heap = nativeHeap(wasm);
  if (heap == null) return undefined;
  const { transposeA, transposeB } = attrs;
  const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const [kb, n] = transposeB ? b.shape.slice(-2).reverse() : b.shape.slice(-2);
  if (k !== kb || m === 0 || n === 0 || k === 0) return undefined;
  const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = product(outer);
  const batchA = product(a.shape.slice(0, -2));
  const batchB = product(b.shape.slice(0, -2));
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return undefined;
  const out = wasm.makeOutput([...outer, m, n], 'float32');
  try {
    const [at, bt, ct] = [heap.offset(a), heap.offset(b), heap.offset(out)];
    const buffer = heap.buffer();
    for (let i = 0; i < batch; i++) {
      heap.addon.gemm(
        buffer,
        transposeA ? 1 : 0,
        transposeB ? 1 : 0,
        m,
        n,
        k,
        at + (batchA === 1 ? 0 : i * m * k * 4),
        bt + (batchB === 1 ? 0 : i * k * n * 4),
        ct + i * m * n * 4,
      );
    }
    return out;
  } catch (error) {
    wasm.disposeData(out.dataId);
    throw error;
  }
}
