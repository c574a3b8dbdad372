import { DescentArgumentError, type GradSaveFunc, type Tensor, tf } from '@descent/tensor';
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

/** Options of `bceWithLogits`: the reduction and the weight of the positive term. */
export interface BceWithLogitsOptions extends ReductionOptions {
  /**
   * Weight of the positive term, as torch's pos_weight: a number, or a float32 tensor that broadcasts
   * to the input's shape (usually [C], one weight per class). > 1 raises recall, < 1 precision.
   */
  posWeight?: number | Tensor;
}

/** log(1 + exp(-x)) without overflow: max(-x, 0) + log1p(exp(-|x|)). */
function softplusOfNegative(x: Tensor): Tensor {
  return tf.add(tf.relu(tf.neg(x)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
}

/**
 * Per-element loss (1 - y) x + w softplus(-x), with w = 1 + (posWeight - 1) y; without posWeight it is
 * max(x, 0) - x y + log(1 + exp(-|x|)). The gradient is written out, w sigmoid(x) - posWeight y,
 * because autodiff through max and |x| picks inconsistent one-sided slopes at x = 0.
 */
const elementwise = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const x = args[0] as Tensor;
  const y = args[1] as Tensor;
  const pw = args[2] as Tensor;
  const save = args[3] as GradSaveFunc;
  save([x, y, pw]);
  const w = tf.add(1, tf.mul(tf.sub(pw, 1), y));
  const value = tf.add(tf.mul(tf.sub(1, y), x), tf.mul(w, softplusOfNegative(x)));
  return {
    value,
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [sx, sy, spw] = saved;
      const sw = tf.add(1, tf.mul(tf.sub(spw, 1), sy));
      const dx = tf.sub(tf.mul(sw, tf.sigmoid(sx)), tf.mul(spw, sy));
      // d/dy = -x + (posWeight - 1) softplus(-x); d/dposWeight = y softplus(-x).
      const sp = softplusOfNegative(sx);
      const dtarget = tf.add(tf.neg(sx), tf.mul(tf.sub(spw, 1), sp));
      return [tf.mul(dy, dx), tf.mul(dy, dtarget), tf.mul(dy, tf.mul(sy, sp))];
    },
  };
});

function checkPosWeight(value: unknown, input: Tensor): void {
  if (typeof value === 'number') {
    checkNumber('bceWithLogits', 'posWeight', value, { min: 0, max: Infinity });
    return;
  }
  const t = checkInput('bceWithLogits', 'posWeight', value);
  const shape = `[${t.shape.join(', ')}]`;
  const fits =
    t.rank <= input.rank && t.shape.every((d, i) => d === 1 || d === input.shape[input.rank - t.rank + i]);
  if (!fits) {
    throw new DescentArgumentError(
      `bceWithLogits: posWeight: expected a shape that broadcasts to [${input.shape.join(', ')}] (the shape of input), found shape ${shape}`,
    );
  }
}

/**
 * Binary cross-entropy on logits, like torch.nn.functional.binary_cross_entropy_with_logits: the
 * sigmoid and the log are fused so that logits of any size (even +-1000) give exact, finite values
 * and gradients. The target must lie in [0, 1] (checked; on WebGPU only while its values are still
 * on the host, see `readIfResident` in @descent/tensor).
 */
export function bceWithLogits(input: Tensor, target: Tensor, options?: BceWithLogitsOptions): Tensor {
  const opts = checkOptions<BceWithLogitsOptions>('bceWithLogits', options, ['reduction', 'posWeight']);
  const reduction = checkReduction('bceWithLogits', opts.reduction);
  checkInput('bceWithLogits', 'input', input);
  checkTarget('bceWithLogits', target);
  checkSameShape('bceWithLogits', input, target);
  checkRange('bceWithLogits', 'target', target, 0, 1);
  if (opts.posWeight !== undefined) checkPosWeight(opts.posWeight, input);
  return tf.tidy(() => {
    const y = asFloat(target);
    // customGrad needs every input at the output's shape, so posWeight is broadcast first.
    const pw =
      opts.posWeight === undefined
        ? tf.onesLike(input)
        : tf.broadcastTo(
            typeof opts.posWeight === 'number' ? tf.scalar(opts.posWeight) : opts.posWeight,
            input.shape,
          );
    return reduce(elementwise(input, y, pw) as Tensor, reduction);
  });
}
