import { type GradSaveFunc, type Tensor, tf } from '@descent/tensor';
import {
  asFloat,
  checkInput,
  checkNumber,
  checkOptions,
  checkRange,
  checkSameShape,
  checkTarget,
} from './check';
import type { ReductionOptions } from './mse';
import { checkReduction, reduce } from './reduction';

/** Options of `bce`: the reduction and optional probability clipping. */
export interface BceOptions extends ReductionOptions {
  /**
   * If > 0, probabilities are first clipped to [eps, 1 - eps] (the Keras habit). Default 0: PyTorch's
   * behaviour, where only the logarithms are clamped at -100. In float32, 1 - eps only differs from 1
   * for eps >= about 6e-8.
   */
  eps?: number;
}

// PyTorch clamps each log term at -100, so a probability of exactly 0 or 1 gives a finite loss.
const LOG_FLOOR = -100;
// PyTorch's backward divides by max(p (1 - p), 1e-12) for the same reason.
const GRAD_EPSILON = 1e-12;

const clampedLog = (x: Tensor): Tensor => tf.maximum(tf.log(x), LOG_FLOOR);

/**
 * The per-element loss with PyTorch's own backward. Differentiating the clamped logs instead would
 * give 0 * Infinity = NaN at p = 0 or 1, where PyTorch gives a finite gradient.
 */
const elementwise = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const p = args[0] as Tensor;
  const y = args[1] as Tensor;
  const save = args[2] as GradSaveFunc;
  save([p, y]);
  const logP = clampedLog(p);
  const log1mP = clampedLog(tf.sub(1, p));
  // -(y log p + (1 - y) log(1 - p))
  const value = tf.neg(tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), log1mP)));
  return {
    value,
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [sp, sy] = saved;
      const dp = tf.div(tf.sub(sp, sy), tf.maximum(tf.mul(sp, tf.sub(1, sp)), GRAD_EPSILON));
      const dtarget = tf.sub(clampedLog(tf.sub(1, sp)), clampedLog(sp));
      return [tf.mul(dy, dp), tf.mul(dy, dtarget)];
    },
  };
});

/**
 * Binary cross-entropy on probabilities, like torch.nn.functional.binary_cross_entropy:
 * -(y log p + (1 - y) log(1 - p)), each log clamped at -100. Both input and target must lie in [0, 1].
 * Prefer bceWithLogits when the model's last layer is a sigmoid: it is exact for large logits.
 * The range checks read the values back; on WebGPU they are skipped for values already on the GPU
 * (see `readIfResident` in @descent/tensor).
 */
export function bce(input: Tensor, target: Tensor, options?: BceOptions): Tensor {
  const opts = checkOptions<BceOptions>('bce', options, ['reduction', 'eps']);
  const reduction = checkReduction('bce', opts.reduction);
  const eps = checkNumber('bce', 'eps', opts.eps ?? 0, { min: 0, max: 0.5, maxOpen: true });
  checkInput('bce', 'input', input);
  checkTarget('bce', target);
  checkSameShape('bce', input, target);
  checkRange('bce', 'input', input, 0, 1);
  checkRange('bce', 'target', target, 0, 1);
  return tf.tidy(() => {
    const p = eps > 0 ? tf.clipByValue(input, eps, 1 - eps) : input;
    return reduce(elementwise(p, asFloat(target)) as Tensor, reduction);
  });
}
