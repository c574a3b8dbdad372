// tfjs-backend-cpu registers its kernels when it is first imported; that must happen before the
// replacements below, or its registration would later overwrite them.
import '@tensorflow/tfjs-backend-cpu';
import { registerCpuKernelsFlag } from './cpu-backend';
import { cpuConv2dConfig, cpuFusedConv2dConfig, stockConv2d, stockFusedConv2d } from './cpu-conv2d';
import { cpuConv2dBackpropFilterConfig, stockFilterGradient } from './cpu-conv2d-backprop-filter';
import { cpuConv2dBackpropInputConfig, stockInputGradient } from './cpu-conv2d-backprop-input';
import { cpuBatchMatMulConfig, stockBatchMatMul } from './cpu-matmul';
import { cpuMaxPoolGradConfig, stockMaxPoolGrad } from './cpu-max-pool-grad';
import { type KernelOverride, replaceKernels } from './replace-kernels';

/**
 * Kernels that replace tfjs-backend-cpu 4.22's own, which are correct but slow where training
 * spends its time (bench/RESULTS.md, `step-profile.mjs --backend cpu`). The cpu backend is the
 * browser's last fallback and tfjs's default in Node; ours stay plain JavaScript, like the
 * backend. Each keeps tfjs's kernel to run when `tf.env().set('DESCENT_CPU_KERNELS', false)`.
 * - Conv2D, FusedConv2D (linear activation), Conv2DBackpropInput (NHWC): bit-identical sums, an
 *   output position at a time, zero inputs skipped.
 * - Conv2DBackpropFilter: bit-identical sums, about 150× faster on a small CNN's layers.
 * - MaxPoolGrad: bit-identical, one pass instead of an argmax tensor and a search per cell.
 * - BatchMatMul: both operands read along rows, sums in float64 rounded once.
 */
export const cpuKernelOverrides: readonly KernelOverride[] = [
  { config: cpuConv2dConfig, keep: (k) => stockConv2d.keep(k) },
  { config: cpuFusedConv2dConfig, keep: (k) => stockFusedConv2d.keep(k) },
  { config: cpuConv2dBackpropInputConfig, keep: (k) => stockInputGradient.keep(k) },
  { config: cpuConv2dBackpropFilterConfig, keep: (k) => stockFilterGradient.keep(k) },
  { config: cpuMaxPoolGradConfig, keep: (k) => stockMaxPoolGrad.keep(k) },
  { config: cpuBatchMatMulConfig, keep: (k) => stockBatchMatMul.keep(k) },
];

/** Puts each override in place of the 'cpu' kernel of its name; runs on import of @descent/tensor. */
export function overrideCpuKernels(): string[] {
  registerCpuKernelsFlag();
  return replaceKernels(cpuKernelOverrides);
}
