// tfjs-backend-wasm registers its kernels when it is first imported; that must happen before the
// replacements below, or its registration would later overwrite them.
import '@tensorflow/tfjs-backend-wasm';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { maxPoolGradConfig } from './max-pool-grad';
import { keepStockConv, nativeConv2dConfig, nativeFusedConv2dConfig } from './native-conv2d';
import { avgPoolConfig, keepXnnpackPool, maxPoolConfig } from './pool-forward';
import { type KernelOverride, replaceKernels } from './replace-kernels';
import { keepStockIdentity, sharedIdentityConfig } from './shared-identity';
import { batchMatMulConfig, fusedMatMulConfig, keepStockMatMul } from './transpose-first-matmul';

/**
 * Kernels that replace tfjs-backend-wasm 4.22's own. Unlike the missing training kernels, these
 * exist in tfjs, so they are swapped in even though the backend has a kernel:
 * - MaxPoolGrad: tfjs's sends the gradient of an all-negative window to the wrong cell and drops
 *   the others (a network whose pre-pool activations can be negative, e.g. without a ReLU before
 *   the pool, trains on wrong gradients). Ours follows the cpu backend bit for bit and is faster.
 * - MaxPool, AvgPool: tfjs's (XNNPACK) are right except with a numeric pad and dimRoundingMode
 *   'ceil' or 'round' that adds a row or column: then they return misplaced values and can
 *   corrupt the WASM heap. Ours run a plain loop for those shapes and tfjs's kernel otherwise.
 * - Conv2DBackpropInput: correct, but plain loops that took a quarter of a small CNN's training
 *   step; ours runs on the backend's XNNPACK convolution or matmul (bench/RESULTS.md).
 * - BatchMatMul, _FusedMatMul: correct, but a product with transposeA or transposeB leaves XNNPACK
 *   for a loop 5–8× slower, and a dense layer's training step needs two of them. Ours transposes
 *   the flagged operand first and runs tfjs's kernel on the plain product (bench/RESULTS.md).
 *   A row times a matrix (ones @ g, a per-channel sum) skips XNNPACK, whose packing of b as fresh
 *   weights costs 10–20× the product, for SIMD tiles (row-matrix-product.ts); so does a product
 *   whose b XNNPACK has not packed before (simd-matmul.ts).
 * - Identity: correct, but a copy; ours shares the memory, as the cpu backend's does.
 * - Conv2D, FusedConv2D, and the products above: in Node, where descent's native kernels run
 *   (native-kernels.ts), oneDNN or OpenBLAS does the FLOPs; tfjs's kernels take what they leave.
 */
export const wasmKernelOverrides: readonly KernelOverride[] = [
  { config: maxPoolGradConfig },
  { config: maxPoolConfig, keep: keepXnnpackPool },
  { config: avgPoolConfig, keep: keepXnnpackPool },
  { config: conv2dBackpropInputConfig },
  { config: batchMatMulConfig, keep: keepStockMatMul },
  { config: fusedMatMulConfig, keep: keepStockMatMul },
  { config: sharedIdentityConfig, keep: keepStockIdentity },
  { config: nativeConv2dConfig, keep: keepStockConv },
  { config: nativeFusedConv2dConfig, keep: keepStockConv },
];

/**
 * Puts each override in place of the 'wasm' kernel of its name. register-wasm-kernels.ts calls it
 * on import of @descent/tensor (a bare import would be dropped by the bundler: this file is not in
 * package.json's sideEffects). Returns the names replaced now.
 */
export function overrideWasmKernels(): string[] {
  return replaceKernels(wasmKernelOverrides);
}
