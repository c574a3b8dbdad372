import { type Tensor, tf } from '@descent/tensor';
import { asFloat, checkInput, checkOptions, checkSameShape, checkTarget } from './check';
import type { ReductionOptions } from './mse';
import { checkReduction, reduce } from './reduction';

/** Mean absolute error (L1 loss), |input - target|, like torch.nn.functional.l1_loss. */
export function mae(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const opts = checkOptions<ReductionOptions>('mae', options, ['reduction']);
  const reduction = checkReduction('mae', opts.reduction);
  checkInput('mae', 'input', input);
  checkTarget('mae', target);
  checkSameShape('mae', input, target);
  return tf.tidy(() => {
    const diff = tf.sub(input, asFloat(target));
    // d * sign(d) rather than abs(d): its gradient is sign(d), 0 at d = 0 as in PyTorch,
    // where tfjs's abs would give -1.
    return reduce(tf.mul(diff, tf.sign(diff)), reduction);
  });
}
