import { type Tensor, tf } from '@descent/tensor';
import { asFloat, checkInput, checkNumber, checkOptions, checkSameShape, checkTarget } from './check';
import type { ReductionOptions } from './mse';
import { checkReduction, reduce } from './reduction';

/** Options of `huber`: the reduction and delta. */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear; must be > 0. Default 1. */
  delta?: number;
}

/**
 * Huber loss, like torch.nn.HuberLoss: 0.5 d^2 where |d| < delta, delta (|d| - 0.5 delta) beyond,
 * with d = input - target.
 */
export function huber(input: Tensor, target: Tensor, options?: HuberOptions): Tensor {
  const opts = checkOptions<HuberOptions>('huber', options, ['reduction', 'delta']);
  const reduction = checkReduction('huber', opts.reduction);
  const delta = checkNumber('huber', 'delta', opts.delta ?? 1, { min: 0, max: Infinity, minOpen: true });
  checkInput('huber', 'input', input);
  checkTarget('huber', target);
  checkSameShape('huber', input, target);
  return tf.tidy(() => {
    const diff = tf.sub(input, asFloat(target));
    const abs = tf.mul(diff, tf.sign(diff));
    // Splitting |d| into min(|d|, delta) + the excess gives both zones in one expression,
    // with no branch: 0.5 q^2 + delta (|d| - q).
    const quadratic = tf.minimum(abs, delta);
    const linear = tf.sub(abs, quadratic);
    return reduce(tf.add(tf.mul(tf.square(quadratic), 0.5), tf.mul(linear, delta)), reduction);
  });
}
