import { type Tensor, tf } from '@descent/tensor';
import { asFloat, checkInput, checkOptions, checkSameShape, checkTarget } from './check';
import { type ElementwiseLoss, hostElementwiseLoss } from './host-elementwise-loss';
import { checkReduction, type Reduction, reduce } from './reduction';

export interface ReductionOptions {
  /** 'mean' (default) averages over every element, 'sum' adds, 'none' returns per-element losses. */
  reduction?: Reduction;
}

const squaredError: ElementwiseLoss = {
  value: (p, y) => (p - y) ** 2,
  dInput: (p, y) => 2 * (p - y),
  dTarget: (p, y) => 2 * (y - p),
};

/** Mean squared error, (input - target)^2, like torch.nn.functional.mse_loss. */
export function mse(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const opts = checkOptions<ReductionOptions>('mse', options, ['reduction']);
  const reduction = checkReduction('mse', opts.reduction);
  checkInput('mse', 'input', input);
  checkTarget('mse', target);
  checkSameShape('mse', input, target);
  const fast = hostElementwiseLoss(squaredError, input, target, reduction);
  if (fast) return fast;
  return tf.tidy(() => reduce(tf.squaredDifference(input, asFloat(target)), reduction));
}
