import {
  _FusedMatMul,
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { nativeMatMul } from './native-matmul';
import { freshIfPackedOtherwise } from './packed-weights-guard';
import { rowTimesMatrix } from './row-matrix-product';
import { simdMatMul } from './simd-matmul';
import { swapped } from './swap-last-axes';
import { asWasm, inputOf } from './wasm-backend';

/**
 * tfjs-backend-wasm 4.22's matrix products, kept when ours replace them: with neither operand
 * transposed they run XNNPACK's fast path, so ours always end in them.
 */
const stock = new Map<string, KernelConfig>();

/** Called with tfjs's BatchMatMul or _FusedMatMul when ours replaces it. */
export function keepStockMatMul(original: KernelConfig): void {
  stock.set(original.kernelName, original);
}

function transposeFirst(name: typeof BatchMatMul | typeof _FusedMatMul): KernelFunc {
  // Named so that a fresh process can tell ours from tfjs's (the registration tests do).
  return function transposeFirstMatMul(args) {
    const original = stock.get(name);
    if (original == null) throw new Error(`${name}: expected tfjs's wasm kernel kept, found none`);
    const { inputs, backend, attrs } = args;
    const flags = attrs as unknown as BatchMatMulAttrs;
    const { transposeA, transposeB } = flags;
    const a = inputOf(name, inputs, 'a');
    const b = inputOf(name, inputs, 'b');
    if (name === BatchMatMul) {
      // Native (oneDNN or OpenBLAS) where those kernels run; then the products XNNPACK would run
      // slowly: a row times a matrix, and a b it has not packed before.
      const wasm = asWasm(backend);
      const direct =
        nativeMatMul(wasm, a, b, flags) ?? rowTimesMatrix(wasm, a, b, flags) ?? simdMatMul(wasm, a, b, flags);
      if (direct) return direct;
    }
    const inner = (x: TensorInfo, last: boolean) => x.shape[x.shape.length - (last ? 1 : 2)];
    // Checked here so that a mismatch names the shapes and flags the caller passed.
    if (inner(a, !transposeA) !== inner(b, !!transposeB)) {
      throw new Error(
        `${name}: b: expected inner dimension ${inner(a, !transposeA)} (a [${a.shape.join(', ')}], ` +
          `transposeA ${!!transposeA}), found ${inner(b, !!transposeB)} (b [${b.shape.join(', ')}], ` +
          `transposeB ${!!transposeB})`,
      );
    }
    const wasm = asWasm(backend);
    const temporaries: TensorInfo[] = [];
    try {
      const operand = (x: TensorInfo, flag: unknown): TensorInfo => {
        if (!flag) return x;
        const { info, temporary } = swapped(x, backend);
        if (temporary) temporaries.push(info);
        return info;
      };
      const right = operand(b, transposeB);
      const packable = b.dtype === 'float32' ? freshIfPackedOtherwise(right, wasm) : right;
      if (packable !== right) temporaries.push(packable);
      return original.kernelFunc({
        inputs: { ...inputs, a: operand(a, transposeA), b: packable },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temporaries) wasm.disposeData(t.dataId);
    }
  };
}

const setup = (name: string) => (backend: unknown) => stock.get(name)?.setupFunc?.(backend as never);

/**
 * BatchMatMul for wasm. tfjs's kernel leaves XNNPACK for a loop 5–8× slower whenever
 * transposeA or transposeB is set, which every dense layer's backward pass (and `x @ Wᵀ`) does;
 * ours transposes the flagged operand into a temporary and runs tfjs's kernel untransposed.
 */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: transposeFirst(BatchMatMul),
  setupFunc: setup(BatchMatMul),
};

/** _FusedMatMul for wasm: the same transpose-first route as BatchMatMul; bias and activation untouched. */
export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'wasm',
  kernelFunc: transposeFirst(_FusedMatMul),
  setupFunc: setup(_FusedMatMul),
};
