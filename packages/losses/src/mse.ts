import { type Tensor, tf } from '@descent/tensor';
import { asFloat, checkInput, checkOptions, checkSameShape, checkTarget } from './check';
import { checkReduction, type Reduction, reduce } from './reduction';

/** The reduction option every loss takes: 'mean', 'sum' or 'none'. */
export interface ReductionOptions {
  /** 'mean' (default) averages over every element, 'sum' adds, 'none' returns per-element losses. */
  reduction?: Reduction;
}

/** Mean squared error, (input - target)^2, like torch.nn.functional.mse_loss. */
export function mse(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const opts = checkOptions<ReductionOptions>('mse', options, ['reduction']);
  const reduction = checkReduction('mse', opts.reduction);
  checkInput('mse', 'input', input);
  checkTarget('mse', target);
  checkSameShape('mse', input, target);
  return tf.tidy(() => reduce(tf.squaredDifference(input, asFloat(target)), reduction));
}
