import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { asCpu, cpuF32, cpuKernelsOn, StockKernel } from './cpu-backend';
import { inputOf } from './wasm-backend';

/** A [rows, cols] row-major block copied out transposed, as [cols, rows]. */
function transposed(src: Float32Array, at: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const from = at + r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = src[from + c];
  }
  return out;
}

/**
 * c[m, n] = Σ_k a[m, k] · bt[n, k], both operands read along k (contiguous rows), four outputs at
 * once so that each a value is loaded once for four products. Each sum runs in float64 and is
 * rounded once.
 */
export function rowDotProducts(
  a: Float32Array,
  aAt: number,
  bt: Float32Array,
  btAt: number,
  c: Float32Array,
  cAt: number,
  m: number,
  n: number,
  k: number,
): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < m; i++) {
    const ai = aAt + i * k;
    const ci = cAt + i * n;
    for (let j = 0; j < n4; j += 4) {
      const b0 = btAt + j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const v = a[ai + p];
        s0 += v * bt[b0 + p];
        s1 += v * bt[b1 + p];
        s2 += v * bt[b2 + p];
        s3 += v * bt[b3 + p];
      }
      c[ci + j] = s0;
      c[ci + j + 1] = s1;
      c[ci + j + 2] = s2;
      c[ci + j + 3] = s3;
    }
    for (let j = n4; j < n; j++) {
      const bj = btAt + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p] * bt[bj + p];
      c[ci + j] = s;
    }
  }
}

export const stockBatchMatMul = new StockKernel(BatchMatMul);

/**
 * BatchMatMul for tfjs's cpu backend, replacing its own, whose inner loop walks one operand with a
 * stride (a cache miss per product for most layouts) and rounds to float32 after every block of
 * 48. Ours copies whichever operand is laid out the wrong way into rows of k (a pass over one
 * matrix, small next to the product) and runs `rowDotProducts`; sums are float64, rounded once.
 * Batch dimensions broadcast as tfjs's do (the one of size 1 repeats). `DESCENT_CPU_KERNELS`
 * false runs tfjs's.
 */
export const cpuBatchMatMul: KernelFunc = (args) => {
  if (!cpuKernelsOn()) return stockBatchMatMul.run(args);
  const { inputs, backend, attrs } = args;
  const a = inputOf(BatchMatMul, inputs, 'a');
  const b = inputOf(BatchMatMul, inputs, 'b');
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2)
    return stockBatchMatMul.run(args);
  const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
  const cpu = asCpu(backend);
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  // Shape checks, broadcasting rules and their messages stay tfjs's: anything unusual goes there.
  const kB = transposeB ? bCols : bRows;
  const sameOuter = a.shape.slice(0, -2).join() === b.shape.slice(0, -2).join();
  if (k !== kB || a.shape.length !== b.shape.length || !(sameOuter || batchA === 1 || batchB === 1))
    return stockBatchMatMul.run(args);
  const batch = Math.max(batchA, batchB);
  const outer = (batchA >= batchB ? a : b).shape.slice(0, -2);
  const aValues = cpuF32(cpu, a);
  const bValues = cpuF32(cpu, b);
  const out = new Float32Array(batch * m * n);
  for (let i = 0; i < batch; i++) {
    const ai = (i % batchA) * m * k;
    const bi = (i % batchB) * k * n;
    const left = transposeA ? transposed(aValues, ai, k, m) : aValues;
    const right = transposeB ? bValues : transposed(bValues, bi, k, n);
    rowDotProducts(left, transposeA ? 0 : ai, right, transposeB ? bi : 0, out, i * m * n, m, n, k);
  }
  return cpu.makeTensorInfo([...outer, m, n], 'float32', out) as TensorInfo;
};

export const cpuBatchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'cpu',
  kernelFunc: cpuBatchMatMul,
};
