// A bench-only prototype, not part of any package: tfjs-backend-wasm 4.22's BatchMatMul leaves
// XNNPACK for a slow loop whenever transposeA or transposeB is set, and every dense layer's
// backward pass (and descent's Linear forward, x @ Wᵀ) sets one. This wrapper transposes the
// flagged operand with the wasm Transpose kernel and runs the untransposed product, which gives
// the same numbers. bench/matmul-layouts.mjs and bench/fast-paths.mjs measure what it gains; a
// real version belongs with @descent/tensor's WASM kernels.
import { tf } from '@descent/tensor';

export function registerTransposeFirstMatMul() {
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm')?.kernelFunc;
  if (!stock || !transpose) throw new Error('transpose-first matmul: the wasm backend is not registered');
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    setupFunc: stock.setupFunc,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const temporary = [];
      const swapLast = (x) => {
        const perm = x.shape.map((_, i) => i);
        const n = perm.length;
        [perm[n - 1], perm[n - 2]] = [perm[n - 2], perm[n - 1]];
        const y = transpose({ inputs: { x }, backend, attrs: { perm } });
        temporary.push(y);
        return y;
      };
      const a = attrs.transposeA ? swapLast(inputs.a) : inputs.a;
      const b = attrs.transposeB ? swapLast(inputs.b) : inputs.b;
      const out = stock.kernelFunc({
        inputs: { a, b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
      for (const t of temporary) backend.disposeData(t.dataId);
      return out;
    },
  });
  return () => {
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel(stock);
  };
}
